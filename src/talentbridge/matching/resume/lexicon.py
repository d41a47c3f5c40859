"""Word lists for résumé entity extraction, from our own bundled data and general usage.

Nothing here is derived from the résumé NER data set used to evaluate the extractor
(``../shared/data/resume-ner`` has no licence: it is read by tests and benchmarks only).
The lists are written from common Chinese usage (titles, organization suffixes,
education words, the 56 ethnic groups, common surnames, country names) and read from
the package's bundled tables: the MOE major catalog (``taxonomy/data/majors.csv``),
occupations (``taxonomy/data/occupations.csv``) and GB/T 2260 divisions
(``domain/data/divisions.csv``).
"""

from __future__ import annotations

import csv
from functools import cache

from talentbridge.domain.divisions import all_divisions
from talentbridge.taxonomy.majors import bundled_path

# --- people ---------------------------------------------------------------------------------

# Common Chinese surnames (the most frequent single ones and the usual compound ones).
SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
SURNAMES_2 = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
     "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "申屠", "万俟"}
)  # fmt: skip
NAME_CUES_AFTER = ("先生", "女士", "同志", "教授", "博士")
NAME_LABELS = ("姓名", "姓 名", "Name", "name")

# --- nationality and ethnicity --------------------------------------------------------------

COUNTRIES = (
    "中国", "中华人民共和国", "美国", "英国", "法国", "德国", "日本", "韩国", "新加坡", "加拿大",
    "澳大利亚", "新西兰", "意大利", "西班牙", "荷兰", "瑞士", "瑞典", "挪威", "丹麦", "芬兰",
    "比利时", "奥地利", "爱尔兰", "俄罗斯", "印度", "马来西亚", "泰国", "越南", "菲律宾",
    "印度尼西亚", "巴西", "阿根廷", "墨西哥", "以色列", "南非", "葡萄牙", "希腊", "波兰",
    "土耳其", "老挝", "柬埔寨", "缅甸", "哈萨克斯坦", "蒙古", "巴基斯坦", "圣基茨和尼维斯",
    "中国香港", "中国台湾", "中国澳门", "香港", "台湾", "澳门",
)  # fmt: skip
# The 56 ethnic groups of China, with the 族 they are written with.
ETHNIC_GROUPS = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]

# --- education ------------------------------------------------------------------------------

# Degree and schooling words, longest first where one contains another.
EDU_CORES = (
    "博士后", "博士研究生", "硕士研究生", "在职研究生", "研究生", "博士", "硕士", "学士",
    "大学本科", "本科", "大学专科", "专科", "大专", "中专", "中技", "技校", "职高", "高中",
    "初中", "大学", "EMBA", "MBA", "MPA", "MPAcc", "DBA", "EDP", "双学士",
)  # fmt: skip
EDU_TAILS = ("学历", "学位", "文凭", "文化程度", "文化", "毕业")
EDU_NOT_ALONE = frozenset({"大学"})  # an education only with a tail: 大学学历, 大学本科

# Discipline names (学科门类 and common first-level disciplines) for 专业 (PRO).
DISCIPLINES = [
    "哲学",
    "经济学",
    "法学",
    "教育学",
    "文学",
    "历史学",
    "理学",
    "工学",
    "农学",
    "医学",
    "管理学",
    "艺术学",
    "军事学",
    "金融学",
    "会计学",
    "财务管理",
    "会计",
    "审计",
    "金融",
    "国际金融",
    "国际贸易",
    "国际经济",
    "工商管理",
    "企业管理",
    "行政管理",
    "公共管理",
    "市场营销",
    "人力资源管理",
    "统计学",
    "数学",
    "物理学",
    "化学",
    "生物学",
    "计算机科学",
    "计算机",
    "软件工程",
    "电子工程",
    "通信工程",
    "机械工程",
    "电气工程",
    "自动化",
    "土木工程",
    "建筑学",
    "材料科学",
    "化学工程",
    "环境工程",
    "食品工程",
    "药学",
    "临床医学",
    "中医学",
    "新闻学",
    "外语",
    "英语",
    "日语",
    "汉语言文学",
    "政治学",
    "社会学",
    "心理学",
    "法律",
    "经济管理",
    "技术经济",
    "农业经济",
    "产业经济学",
    "政治经济学",
    "世界经济",
    "物流管理",
    "物流工程",
    "供应链管理",
    "电子商务",
    "国际商务",
    "信息管理",
    "管理科学与工程",
    "系统工程",
]

