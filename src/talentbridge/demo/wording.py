"""Text material for the generated sample data: names, titles, sentences, places.

Everything here is fictional or generic. Organization and employer names carry the
``示例·`` prefix (English: "(fictional)") so nobody mistakes sample data for facts.
Skills, certificates, platforms and corridors named in requirement sentences are
real, so that later skill extraction has something true to find.
"""

from __future__ import annotations

SAMPLE_PREFIX = "示例·"
SAMPLE_SUFFIX_EN = " (fictional)"
SAMPLE_SOURCE = "示例数据 sample data"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建波宁婷雪琳晨浩宇欣然"
    "子涵梓轩一诺雨萱思远俊杰佳怡嘉豪文博梦瑶书瑶宇航天佑若曦语桐浩然晓东海燕春梅志强"
)

# --- colleges, associations, authority ----------------------------------------------

# (name_zh core, name_en core, city, district)
COLLEGES: tuple[tuple[str, str, str, str], ...] = (
    ("成都航空港物流职业学院", "Chengdu Airport Logistics Vocational College", "成都市", "双流区"),
    (
        "成都天府国际商贸职业技术学院",
        "Chengdu Tianfu International Trade Polytechnic",
        "成都市",
        "新津区",
    ),
    (
        "成都青白江铁路港职业学院",
        "Chengdu Qingbaijiang Railway Port Vocational College",
        "成都市",
        "青白江区",
    ),
    (
        "成都锦城现代服务职业学院",
        "Chengdu Jincheng Modern Services Vocational College",
        "成都市",
        "郫都区",
    ),
    (
        "成都龙泉汽车与物流职业技术学院",
        "Chengdu Longquan Automotive & Logistics Polytechnic",
        "成都市",
        "龙泉驿区",
    ),
    (
        "成都温江供应链职业学院",
        "Chengdu Wenjiang Supply Chain Vocational College",
        "成都市",
        "温江区",
    ),
    (
        "重庆两江国际物流职业学院",
        "Chongqing Liangjiang International Logistics Vocational College",
        "重庆市",
        "渝北区",
    ),
    (
        "重庆果园港商贸职业学院",
        "Chongqing Guoyuan Port Commerce Vocational College",
        "重庆市",
        "江北区",
    ),
    ("重庆西永综保职业技术学院", "Chongqing Xiyong Bonded Zone Polytechnic", "重庆市", "沙坪坝区"),
    ("重庆巴南冷链职业学院", "Chongqing Banan Cold Chain Vocational College", "重庆市", "巴南区"),
    (
        "重庆九龙坡电子商务职业学院",
        "Chongqing Jiulongpo E-commerce Vocational College",
        "重庆市",
        "九龙坡区",
    ),
    (
        "重庆永川智能物流职业技术学院",
        "Chongqing Yongchuan Smart Logistics Polytechnic",
        "重庆市",
        "永川区",
    ),
)

ASSOCIATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("四川省现代物流协会", "Sichuan Modern Logistics Association", "成都市", "锦江区"),
    ("重庆市跨境电子商务协会", "Chongqing Cross-border E-commerce Association", "重庆市", "渝中区"),
    (
        "成渝双城国际物流产教联盟",
        "Chengdu-Chongqing International Logistics Industry-Education Alliance",
        "成都市",
        "武侯区",
    ),
)

AUTHORITY: tuple[str, str, str, str] = (
    "成渝职业教育协同发展办公室",
    "Chengdu-Chongqing Vocational Education Coordination Office",
    "成都市",
    "青羊区",
)

# --- enterprises ---------------------------------------------------------------------

