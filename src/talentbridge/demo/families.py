"""Job families for the generated postings: titles, pay, wording, trends and seasons.

Requirement sentences name real skills, tools, certificates, platforms and corridors
(报关单申报, HS 归类, 单一窗口, WMS, 亚马逊, 中欧班列, 1+X 证书 …) so that later skill
extraction and the demand map have something true to find in the sample data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobFamily:
    """A group of similar jobs with their wording, pay and trend.

    ``trend`` is the relative change of the family's share from the first to the last
    month (``+1.5`` means 2.5 times the share at the end, ``-0.5`` half). ``peak_months``
    get a seasonal bump (e.g. 双十一 preparation for delivery and e-commerce).
    ``emerging`` sentences appear more often as time goes on.
    """

    key: str
    weight: float
    trend: float
    titles: tuple[tuple[str, int, int], ...]  # title, monthly pay low, high (yuan)
    education: tuple[tuple[str, float], ...]
    experience: tuple[tuple[str, float], ...]
    duties: tuple[str, ...]
    requirements: tuple[str, ...]
    preferred: tuple[str, ...]
    emerging: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    peak_months: tuple[int, ...] = ()
    openings: tuple[int, int] = (1, 3)
    tags: tuple[str, ...] = ()


EDU_LOW = (("不限", 3.0), ("高中", 2.0), ("中专/中技", 2.0), ("大专", 1.0))
EDU_MID = (("中专/中技", 1.0), ("大专", 5.0), ("本科", 1.5), ("不限", 1.0))
EDU_HIGH = (("大专", 3.0), ("本科", 4.0), ("不限", 0.5))
EXP_LOW = (("经验不限", 5.0), ("应届生", 1.0), ("1年以内", 1.0), ("1-3年", 1.0))
EXP_MID = (("经验不限", 2.0), ("应届生", 1.5), ("1-3年", 4.0), ("3-5年", 1.0))
EXP_HIGH = (("1-3年", 2.0), ("3-5年", 4.0), ("5-10年", 1.5))

FAMILIES: tuple[JobFamily, ...] = (
    JobFamily(
        key="delivery",
        weight=15.0,
        trend=-0.55,
        titles=(
            ("快递员", 5500, 9000),
            ("配送员", 5000, 8000),
            ("快递收派员", 5500, 9500),
            ("同城配送司机", 6000, 9000),
            ("快递网点分拣员", 4500, 6500),
        ),
        education=EDU_LOW,
        experience=EXP_LOW,
        duties=(
            "负责所属片区快件的收取与派送，按时完成当日派件任务",
            "使用手持终端(PDA)扫描签收，及时反馈异常件",
            "维护片区客户关系，开发新的寄件客户",
            "负责网点快件的分拣、装车与卸车",
            "按规划线路完成门店与社区的货物配送",
        ),
        requirements=(
            "能吃苦耐劳，服从工作安排，有责任心",
            "熟悉本地道路，会骑电动三轮车",
            "持有C1驾驶证，驾龄1年以上",
            "会使用智能手机及相关派件APP",
            "沟通能力良好，服务意识强",
        ),
        preferred=("有快递或外卖配送经验者优先", "熟悉所在片区者优先"),
        negations=("无需经验，公司提供带教", "不要求学历"),
        peak_months=(10, 11, 12),
        openings=(3, 20),
        tags=("快递", "配送", "计件"),
    ),
    JobFamily(
        key="warehouse",
        weight=16.0,
        trend=0.0,
        titles=(
            ("仓管员", 4500, 6500),
            ("仓储主管", 7000, 10000),
            ("拣货员", 4200, 6000),
            ("理货员", 4500, 6500),
            ("叉车司机", 5500, 8000),
            ("库管员", 4500, 6500),
            ("仓库经理", 10000, 15000),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "负责货物的入库验收、上架、拣货、复核与出库",
            "定期组织库存盘点，确保账实相符",
            "维护仓库5S现场管理，保证作业安全",
            "使用WMS系统完成收发货及库位管理",
            "统计仓储作业数据，编制日报、周报",
            "协调承运商按时提货，处理异常订单",
        ),
        requirements=(
            "熟练使用Excel（VLOOKUP、数据透视表）",
            "熟悉WMS仓储管理系统操作",
            "持有叉车证（N1），能熟练驾驶叉车",
            "了解库存管理与先进先出原则",
            "具备良好的沟通协调能力和团队合作精神",
            "持有1+X物流管理职业技能等级证书",
        ),
        preferred=("有电商仓或第三方仓储经验者优先", "熟悉SAP或金蝶系统者优先"),
        emerging=(
            "熟悉AGV/AMR机器人协同拣选作业",
            "了解自动化立体仓库(AS/RS)与智能分拣设备",
            "能用数据分析工具（Power BI）分析库存周转",
        ),
        negations=("不需要叉车证，入职后公司统一培训", "无需仓储经验"),
        peak_months=(10, 11),
        openings=(1, 8),
        tags=("仓储", "WMS", "盘点"),
    ),
    JobFamily(
        key="freight",
        weight=10.0,
        trend=0.3,
        titles=(
            ("国际货代操作", 5000, 8000),
            ("海运操作", 5000, 8000),
            ("空运操作", 5000, 8000),
            ("单证员", 4500, 7000),
            ("货代销售", 6000, 12000),
            ("订舱专员", 5000, 7500),
            ("国际物流客服", 4500, 7000),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "负责进出口货物的订舱、拖车、报关及跟踪",
            "制作并审核提单、装箱单、商业发票等单证",
            "与船公司、航空公司及海外代理沟通，跟进货物动态",
            "处理客户询价，核算运费并出具报价",
            "对接中欧班列(成渝)订舱与发运",
            "维护客户关系，及时反馈货物异常",
        ),
        requirements=(
            "熟悉国际货运代理流程及Incoterms 2020贸易术语",
            "熟悉提单、信用证等外贸单证",
            "英语读写良好，通过CET-4",
            "熟练使用Office办公软件",
            "工作细致，抗压能力强",
        ),
        preferred=("有一级货代或船代工作经验者优先", "持有国际货运代理从业资格者优先"),
        emerging=(
            "熟悉中欧班列与西部陆海新通道的铁海联运业务",
            "了解RCEP原产地规则及相关优惠关税",
        ),
        negations=("对英语口语不作要求",),
        openings=(1, 4),
        tags=("货代", "提单", "中欧班列"),
    ),
    JobFamily(
        key="customs",
        weight=6.0,
        trend=1.0,
        titles=(
            ("报关员", 5000, 8000),
            ("关务专员", 6000, 9000),
            ("报检员", 4500, 7000),
            ("关务主管", 9000, 14000),
            ("智能关务专员", 7000, 11000),
            ("AEO认证专员", 7000, 11000),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "负责进出口货物的报关单申报及海关手续办理",
            "完成商品HS归类、申报要素整理与审核",
            "通过国际贸易单一窗口办理申报与查询",
            "跟进海关查验、放行及税费缴纳",
            "维护保税账册，配合海关稽核",
            "整理关务资料，协助企业AEO认证",
        ),
        requirements=(
            "熟悉报关单申报流程与海关监管规定",
            "熟悉HS归类和申报要素",
            "会使用国际贸易单一窗口系统",
            "了解综合保税区及保税物流业务",
            "英语阅读能力良好（CET-4）",
        ),
        preferred=("有综合保税区企业关务经验者优先", "持有报关水平测试证书者优先"),
        emerging=(
            "了解智能审图、两步申报和提前申报等通关便利化措施",
            "熟悉跨境电商9610/9710/9810监管方式",
            "能运用Excel或Python整理关务数据",
        ),
        negations=("无需报关员资格证",),
        peak_months=(3, 4),
        openings=(1, 3),
        tags=("关务", "报关", "单一窗口"),
    ),
    JobFamily(
        key="ecommerce",
        weight=8.0,
        trend=1.6,
        titles=(
            ("跨境电商运营", 6000, 10000),
            ("亚马逊运营专员", 6000, 11000),
            ("Shopee运营", 5000, 8000),
            ("TikTok Shop运营", 6000, 12000),
            ("跨境电商客服", 4500, 6500),
            ("海外仓运营专员", 6000, 9000),
            ("跨境物流专员", 5500, 8500),
            ("独立站运营", 7000, 12000),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "负责跨境电商店铺的日常运营，包括Listing上架与优化",
            "制定推广计划，负责站内广告投放与效果分析",
            "跟踪店铺销售数据，分析竞品并优化选品",
            "对接海外仓，管理FBA备货与补货计划",
            "处理海外客户邮件咨询及售后问题",
            "策划直播及短视频内容，提升店铺流量",
        ),
        requirements=(
            "熟悉亚马逊/Shopee/TikTok Shop等平台规则",
            "英语读写流利，通过CET-4",
            "熟练使用Excel进行数据分析",
            "了解海外仓与跨境物流头程、尾程流程",
            "熟悉店小秘等跨境电商ERP",
            "具有较强的学习能力和数据敏感度",
        ),
        preferred=("有跨境电商平台运营经验者优先", "会小语种（西班牙语、泰语等）者优先"),
        emerging=(
            "熟悉TikTok Shop短视频与直播带货运营",
            "了解海外仓一件代发与本土化运营",
            "会使用AI工具辅助撰写Listing文案",
        ),
        negations=("不要求有平台运营经验，公司提供系统培训",),
        peak_months=(9, 10, 11),
        openings=(1, 5),
        tags=("跨境电商", "亚马逊", "海外仓"),
    ),
    JobFamily(
        key="cold_chain",
        weight=5.0,
        trend=0.4,
        titles=(
            ("冷链物流专员", 5500, 8000),
            ("冷库管理员", 5000, 7000),
            ("冷链调度员", 5500, 8000),
            ("冷链质量专员", 6000, 9000),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "负责冷库货物的出入库管理与温度记录",
            "监控冷藏车辆在途温湿度，处理温控异常",
            "安排冷链车辆调度，优化配送线路",
            "执行食品安全与GSP质量管理要求",
        ),
        requirements=(
            "了解冷链物流温控要求及HACCP体系",
            "熟悉医药GSP规范者优先考虑",
            "会使用TMS运输管理系统",
            "能适应冷库低温作业环境",
        ),
        preferred=("有生鲜电商或医药冷链经验者优先",),
        emerging=("熟悉冷链全程温度追溯及物联网监控平台",),
        openings=(1, 4),
        tags=("冷链", "冷库", "温控"),
    ),
    JobFamily(
        key="smart",
        weight=3.0,
        trend=2.0,
        titles=(
            ("智能仓储工程师", 9000, 15000),
            ("AGV运维工程师", 7000, 12000),
            ("物流自动化设备技术员", 6000, 9000),
            ("物流系统实施顾问", 9000, 16000),
        ),
        education=EDU_HIGH,
        experience=EXP_HIGH,
        duties=(
            "负责智能仓储系统（WMS/WCS）的部署、调试与维护",
            "维护AGV/AMR机器人及自动化输送分拣设备",
            "分析设备运行数据，优化作业效率",
            "参与自动化立体仓库项目的方案设计与实施",
        ),
        requirements=(
            "熟悉WMS、WCS、TMS等物流信息系统",
            "了解PLC、RFID及条码识别技术",
            "具备一定的SQL和数据分析能力",
            "能适应项目现场出差",
        ),
        preferred=("有AGV、堆垛机或交叉带分拣机维护经验者优先",),
        emerging=("熟悉数字孪生仓库或物流仿真软件", "会用Python编写数据处理脚本"),
        openings=(1, 3),
        tags=("智能仓储", "AGV", "WMS"),
    ),
    JobFamily(
        key="data",
        weight=2.5,
        trend=1.6,
        titles=(
            ("物流数据分析师", 8000, 14000),
            ("供应链数据分析专员", 7000, 12000),
            ("运营数据专员", 6000, 9000),
        ),
        education=EDU_HIGH,
        experience=EXP_MID,
        duties=(
            "搭建物流运营指标体系，输出日报、周报及专题分析",
            "分析运输时效、仓储成本与库存周转数据",
            "使用Power BI或Tableau制作可视化看板",
            "为网络规划与运力调度提供数据支持",
        ),
        requirements=(
            "熟练使用Excel，掌握SQL查询",
            "会使用Python或R进行数据处理",
            "了解物流与供应链业务流程",
            "逻辑清晰，沟通表达能力强",
        ),
        preferred=("有物流或电商行业数据分析经验者优先",),
        emerging=("了解机器学习需求预测方法", "熟悉大数据平台（Hive、Spark）"),
        openings=(1, 2),
        tags=("数据分析", "SQL", "Python"),
    ),
    JobFamily(
        key="planning",
        weight=7.0,
        trend=0.2,
        titles=(
            ("供应链计划员", 6000, 9000),
            ("采购专员", 5500, 8500),
            ("物料计划员(PMC)", 6000, 9000),
            ("供应链专员", 5500, 8500),
            ("物流专员", 5000, 7500),
        ),
        education=EDU_MID,
        experience=EXP_MID,
        duties=(
            "根据销售预测和生产计划制定物料需求计划",
            "跟进供应商交期，确保物料按时到货",
            "监控库存水位，降低呆滞库存",
            "维护ERP系统中的采购订单与物料主数据",
            "协调生产、仓储与运输部门，保障订单交付",
        ),
        requirements=(
            "熟悉SAP或用友等ERP系统操作",
            "熟练使用Excel函数与数据透视表",
            "了解MRP物料需求计划原理",
            "具备良好的沟通协调能力",
        ),
        preferred=("有电子或汽车制造企业供应链经验者优先",),
        emerging=("熟悉数字化供应链协同平台", "了解需求预测与S&OP流程"),
        openings=(1, 3),
        tags=("供应链", "SAP", "计划"),
    ),
    JobFamily(
        key="transport",
        weight=8.0,
        trend=-0.1,
        titles=(
            ("运输调度员", 5000, 8000),
            ("货车司机", 7000, 11000),
            ("干线运输专员", 5500, 8500),
            ("物流客服", 4000, 6000),
            ("车队主管", 8000, 12000),
        ),
        education=EDU_LOW,
        experience=EXP_MID,
        duties=(
            "负责车辆调度与运输计划安排，跟踪在途车辆",
            "使用TMS系统录入运单并跟踪签收回单",
            "处理运输异常、货损及客户投诉",
            "核对运费账单，统计运输数据",
        ),
        requirements=(
            "持有A2或B2驾驶证，驾驶经验丰富",
            "熟悉成渝地区及周边道路",
            "会使用TMS及GPS车辆监控系统",
            "工作认真负责，能适应倒班",
        ),
        preferred=("有危险品运输资格证者优先",),
        emerging=("了解网络货运平台与数字化调度",),
        negations=("不要求驾驶证（调度岗）",),
        peak_months=(11, 12),
        openings=(1, 10),
        tags=("运输", "调度", "TMS"),
    ),
    JobFamily(
        key="management",
        weight=3.0,
        trend=0.1,
        titles=(
            ("物流经理", 12000, 20000),
            ("运营主管", 8000, 12000),
            ("物流园区运营经理", 12000, 18000),
        ),
        education=EDU_HIGH,
        experience=EXP_HIGH,
        duties=(
            "全面负责物流中心的运营管理与团队建设",
            "制定KPI考核体系，控制运营成本",
            "推动流程优化和精益物流改善项目",
            "对接重要客户，保障服务质量",
        ),
        requirements=(
            "熟悉仓储、运输和配送全流程管理",
            "具备团队管理经验和较强的领导力",
            "熟练使用WMS、TMS及ERP系统",
            "具备成本核算与数据分析能力",
        ),
        preferred=("有大型第三方物流企业管理经验者优先", "持有物流师证书者优先"),
        emerging=("主导过智慧物流或自动化改造项目者优先",),
        openings=(1, 1),
        tags=("管理", "运营", "KPI"),
    ),
)

FAMILY_BY_KEY: dict[str, JobFamily] = {f.key: f for f in FAMILIES}

# Sentences added to make descriptions realistic in length.
GENERAL_SENTENCES: tuple[str, ...] = (
    "工作地点交通便利，有班车接送",
    "入职即签订劳动合同，试用期三个月",
    "公司提供完善的岗前培训和导师带教",
    "工作时间：8:30-17:30，周末轮休",
    "表现优秀者可获得内部晋升和转岗机会",
    "欢迎应届毕业生及实习生投递简历",
    "我们重视每一位员工的职业发展",
)

EDUCATION_SENTENCES: dict[str, str] = {
    "不限": "学历不限，踏实肯干即可",
    "高中": "高中及以上学历",
    "中专/中技": "中专/中技及以上学历，物流相关专业优先",
    "大专": "大专及以上学历，物流管理、国际贸易、电子商务等相关专业",
    "本科": "本科及以上学历，物流工程、供应链管理或相关专业",
}
EXPERIENCE_SENTENCES: dict[str, str] = {
    "经验不限": "经验不限，欢迎新人",
    "应届生": "接受应届毕业生，有相关实习经历更佳",
    "1年以内": "有半年以上相关工作经验",
    "1-3年": "1年以上相关岗位工作经验",
    "3-5年": "3年以上相关工作经验，其中1年以上管理经验",
    "5-10年": "5年以上行业经验，有团队管理经历",
}

GENERAL_SENTENCES_MORE: tuple[str, ...] = (
    "公司业务稳定增长，岗位长期招聘，欢迎推荐身边的朋友",
    "本岗位与多所职业院校开展订单班合作，优秀实习生可留用",
    "团队氛围融洽，老员工乐于分享，新人成长快",
    "有意者请投递简历并注明应聘岗位，合适者将尽快安排面试",
    "面试地点：公司运营中心，具体时间另行通知",
    "公司定期组织技能比武和岗位练兵活动",
    "薪资结构：基本工资+绩效工资+各类补贴",
    "工作环境整洁，配备空调休息室和饮水设施",
    "节假日按国家规定安排，加班按劳动法支付加班费",
    "所有岗位均依法缴纳社会保险，按时足额发放工资",
)