# --- organizations --------------------------------------------------------------------------

# Suffixes that end an organization name (checked longest first).
ORG_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "集团公司", "分公司", "子公司", "公司", "集团",
    "控股", "职业技术学院", "职业学院", "学院", "大学", "学校", "中学", "小学", "党校", "研究院",
    "研究所", "设计院", "研究中心", "中心", "实验室", "医院", "事务所", "银行", "分行", "支行",
    "信用社", "合作社", "证券交易所", "交易所", "协会", "学会", "商会", "联合会", "委员会",
    "基金会", "研究会", "总会", "管委会", "办事处", "办公厅", "人民政府", "政府",
    "法院", "检察院", "报社", "出版社", "杂志社", "通讯社", "电视台", "广播电台", "部队",
    "军区", "总厂", "分厂", "工厂", "厂", "总局", "分局", "局", "厅", "署", "系", "院", "所",
    "社", "站", "馆", "台", "行", "会", "部委", "国资委", "发改委", "证监会", "银监会",
    "保监会", "财政部", "商务部", "教育部", "交通部", "铁道部", "外交部", "邮电部", "科技部",
    "工信部", "国务院", "党委", "市委", "省委", "县委",
)  # fmt: skip
# One-character suffixes count only after this many characters of name.
SHORT_SUFFIX_MIN_NAME = 2
GENERIC_ORGS = ("本公司", "该公司", "公司", "本集团", "该集团", "集团", "本行", "该行")

# --- titles ---------------------------------------------------------------------------------

# Words a title ends with (longest first where one contains another).
TITLE_CORES = (
    "董事会秘书", "董事会主席", "监事会主席", "董事长", "董事", "监事长", "监事", "首席执行官",
    "首席财务官", "首席运营官", "首席技术官", "总经理", "经理", "总裁", "总监", "主任", "主管",
    "专员", "主席", "秘书长", "秘书", "总工程师", "工程师", "总会计师", "会计师", "经济师",
    "审计师", "税务师", "律师", "评估师", "分析师", "设计师", "规划师", "建筑师", "医师", "药师",
    "教授", "讲师", "教师", "导师", "研究员", "调研员", "巡视员", "所长", "院长", "校长", "厂长",
    "局长", "处长", "科长", "部长", "组长", "班长", "队长", "行长", "社长", "站长", "馆长",
    "台长", "会长", "理事长", "司长", "厅长", "省长", "市长", "县长", "区长", "镇长", "书记",
    "委员", "常委", "理事", "顾问", "代表", "负责人", "合伙人", "创始人", "发起人", "会计",
    "出纳", "助理", "专家", "主编", "编辑", "记者", "干部", "科员", "职员", "工人", "技术员",
    "业务员", "操作员", "管理员", "单证员", "计划员", "统计员", "营业员", "会员", "高工", "总工",
    "总师", "参事", "成员", "党员", "官", "CEO", "CFO", "COO", "CTO", "CIO",
)  # fmt: skip
# Governing bodies written inside a title: 董事会秘书, 党委副书记, 第六届董事会独立董事.
TITLE_BODIES = ("董事会", "监事会", "理事会", "党委", "党组", "分党组", "党总支", "党支部",
                "支部", "工会", "团委", "纪委", "职代会", "办公室", "厂办", "总经办", "外事办",
                "党办", "校办", "院办", "综合办")  # fmt: skip