# Brand words (zh, pinyin) for fictional employer names.
BRANDS: tuple[tuple[str, str], ...] = (
    ("蓉欧", "Rong'ou"),
    ("渝新", "Yuxin"),
    ("陆海", "Luhai"),
    ("天府", "Tianfu"),
    ("锦程", "Jincheng"),
    ("巴渝", "Bayu"),
    ("西港", "Xigang"),
    ("川渝", "Chuanyu"),
    ("长江", "Changjiang"),
    ("嘉陵", "Jialing"),
    ("峨眉", "Emei"),
    ("青城", "Qingcheng"),
    ("岷江", "Minjiang"),
    ("沱江", "Tuojiang"),
    ("蜀道", "Shudao"),
    ("华西", "Huaxi"),
    ("丝路", "Silu"),
    ("云帆", "Yunfan"),
    ("驰远", "Chiyuan"),
    ("捷通", "Jietong"),
    ("速达", "Suda"),
    ("聚鑫", "Juxin"),
    ("恒泰", "Hengtai"),
    ("中盛", "Zhongsheng"),
    ("宏运", "Hongyun"),
    ("通汇", "Tonghui"),
    ("安达", "Anda"),
    ("鼎信", "Dingxin"),
    ("海纳", "Haina"),
    ("启航", "Qihang"),
    ("博远", "Boyuan"),
    ("众联", "Zhonglian"),
    ("新程", "Xincheng"),
    ("瑞丰", "Ruifeng"),
    ("金桥", "Jinqiao"),
    ("鸿途", "Hongtu"),
    ("远帆", "Yuanfan"),
    ("汇丰达", "Huifengda"),
    ("顺捷", "Shunjie"),
    ("万里", "Wanli"),
    ("宝通", "Baotong"),
    ("九州", "Jiuzhou"),
    ("卓越", "Zhuoyue"),
    ("同创", "Tongchuang"),
    ("盛邦", "Shengbang"),
    ("蓝鲸", "Lanjing"),
    ("雪域", "Xueyu"),
    ("冰川", "Bingchuan"),
    ("熊猫", "Xiongmao"),
    ("山城", "Shancheng"),
    ("芙蓉", "Furong"),
    ("朝天门", "Chaotianmen"),
    ("和信", "Hexin"),
    ("佳运", "Jiayun"),
    ("锦绣", "Jinxiu"),
    ("天成", "Tiancheng"),
    ("凯达", "Kaida"),
    ("优链", "Youlian"),
    ("智仓", "Zhicang"),
    ("融通", "Rongtong"),
)

# Enterprise types: key -> (name suffix zh, suffix en, job-family affinity)
ENTERPRISE_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "forwarder": (
        "国际货运代理有限公司",
        "International Freight Forwarding Co., Ltd.",
        ("freight", "customs", "transport", "management"),
    ),
    "customs_broker": (
        "报关服务有限公司",
        "Customs Brokerage Co., Ltd.",
        ("customs", "freight"),
    ),
    "crossborder": (
        "跨境电子商务有限公司",
        "Cross-border E-commerce Co., Ltd.",
        ("ecommerce", "warehouse", "customs", "data"),
    ),
    "warehousing": (
        "仓储服务有限公司",
        "Warehousing Services Co., Ltd.",
        ("warehouse", "smart", "management", "transport"),
    ),
    "cold_chain": (
        "冷链物流有限公司",
        "Cold Chain Logistics Co., Ltd.",
        ("cold_chain", "transport", "warehouse"),
    ),
    "manufacturing_sc": (
        "智能制造供应链有限公司",
        "Smart Manufacturing Supply Chain Co., Ltd.",
        ("planning", "warehouse", "smart", "data"),
    ),
    "express": (
        "快递服务有限公司",
        "Express Delivery Services Co., Ltd.",
        ("delivery", "warehouse", "transport"),
    ),
    "logistics": (
        "物流有限公司",
        "Logistics Co., Ltd.",
        ("transport", "warehouse", "delivery", "management", "planning"),
    ),
    "multimodal": (
        "多式联运有限公司",
        "Multimodal Transport Co., Ltd.",
        ("freight", "transport", "data", "management"),
    ),
    "sc_tech": (
        "供应链科技有限公司",
        "Supply Chain Technology Co., Ltd.",
        ("smart", "data", "planning"),
    ),
}

