"""The 18 bundled subject libraries of the international-logistics resource centre.

Codes, bilingual names and descriptions are written by us. ``topics`` are a few
bilingual subject phrases per library the demo uses to write synthetic sample
resources (labelled 示例 / sample).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.library.resources import create_library
from talentbridge.store.library_tables import Library


@dataclass(frozen=True)
class LibrarySeed:
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    topics: tuple[tuple[str, str], ...]  # (zh, en) subject phrases


LIBRARIES: tuple[LibrarySeed, ...] = (
    LibrarySeed("freight-forwarding", "国际货运代理", "International freight forwarding",
        "订舱、拼箱、提单与货代业务流程的教学资源。",
        "Teaching resources on booking, consolidation, bills of lading and the forwarder's workflow.",
        (("海运订舱", "ocean freight booking"), ("拼箱", "less than container load consolidation"), ("提单", "bill of lading"))),
    LibrarySeed("customs", "报关与报检", "Customs declaration",
        "进出口报关单填制、HS编码归类、海关监管与检验检疫。",
        "Export and import customs declarations, HS code classification, customs control and inspection.",
        (("报关单填制", "customs declaration form"), ("HS编码归类", "HS code classification"), ("原产地证书", "certificate of origin"))),
    LibrarySeed("cross-border-ecommerce", "跨境电子商务", "Cross-border e-commerce",
        "跨境电商平台运营、海外仓、跨境物流与支付。",
        "Cross-border platform operations, overseas warehouses, cross-border parcels and payments.",
        (("跨境电商平台运营", "cross-border platform operations"), ("海外仓", "overseas warehouse"), ("跨境支付", "cross-border payment"))),
    LibrarySeed("warehousing", "仓储与配送", "Warehousing and distribution",
        "仓库作业、库存管理、拣选与配送路线规划。",
        "Warehouse operations, inventory control, order picking and delivery route planning.",
        (("库存管理", "inventory management"), ("拣货作业", "order picking"), ("配送路线规划", "delivery route planning"))),
    LibrarySeed("supply-chain", "供应链管理", "Supply chain management",
        "供应链计划、需求预测、供应商协同与风险管理。",
        "Supply chain planning, demand forecasting, supplier collaboration and risk management.",
        (("需求预测", "demand forecasting"), ("供应链计划", "supply chain planning"), ("供应链风险管理", "supply chain risk management"))),
    LibrarySeed("trade-documents", "国际贸易单证", "International trade documents",
        "商业发票、装箱单、提单、信用证单据的缮制与审核。",
        "Preparing and checking commercial invoices, packing lists, bills of lading and documents under letters of credit.",
        (("商业发票", "commercial invoice"), ("装箱单", "packing list"), ("信用证审单", "documentary credit examination"))),
    LibrarySeed("business-english", "物流商务英语", "Business English for logistics",
        "物流与外贸场景的英语函电、谈判与口语。",
        "English correspondence, negotiation and speaking for logistics and trade.",
        (("外贸函电", "business correspondence"), ("商务谈判", "business negotiation"), ("询盘与报价", "enquiry and quotation"))),
    LibrarySeed("cold-chain", "冷链物流", "Cold chain logistics",
        "温控运输、冷藏集装箱、冷库管理与食品药品冷链。",
        "Temperature-controlled transport, reefer containers, cold stores and food and pharma cold chains.",
        (("冷藏集装箱", "reefer container"), ("温度监控", "temperature monitoring"), ("冷库管理", "cold store management"))),
    LibrarySeed("multimodal", "多式联运", "Multimodal transport",
        "海铁联运、公铁联运、多式联运单据与组织。",
        "Sea–rail and road–rail transport, multimodal transport documents and operators.",
        (("海铁联运", "sea-rail intermodal transport"), ("多式联运单据", "multimodal transport document"), ("集装箱运输", "container transport"))),
    LibrarySeed("rail-express", "铁路运输与中欧班列", "Rail transport and China–Europe Railway Express",
        "铁路货运组织、中欧班列运营与国际铁路联运单证。",
        "Rail freight operations, China–Europe Railway Express services and international rail consignment notes.",
        (("中欧班列", "China-Europe Railway Express"), ("国际铁路联运", "international rail transport"), ("铁路运单", "rail consignment note"))),
    LibrarySeed("port-shipping", "港口与航运", "Port and shipping",
        "港口作业、集装箱码头、船舶代理与航运市场。",
        "Port operations, container terminals, ship agency and shipping markets.",
        (("集装箱码头", "container terminal"), ("船舶代理", "ship agency"), ("航运市场", "shipping market"))),
    LibrarySeed("air-cargo", "航空货运", "Air cargo",
        "航空货运代理、航空运单、集装器与危险品空运。",
        "Air freight forwarding, air waybills, unit load devices and dangerous goods by air.",
        (("航空运单", "air waybill"), ("航空货运代理", "air freight forwarding"), ("集装器", "unit load device"))),
    LibrarySeed("smart-logistics", "物流信息技术与智慧物流", "Logistics information technology and smart logistics",
        "仓储管理系统、运输管理系统、条码与RFID、物流数据分析。",
        "Warehouse and transport management systems, barcodes and RFID, logistics data analysis.",
        (("仓储管理系统", "warehouse management system"), ("运输管理系统", "transport management system"), ("物流数据分析", "logistics data analysis"))),
    LibrarySeed("trade-practice", "国际贸易实务", "International trade practice",
        "贸易术语、合同磋商、国际结算与进出口业务流程。",
        "Incoterms, contract negotiation, international settlement and the import-export workflow.",
        (("国际贸易术语", "Incoterms"), ("国际结算", "international settlement"), ("进出口业务", "import and export business"))),
    LibrarySeed("law-compliance", "物流法律与合规", "Logistics law and compliance",
        "运输合同、货损责任、海商法与出口管制合规。",
        "Carriage contracts, cargo liability, maritime law and export control compliance.",
        (("运输合同", "contract of carriage"), ("海商法", "maritime law"), ("出口管制", "export control"))),
    LibrarySeed("dangerous-goods", "危险货物运输", "Dangerous goods",
        "危险货物分类、包装标志、申报与应急处置。",
        "Dangerous goods classification, packing and marking, declarations and emergency response.",
        (("危险货物分类", "dangerous goods classification"), ("危险品包装", "dangerous goods packaging"), ("危险品申报", "dangerous goods declaration"))),
    LibrarySeed("finance-insurance", "物流金融与保险", "Logistics finance and insurance",
        "货物运输保险、供应链金融与物流成本核算。",
        "Cargo insurance, supply chain finance and logistics cost accounting.",
        (("货物运输保险", "cargo insurance"), ("供应链金融", "supply chain finance"), ("物流成本核算", "logistics cost accounting"))),
    LibrarySeed("procurement", "采购管理", "Procurement",
        "采购计划、供应商选择与评估、招投标与采购合同。",
        "Purchase planning, supplier selection and evaluation, tendering and purchase contracts.",
        (("供应商评估", "supplier evaluation"), ("采购合同", "purchase contract"), ("招标采购", "tendering"))),
)  # fmt: skip


def seed_libraries(session: Session, *, principal: Principal, is_sample: bool = False) -> int:
    """Create the bundled libraries that do not exist yet; how many were created."""
    existing = set(session.scalars(select(Library.code)))
    created = 0
    for seed in LIBRARIES:
        if seed.code in existing:
            continue
        create_library(
            session,
            principal=principal,
            code=seed.code,
            name_zh=seed.name_zh,
            name_en=seed.name_en,
            description_zh=seed.description_zh,
            description_en=seed.description_en,
            is_sample=is_sample,
        )
        created += 1
    return created