# Suffixes that end an organization only when no stronger one comes before them:
# 示例集团有限公司技术中心主任 → the title is 技术中心主任.
WEAK_ORG_SUFFIXES = frozenset({"中心", "研究中心"})
# Bracketed remarks that are not organizations: （非上市公司）.
NOT_ORGS = frozenset({"非上市公司", "上市公司", "前身"})
# Verbs inside a clause between an organization and its titles: 营财投资历任副总经理.
MID_VERBS = ("先后担任", "历任", "担任", "出任", "任职", "任")
TITLE_ORDINAL = r"第[一二三四五六七八九十\d]+届"
# Generic person suffixes that make a title only after a field word: 计划员, 技术员.
TITLE_AFFIXES = ("员", "师", "长")
TITLE_MODIFIERS = (
    "常务副", "执行副", "副", "常务", "执行", "首席", "高级", "资深", "独立", "非执行", "职工",
    "代理", "名誉", "客座", "特聘", "特邀", "兼职", "专职", "正", "总", "见习", "非执行",
)  # fmt: skip
# Words an organization's short name ends with (中航工业, 双成药业, 瑞普生物): they end an
# organization only right before a title.
ORG_SHORT_ENDS = (
    "工业", "药业", "制药", "生物", "科技", "股份", "有限", "投资", "控股", "实业", "电子", "电器",
    "电气", "汽车", "证券", "保险", "信托", "基金", "地产", "置业", "传媒", "能源", "化工", "钢铁",
    "电力", "矿业", "医药", "食品", "纺织", "重工", "机械", "物流", "航空", "通信", "软件", "网络",
    "华为", "北车", "南车", "中信", "中铁", "中建", "中化", "寿险", "产险", "银行",
)  # fmt: skip
# Bracketed words that belong inside an organization name: 中国平安保险（集团）股份有限公司.
ORG_BRACKETED = ("集团", "控股", "特殊普通合伙", "普通合伙", "有限合伙", "中国", "香港", "北京",
                 "上海", "天津", "重庆", "深圳", "广州", "成都", "控股集团", "筹", "筹备")  # fmt: skip

# --- clause cues ----------------------------------------------------------------------------

# Words before an organization or title that belong to neither (stripped from a clause).
LEAD_WORDS = (
    "先后担任", "先后任职于", "先后任职", "先后在", "先后任", "历任", "现任职于", "现任职",
    "现任", "曾任职于", "曾任职", "曾任", "曾在", "曾就职于", "就职于", "任职于", "任职", "担任",
    "兼任", "出任", "转任", "升任", "调任", "聘任为", "受聘为", "受聘于", "聘为", "当选为",
    "当选", "被选为", "选为", "创办", "创立", "创建", "参与创建", "加入", "进入", "毕业于",
    "就读于", "求学于", "入职", "调入", "供职于", "服务于", "现为", "系", "为", "是", "任",
    "在", "于", "至今", "同时", "并", "及", "和", "起", "后", "此后", "其后", "期间", "同年",
    "目前", "现在", "曾", "亦", "另", "还", "又", "均", "分别", "获得", "获", "原", "起任", "起",
    "不再担任", "主要就任", "就任", "先后", "历任", "任命为", "被", "辞去", "拥有", "具有",
)  # fmt: skip
# Lead and tail phrases with a variable part, as regular expressions.
LEAD_PATTERNS = (r"(?:最)?近[\d一二三四五六七八九十]+年(?:来|内|中)?",)
TAIL_PATTERNS = (r"从事.{0,10}工作", r"等?职务", r"等职", r"职称")
TAIL_WORDS = (
    "工作至今", "工作", "任职", "就职", "供职", "毕业", "学习", "进修", "深造", "至今", "任教",
    "实习", "留学", "读书", "兼职",
)  # fmt: skip
SPLIT_WORDS = ("兼任", "兼", "并任", "及", "和", "与")


@cache
def majors() -> tuple[str, ...]:
    """Major names of the bundled MOE catalog and our discipline list, longest first."""
    names = set(DISCIPLINES)
    with bundled_path("majors.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["itemLevel"] == "MAJOR":
                names.add(row["majorName"])
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@cache
def occupation_titles() -> tuple[str, ...]:
    """Occupation names of the bundled occupation table (e.g. 外贸单证员)."""
    with bundled_path("occupations.csv").open(encoding="utf-8") as handle:
        names = {row["name_zh"] for row in csv.DictReader(handle)}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@cache
def place_names() -> tuple[str, ...]:
    """Full and short names of the bundled divisions and the country names, longest first."""
    names: set[str] = set(COUNTRIES)
    for division in all_divisions():
        names.add(division.name_zh)
        if len(division.short_name_zh) >= 2:
            names.add(division.short_name_zh)
    return tuple(sorted(names, key=lambda n: (-len(n), n)))