BUSINESS_PHRASES: dict[str, str] = {
    "forwarder": "国际海运、空运及中欧班列货运代理",
    "customs_broker": "进出口报关报检、保税物流与关务咨询",
    "crossborder": "跨境电商出口、海外仓及品牌出海服务",
    "warehousing": "第三方仓储、城市配送与供应链增值服务",
    "cold_chain": "生鲜食品与医药冷链仓储运输",
    "manufacturing_sc": "电子信息与汽车制造业供应链管理",
    "express": "快递收派、同城配送与末端网点运营",
    "logistics": "公路干线运输、仓储配送与合同物流",
    "multimodal": "铁公水空多式联运与西部陆海新通道物流",
    "sc_tech": "物流数字化系统、智能仓储与自动化解决方案",
}

COMPANY_BLURBS: tuple[str, ...] = (
    "{name}成立于{year}年，总部位于{city}，是一家专注于{business}的综合物流服务企业，"
    "现有员工{staff}余人，在成渝地区设有多个运营中心，服务客户覆盖电子、汽车、快消等行业。",
    "{name}深耕{business}领域多年，依托成渝地区双城经济圈的区位优势，"
    "为国内外客户提供一站式解决方案，是区域内较有影响力的物流企业之一。",
    "我们是一家位于{city}的{business}企业，成立于{year}年，团队年轻、氛围融洽，"
    "重视员工成长，欢迎有志于物流与供应链行业的朋友加入。",
    "{name}是{city}重点培育的现代物流企业，主营{business}，拥有自营仓库和专业运营团队，"
    "近年来业务保持快速增长，诚邀优秀人才加盟。",
)

BENEFITS: tuple[str, ...] = (
    "五险一金",
    "带薪年假",
    "节日福利",
    "年终奖金",
    "定期体检",
    "员工宿舍",
    "餐补",
    "交通补贴",
    "周末双休",
    "绩效奖金",
    "专业培训",
    "晋升空间大",
    "高温补贴",
    "生日福利",
    "团建旅游",
    "包吃住",
    "免费工作餐",
    "弹性工作",
    "补充医疗保险",
    "通讯补贴",
    "全勤奖",
)

BENEFIT_LEADS: tuple[str, ...] = ("福利待遇：", "我们提供：", "薪酬福利：", "【福利】")

# Phrases that break Employment Promotion Law arts. 3, 26–31 and the like.
DISCRIMINATORY: tuple[str, ...] = (
    "限男性，能适应夜班及加班",
    "年龄35岁以下",
    "年龄18-30周岁",
    "已婚已育优先",
    "限本地户口",
    "要求成都本地户口",
    "仅招男性，女性勿扰",
    "身体健康，无乙肝",
)

# --- places --------------------------------------------------------------------------

CHENGDU_DISTRICTS: tuple[tuple[str, float], ...] = (
    ("武侯区", 10),
    ("双流区", 12),
    ("青白江区", 9),
    ("龙泉驿区", 8),
    ("新都区", 8),
    ("郫都区", 5),
    ("成华区", 6),
    ("金牛区", 6),
    ("高新区", 8),
    ("天府新区", 6),
    ("温江区", 4),
    ("锦江区", 4),
    ("青羊区", 4),
    ("新津区", 3),
)
CHONGQING_DISTRICTS: tuple[tuple[str, float], ...] = (
    ("渝北区", 12),
    ("两江新区", 9),
    ("江北区", 7),
    ("沙坪坝区", 9),
    ("九龙坡区", 8),
    ("巴南区", 6),
    ("南岸区", 5),
    ("渝中区", 4),
    ("北碚区", 4),
    ("璧山区", 3),
    ("江津区", 4),
    ("永川区", 3),
    ("涪陵区", 2),
    ("长寿区", 2),
    ("大渡口区", 2),
)
# Other cities in the circle (Sichuan) and elsewhere: (city without 市, district or "")
OTHER_CIRCLE_PLACES: tuple[tuple[str, str], ...] = (
    ("绵阳", "涪城区"),
    ("德阳", "旌阳区"),
    ("宜宾", "翠屏区"),
    ("泸州", "江阳区"),
    ("南充", "顺庆区"),
    ("遂宁", "船山区"),
    ("内江", "市中区"),
    ("眉山", "东坡区"),
)
ELSEWHERE_PLACES: tuple[tuple[str, str], ...] = (
    ("上海", "浦东新区"),
    ("深圳", "宝安区"),
    ("广州", "白云区"),
    ("西安", "未央区"),
    ("武汉", "东西湖区"),
    ("昆明", "官渡区"),
    ("贵阳", "观山湖区"),
    ("宁波", "北仑区"),
)

