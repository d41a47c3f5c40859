"""Sample training plans (人才培养方案): courses with descriptions for the demo's
college majors and directions, written as the file ``talentbridge import courses`` reads.

Each major has a pool of core courses; a college's plan takes most of them (so colleges
differ a little and the skill coverage gaps differ too); each direction adds its own
courses. Everything is labelled sample data like the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol

COURSES = "courses.csv"
COURSE_HEADERS = ("college", "major_level", "major_code", "direction_zh", "year", "plan_name",
                  "course_code", "course_name", "kind", "semester", "hours", "credits",
                  "description", "source")  # fmt: skip

CORE = "专业核心课"
BASE = "专业基础课"
EXT = "专业拓展课"

# (name, kind, description)
Course = tuple[str, str, str]

COMMON: tuple[Course, ...] = (
    ("经济学基础", BASE, "供求关系、市场结构与宏观经济指标的基本概念。"),
    ("管理学基础", BASE, "计划、组织、领导与控制等管理职能，团队沟通与协作。"),
    ("办公软件应用", BASE, "Excel数据处理、函数与数据透视表，Word与PPT商务文档制作。"),
)

BY_MAJOR: dict[str, tuple[Course, ...]] = {
    "530802": (
        ("现代物流概论", BASE, "物流系统构成、物流成本与服务水平，现代物流发展趋势。"),
        (
            "仓储与配送管理",
            CORE,
            "入库、上架、拣货、出库作业，库存控制与盘点，配送路线规划与WMS系统操作。",
        ),
        ("运输管理实务", CORE, "公路、铁路、水路与航空运输组织，运输调度与TMS系统应用，运费计算。"),
        ("供应链管理", CORE, "供应链计划、采购管理与供应商管理，牛鞭效应与需求预测。"),
        ("国际货运代理实务", CORE, "订舱、报关、提单缮制与海运进出口操作流程，国际贸易术语。"),
        ("物流信息技术", CORE, "条码与RFID技术、物流信息系统，ERP系统基础操作。"),
        ("物流成本管理", EXT, "物流成本核算与分析，仓储成本与运输成本控制。"),
        ("冷链物流管理", EXT, "冷链运输与冷库管理，温控与生鲜物流。"),
    ),
    "530702": (
        ("跨境电子商务概论", BASE, "跨境电商模式、主流平台规则与行业发展。"),
        ("跨境电商平台运营", CORE, "亚马逊、速卖通店铺运营，选品与Listing优化，站内广告投放。"),
        ("跨境电商物流", CORE, "跨境物流渠道选择、海外仓与FBA头程，跨境电商通关。"),
        ("跨境电商营销", CORE, "海外社交媒体营销、搜索引擎优化与数据分析。"),
        ("外贸英语函电", CORE, "商务英语写作、询盘回复与跨境客服沟通。"),
        ("跨境支付与结算", EXT, "跨境支付工具、外汇结算与跨境电商税务。"),
    ),
    "530503": (
        ("国际贸易实务", BASE, "国际贸易术语、合同条款与信用证结算。"),
        ("报关实务", CORE, "报关单填制、进出口报关流程与海关监管。"),
        ("商品归类", CORE, "HS归类原则与商品编码查询。"),
        ("外贸单证实务", CORE, "商业发票、装箱单、提单与原产地证的缮制与审核。"),
        ("海关法规与贸易合规", CORE, "海关法规、出口管制与贸易合规管理。"),
        ("保税物流实务", EXT, "保税仓储与海关特殊监管区域业务。"),
    ),
    "530809": (
        ("智能物流技术概论", BASE, "智能仓储、自动分拣与物流机器人的应用场景。"),
        ("智能仓储系统", CORE, "自动化立体库、WMS与WCS系统、AGV调度。"),
        ("物流自动化设备运维", CORE, "输送分拣设备、堆垛机与PLC控制的维护保养。"),
        ("物流数据分析", CORE, "Python数据分析与可视化，物流运营数据指标。"),
    ),
    "530805": (
        ("冷链物流概论", BASE, "冷链物流体系与温控要求。"),
        ("冷库管理实务", CORE, "冷库作业、温湿度监控与冷链仓储管理。"),
        ("冷链运输管理", CORE, "冷藏车调度、冷链配送与全程温控。"),
        ("医药物流管理", EXT, "药品GSP规范与医药冷链。"),
    ),
    "530501": (
        ("国际贸易实务", BASE, "国际贸易术语、合同磋商与信用证结算。"),
        ("外贸跟单实务", CORE, "订单跟进、验货与出运安排。"),
        ("外贸英语函电", CORE, "商务英语写作与询盘回复。"),
        ("国际市场营销", CORE, "海外市场调研、展会营销与客户开发。"),
    ),
    "530810": (
        ("供应链管理基础", BASE, "供应链结构与协同。"),
        ("采购与供应商管理", CORE, "采购管理、供应商评估与招投标。"),
        ("供应链计划", CORE, "需求预测、库存控制与S&OP计划。"),
        ("供应链数字化", CORE, "ERP系统与供应链数据分析。"),
    ),
    "530701": (
        ("电子商务概论", BASE, "电子商务模式与平台。"),
        ("网店运营", CORE, "店铺运营、商品管理与活动策划。"),
        ("直播电商", CORE, "直播策划、主播话术与直播运营。"),
        ("电子商务数据分析", CORE, "电商运营数据分析与Excel数据处理。"),
    ),
}

BY_DIRECTION: dict[str, tuple[Course, ...]] = {
    "跨境电商": (
        ("跨境电商物流实务", CORE, "跨境物流渠道、海外仓运营与跨境电商通关。"),
        ("跨境电商平台运营", CORE, "亚马逊店铺运营与选品。"),
    ),
    "智能物流技术": (("智能仓储系统", CORE, "自动化立体库、AGV与WMS系统。"),),
    "智能关务": (("智能通关实务", CORE, "无纸化通关、报关软件操作与跨境电商通关。"),),
    "供应链管理": (("供应链计划", CORE, "需求预测与库存控制。"),),
    "国际货运代理": (("国际多式联运", CORE, "多式联运组织、中欧班列与海运订舱。"),),
    "跨境直播电商": (("海外直播运营", CORE, "TikTok直播与海外社交媒体营销。"),),
    "海外仓运营": (("海外仓管理", CORE, "海外仓运营、一件代发与库存管理。"),),
    "物流机器人运维": (("物流机器人运维", CORE, "AGV与AMR机器人的维护与调度。"),),
    "医药冷链": (("医药冷链物流", CORE, "药品GSP规范、医药冷链运输与温控。"),),
    "生鲜冷链": (("生鲜物流实务", CORE, "生鲜配送、冷库作业与农产品冷链。"),),
    "报关与国际货运": (("进出口报关与货代", CORE, "进出口报关流程、订舱与海运提单。"),),
    "外贸业务": (("外贸业务实操", CORE, "外贸跟单、询盘回复与客户开发。"),),
    "航空货运": (("航空货运实务", CORE, "航空货运订舱、空运单与危险品运输。"),),
    "数字供应链": (("数字供应链", CORE, "供应链数字化与数据分析。"),),
    "直播电商": (("直播运营", CORE, "直播策划与直播运营。"),),
    "中欧班列运营": (("中欧班列实务", CORE, "中欧班列订舱、铁路运输与国际多式联运。"),),
    "物流数据分析": (("物流数据分析", CORE, "Python数据分析与物流运营指标。"),),
}


class TrackLike(Protocol):
    college_code: str
    level: str
    major_code: str
    direction_zh: str


def course_rows(
    rng: random.Random, tracks: Sequence[TrackLike], year: int, source: str
) -> list[dict[str, str]]:
    """One plan per college major (and per direction) for the intake ``year``."""
    rows: list[dict[str, str]] = []
    for t in tracks:
        if t.direction_zh:
            pool = list(BY_DIRECTION.get(t.direction_zh, ()))
        else:
            core = list(BY_MAJOR.get(t.major_code, BY_MAJOR["530802"][:4]))
            keep = max(3, len(core) - rng.randint(0, 2))  # colleges teach a little differently
            pool = list(COMMON) + sorted(rng.sample(core, k=min(keep, len(core))), key=core.index)
        plan = (
            f"{year}级{t.major_code}{('·' + t.direction_zh) if t.direction_zh else ''}人才培养方案"
        )
        for i, (name, kind, description) in enumerate(pool, start=1):
            hours = rng.choice((32, 48, 64)) if kind != BASE else 48
            rows.append({
                "college": t.college_code, "major_level": t.level, "major_code": t.major_code,
                "direction_zh": t.direction_zh, "year": str(year), "plan_name": plan,
                "course_code": f"{t.major_code[-3:]}{'D' if t.direction_zh else 'C'}{i:02d}",
                "course_name": name, "kind": kind,
                "semester": str(min(6, 1 + (i - 1) // 2)), "hours": str(hours),
                "credits": str(hours // 16), "description": description, "source": source,
            })  # fmt: skip
    return rows