# Sichuan cities for enterprises outside Chengdu and Chongqing (names as stored).
ENTERPRISE_OTHER_CITIES: tuple[str, ...] = ("绵阳市", "德阳市", "宜宾市", "泸州市", "南充市")


# --- majors and directions offered by the sample colleges -------------------------------

# (level, major code, name_zh, start years (from, to), directions)
# direction: (name_zh, name_en, recent) - recent directions started in the last three years.
MAJOR_OFFERINGS: tuple[
    tuple[str, str, str, tuple[int, int], tuple[tuple[str, str, bool], ...]], ...
] = (
    (
        "associate",
        "530802",
        "现代物流管理",
        (2004, 2012),
        (
            ("跨境电商", "Cross-border E-commerce", True),
            ("智能物流技术", "Smart Logistics Technology", True),
            ("供应链管理", "Supply Chain Management", False),
            ("国际货运代理", "International Freight Forwarding", False),
        ),
    ),
    (
        "associate",
        "530702",
        "跨境电子商务",
        (2016, 2020),
        (
            ("跨境直播电商", "Cross-border Live-stream Commerce", True),
            ("海外仓运营", "Overseas Warehouse Operations", False),
        ),
    ),
    (
        "associate",
        "530503",
        "关务与外贸服务",
        (2008, 2016),
        (
            ("智能关务", "Smart Customs", True),
            ("报关与国际货运", "Customs Declaration and International Freight", False),
        ),
    ),
    (
        "associate",
        "530809",
        "智能物流技术",
        (2021, 2022),
        (("物流机器人运维", "Logistics Robot Operation and Maintenance", True),),
    ),
    (
        "associate",
        "530805",
        "冷链物流技术与管理",
        (2012, 2018),
        (
            ("医药冷链", "Pharmaceutical Cold Chain", False),
            ("生鲜冷链", "Fresh Food Cold Chain", False),
        ),
    ),
    (
        "associate",
        "530501",
        "国际经济与贸易",
        (2003, 2010),
        (
            ("跨境电商", "Cross-border E-commerce", True),
            ("外贸业务", "Foreign Trade Business", False),
        ),
    ),
    (
        "associate",
        "530810",
        "供应链运营",
        (2019, 2021),
        (("数字供应链", "Digital Supply Chain", True),),
    ),
    (
        "associate",
        "530701",
        "电子商务",
        (2006, 2014),
        (("直播电商", "Live-stream E-commerce", True),),
    ),
    ("associate", "530803", "航空物流管理", (2012, 2018), (("航空货运", "Air Cargo", False),)),
    (
        "associate",
        "530804",
        "铁路物流管理",
        (2012, 2018),
        (("中欧班列运营", "China-Europe Railway Express Operations", True),),
    ),
    ("associate", "530808", "采购与供应管理", (2010, 2016), ()),
    (
        "associate",
        "530706",
        "商务数据分析与应用",
        (2018, 2021),
        (("物流数据分析", "Logistics Data Analysis", True),),
    ),
)

# The directions that the seed case says eight colleges added.
SEED_CASE_DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("530802", "跨境电商"),
    ("530503", "智能关务"),
    ("530802", "智能物流技术"),
)

# 职业本科: two sample colleges started a bachelor-level programme recently.
BACHELOR_OFFERING: tuple[str, str, str, tuple[int, int], tuple[tuple[str, str, bool], ...]] = (
    "bachelor",
    "330802",
    "现代物流管理",
    (2021, 2023),
    (),
)
BACHELOR_COLLEGES = 2


def years_of_study(level: str) -> int:
    return 4 if level == "bachelor" else 3
