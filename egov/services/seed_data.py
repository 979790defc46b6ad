"""The demo catalogue: about thirty service items of Yongchuan bodies (``manage.py
seed_services``).

The items, conditions and legal bases follow public service guides of Chinese districts; the
codes, addresses and phone numbers are made up for the demo (basic codes: type, body, item,
sub-item), and every legal basis must be checked by the body before real use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- building blocks ----------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialSeed:
    name: str
    form: str = "original"
    copies: int = 1
    required: bool = True
    requirement_note: str = ""
    source: str = "applicant"
    issuing_body: str = ""
    licence_type: str = ""
    blank_form: bool = False
    sample: bool = False
    notes: str = ""


@dataclass(frozen=True)
class ResultSeed:
    name: str
    kind: str = "licence"
    licence_type: str = ""
    sample: bool = False


@dataclass(frozen=True)
class FeeSeed:
    name: str
    amount: str | None
    legal_basis: str
    rule: str = ""


@dataclass(frozen=True)
class ItemSeed:
    body: str  # directory code
    basic_code: str
    name: str
    name_en: str
    item_type: str
    audience: str
    legal_basis: str
    conditions: str
    statutory: tuple[int, str]  # (days, unit); 0 where no law sets a limit
    promised: tuple[int, str] | None  # None: on the spot (即办件)
    materials: tuple[MaterialSeed, ...]
    results: tuple[ResultSeed, ...]
    fees: tuple[FeeSeed, ...] = ()
    wait_for_payment: bool = False
    life_events: tuple[str, ...] = ()
    enterprise_stages: tuple[str, ...] = ()
    visits: int = 0
    depth: int = 4
    review: str = "对申请材料进行审查。"
    faqs: tuple[tuple[str, str], ...] = ()
    form_fields: tuple[dict, ...] = field(default=())  # besides the applicant's


WORKING = "working"
NATURAL = "natural"

ID_CARD = MaterialSeed(
    "申请人居民身份证",
    source="government",
    issuing_body="公安机关",
    licence_type="resident_id_card",
    notes="窗口办理的核验原件；网上办理的上传正反面，或直接调用电子身份证。",
)
HOUSEHOLD = MaterialSeed(
    "居民户口簿",
    source="government",
    issuing_body="公安机关",
    licence_type="household_register",
)
BUSINESS_LICENCE = MaterialSeed(
    "营业执照",
    form="copy",
    source="government",
    issuing_body="市场监督管理部门",
    licence_type="business_licence",
    notes="持有电子营业执照的，可直接调用，无需上传。",
)
SOCIAL_SECURITY_CARD = MaterialSeed(
    "社会保障卡",
    source="government",
    issuing_body="人力资源社会保障部门",
    licence_type="social_security_card",
    notes="用于发放待遇的金融账户。",
)
MARRIAGE_CERTIFICATE = MaterialSeed(
    "结婚证",
    form="copy",
    source="government",
    issuing_body="婚姻登记机关",
    licence_type="marriage_certificate",
)
POWER_OF_ATTORNEY = MaterialSeed(
    "授权委托书及受托人身份证件",
    required=False,
    requirement_note="委托他人办理的提供",
    blank_form=True,
)


def text(zh: str, en: str) -> dict:
    return {"zh-hans": zh, "en": en}


def form_field(name: str, kind: str, zh: str, en: str, **options) -> dict:
    result = {"name": name, "type": kind, "label": text(zh, en)}
    result.update(options)
    return result


NATURAL_APPLICANT = (
    form_field(
        "applicant_name",
        "text",
        "申请人姓名",
        "Applicant's name",
        required=True,
        prefill="real_name",
        validation={"max_length": 50},
    ),
    form_field(
        "applicant_id_number",
        "id-number",
        "公民身份号码",
        "Resident ID number",
        required=True,
        prefill="id_number",
    ),
    form_field(
        "applicant_mobile",
        "mobile",
        "联系电话",
        "Mobile number",
        required=True,
        prefill="mobile",
        help=text("用于接收办理进度短信。", "Progress messages are sent to this number."),
    ),
)
LEGAL_APPLICANT = (
    form_field(
        "enterprise_name",
        "text",
        "单位名称",
        "Name of the organisation",
        required=True,
        prefill="enterprise_name",
        validation={"max_length": 100},
    ),
    form_field(
        "enterprise_uscc",
        "uscc",
        "统一社会信用代码",
        "Unified social credit code",
        required=True,
        prefill="uscc",
    ),
    form_field(
        "legal_representative",
        "text",
        "法定代表人（负责人）",
        "Legal representative",
        required=True,
        prefill="legal_representative",
        validation={"max_length": 50},
    ),
    form_field("contact_mobile", "mobile", "联系人手机号码", "Contact's mobile", required=True),
)


def _shown_when(fields: tuple[dict, ...], kind: str) -> tuple[dict, ...]:
    return tuple(
        {**each, "shown_if": {"field": "applicant_kind", "equals": kind}} for each in fields
    )


EITHER_APPLICANT = (
    form_field(
        "applicant_kind",
        "choice",
        "申请人类型",
        "Who applies",
        required=True,
        choices=[
            {"value": "natural", "label": text("个人", "A person")},
            {"value": "legal", "label": text("单位", "An organisation")},
        ],
    ),
    *_shown_when(NATURAL_APPLICANT, "natural"),
    *_shown_when(LEGAL_APPLICANT, "legal"),
)
APPLICANT_FIELDS = {
    "natural": NATURAL_APPLICANT,
    "legal": LEGAL_APPLICANT,
    "both": EITHER_APPLICANT,
}


def choice(value: str, zh: str, en: str) -> dict:
    return {"value": value, "label": text(zh, en)}


# --- the items ------------------------------------------------------------------------------

ITEMS: tuple[ItemSeed, ...] = (
    # 区市场监管局 ------------------------------------------------------------------------
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601001000",
        name="个体工商户设立登记",
        name_en="Registration of an individual business",
        item_type="licensing",
        audience="natural",
        legal_basis=(
            "《市场主体登记管理条例》（国务院令第746号）第三条、第十九条；"
            "《促进个体工商户发展条例》（国务院令第755号）第八条；"
            "《市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）。"
        ),
        conditions=(
            "有经营能力的公民（法律、行政法规禁止从事营利性活动的人员除外）；"
            "有与经营相适应的经营场所；经营范围不属于法律、行政法规禁止的项目。"
        ),
        statutory=(3, WORKING),
        promised=None,
        materials=(
            MaterialSeed(
                "个体工商户登记（备案）申请书", blank_form=True, sample=True, form="electronic"
            ),
            ID_CARD,
            MaterialSeed(
                "经营场所使用证明",
                form="copy",
                licence_type="real_estate_certificate",
                notes="自有房屋提交不动产权证书，租赁房屋提交租赁合同。",
            ),
            POWER_OF_ATTORNEY,
        ),
        results=(ResultSeed("营业执照", licence_type="business_licence", sample=True),),
        life_events=("employment",),
        enterprise_stages=("start",),
        review="审查申请材料是否齐全、是否符合法定形式，当场登记。",
        faqs=(
            (
                "个体工商户必须起名称吗？",
                "不是。个体工商户可以使用名称，也可以不使用名称；使用名称的，名称中的行政区划为“永川区”。",
            ),
            (
                "可以用住宅作为经营场所吗？",
                "将住宅改为经营性用房的，应当遵守法律法规和管理规约，并经有利害关系的业主同意。",
            ),
        ),
        form_fields=(
            form_field("has_trade_name", "boolean", "是否使用名称（字号）", "Use a trade name"),
            form_field(
                "trade_name",
                "text",
                "名称（字号）",
                "Trade name",
                required=True,
                validation={"max_length": 30},
                shown_if={"field": "has_trade_name", "equals": True},
            ),
            form_field(
                "business_scope",
                "choice",
                "经营范围",
                "Line of business",
                required=True,
                multiple=True,
                choices=[
                    choice("retail", "零售", "Retail"),
                    choice("catering", "餐饮服务", "Catering"),
                    choice("resident_services", "居民服务", "Services for residents"),
                    choice("repair", "修理", "Repairs"),
                ],
            ),
            form_field(
                "business_address",
                "textarea",
                "经营场所",
                "Business address",
                required=True,
                validation={"max_length": 200},
            ),
            form_field(
                "employees",
                "number",
                "从业人数",
                "People working",
                validation={"min": 0, "max": 999},
            ),
        ),
    ),
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601002000",
        name="食品经营许可（新办）",
        name_en="Food business licence (new)",
        item_type="licensing",
        audience="both",
        legal_basis=(
            "《中华人民共和国食品安全法》第三十五条；"
            "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。"
        ),
        conditions=(
            "具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；"
            "具有相应的设备设施；有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；"
            "具有合理的设备布局和工艺流程。"
        ),
        statutory=(10, WORKING),
        promised=(5, WORKING),
        materials=(
            MaterialSeed("食品经营许可申请书", blank_form=True, sample=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed(
                "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", form="electronic"
            ),
            MaterialSeed("食品安全管理制度目录", form="electronic"),
            ID_CARD,
        ),
        results=(ResultSeed("食品经营许可证", licence_type="food_business_licence", sample=True),),
        life_events=("employment",),
        enterprise_stages=("permits",),
        review="审查申请材料，必要时对经营场所进行现场核查。",
        faqs=(
            (
                "只销售预包装食品需要办理食品经营许可吗？",
                "仅销售预包装食品的，向市场监管部门备案即可，无需取得食品经营许可。",
            ),
            ("食品经营许可证有效期多久？", "有效期为5年。"),
        ),
        form_fields=(
            form_field(
                "business_kind",
                "choice",
                "经营者类型",
                "Kind of food business",
                required=True,
                choices=[
                    choice("sales", "食品销售经营者", "Food sales"),
                    choice("catering", "餐饮服务经营者", "Catering"),
                    choice("canteen", "单位食堂", "Staff canteen"),
                ],
            ),
            form_field(
                "site_area",
                "number",
                "经营场所面积（平方米）",
                "Floor area (m²)",
                required=True,
                validation={"min": 1, "max": 100000, "decimal_places": 2},
            ),
        ),
    ),
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601003000",
        name="药品零售企业许可（药品经营许可证核发）",
        name_en="Drug retail licence",
        item_type="licensing",
        audience="legal",
        legal_basis=(
            "《中华人民共和国药品管理法》第五十一条、第五十二条；"
            "《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）。"
        ),
        conditions=(
            "有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、"
            "设备、仓储设施和卫生环境；有与所经营药品相适应的质量管理机构或者人员；"
            "有保证药品质量的规章制度，并符合药品经营质量管理规范要求。"
        ),
        statutory=(20, WORKING),
        promised=(15, WORKING),
        materials=(
            MaterialSeed("药品经营许可证申请表", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed(
                "执业药师注册证",
                form="copy",
                source="government",
                issuing_body="药品监督管理部门",
                licence_type="practising_pharmacist",
            ),
            MaterialSeed("经营场所、仓库平面布置图", form="copy"),
            MaterialSeed("质量管理文件目录", form="electronic"),
        ),
        results=(ResultSeed("药品经营许可证", licence_type="drug_business_licence"),),
        enterprise_stages=("permits",),
        visits=1,
        depth=3,
        review="审查申请材料，组织现场检查。",
        form_fields=(
            form_field(
                "pharmacist_name", "text", "执业药师姓名", "Licensed pharmacist", required=True
            ),
            form_field(
                "store_area",
                "number",
                "营业场所面积（平方米）",
                "Shop floor area (m²)",
                required=True,
                validation={"min": 1, "max": 10000},
            ),
        ),
    ),
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601004000",
        name="企业变更登记",
        name_en="Registration of changes of an enterprise",
        item_type="licensing",
        audience="legal",
        legal_basis="《市场主体登记管理条例》（国务院令第746号）第二十四条至第二十九条。",
        conditions=(
            "登记事项发生变更的，应当自作出变更决议、决定或者法定变更事项发生之日起30日内申请变更登记。"
        ),
        statutory=(3, WORKING),
        promised=(1, WORKING),
        materials=(
            MaterialSeed("企业变更登记（备案）申请书", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed("变更决议或者决定", notes="由股东会、股东或者有权机构作出。"),
            POWER_OF_ATTORNEY,
        ),
        results=(ResultSeed("营业执照（换发）", licence_type="business_licence"),),
        enterprise_stages=("change",),
        form_fields=(
            form_field(
                "changed_items",
                "choice",
                "变更事项",
                "What changes",
                required=True,
                multiple=True,
                choices=[
                    choice("name", "名称", "Name"),
                    choice("address", "住所", "Address"),
                    choice("representative", "法定代表人", "Legal representative"),
                    choice("capital", "注册资本", "Registered capital"),
                    choice("scope", "经营范围", "Business scope"),
                ],
            ),
        ),
    ),
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601005000",
        name="企业简易注销登记",
        name_en="Simplified deregistration of an enterprise",
        item_type="licensing",
        audience="legal",
        legal_basis="《市场主体登记管理条例》（国务院令第746号）第三十一条、第三十三条。",
        conditions=(
            "未发生债权债务或者已将债权债务清偿完结，未发生或者已结清清偿费用、职工工资、"
            "社会保险费用、法定补偿金、应缴纳税款（滞纳金、罚款），并由全体投资人书面承诺"
            "对上述情况的真实性承担法律责任；经国家企业信用信息公示系统公示20日无异议。"
        ),
        statutory=(3, WORKING),
        promised=(1, WORKING),
        materials=(
            MaterialSeed("注销登记申请书", blank_form=True, form="electronic"),
            MaterialSeed("全体投资人承诺书", blank_form=True, sample=True),
            BUSINESS_LICENCE,
        ),
        results=(ResultSeed("准予注销登记通知书", kind="approval"),),
        enterprise_stages=("closure",),
    ),
    ItemSeed(
        body="YC-SCJG",
        basic_code="010601006000",
        name="特种设备使用登记",
        name_en="Registration of the use of special equipment",
        item_type="licensing",
        audience="legal",
        legal_basis="《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》（TSG 08-2017）。",
        conditions="特种设备在投入使用前或者投入使用后三十日内，使用单位应当办理使用登记。",
        statutory=(15, WORKING),
        promised=(5, WORKING),
        materials=(
            MaterialSeed("特种设备使用登记表", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed("产品合格证", form="copy", source="other", issuing_body="制造单位"),
            MaterialSeed("监督检验证明", form="copy", source="other", issuing_body="检验机构"),
        ),
        results=(ResultSeed("特种设备使用登记证", licence_type="special_equipment_registration"),),
        enterprise_stages=("operation",),
        form_fields=(
            form_field(
                "equipment_kind",
                "choice",
                "设备种类",
                "Kind of equipment",
                required=True,
                choices=[
                    choice("boiler", "锅炉", "Boiler"),
                    choice("pressure_vessel", "压力容器", "Pressure vessel"),
                    choice("elevator", "电梯", "Lift"),
                    choice("crane", "起重机械", "Crane"),
                ],
            ),
            form_field(
                "equipment_count",
                "number",
                "台数",
                "Units",
                required=True,
                validation={"min": 1, "max": 500},
            ),
        ),
    ),
    # 区人力社保局 ----------------------------------------------------------------------
    ItemSeed(
        body="YC-RSJ",
        basic_code="050301001000",
        name="失业保险金申领",
        name_en="Claiming unemployment insurance benefit",
        item_type="benefit",
        audience="natural",
        legal_basis=(
            "《中华人民共和国社会保险法》第四十五条、第五十条；"
            "《失业保险条例》（国务院令第258号）第十四条、第十六条、第十七条。"
        ),
        conditions=(
            "失业前用人单位和本人已经缴纳失业保险费满1年；非因本人意愿中断就业；"
            "已经进行失业登记，并有求职要求。"
        ),
        statutory=(10, NATURAL),
        promised=(3, WORKING),
        materials=(
            ID_CARD,
            SOCIAL_SECURITY_CARD,
            MaterialSeed(
                "解除或者终止劳动关系的证明",
                source="other",
                issuing_body="原用人单位",
                notes="系统可查询到的无需提供。",
                required=False,
                requirement_note="系统查询不到解除或终止劳动关系信息的提供",
            ),
        ),
        results=(ResultSeed("失业保险待遇核定结果", kind="approval"),),
        life_events=("employment", "social_insurance"),
        faqs=(
            (
                "失业保险金能领多久？",
                "失业前用人单位和本人累计缴费满1年不满5年的，最长12个月；满5年不满10年的，"
                "最长18个月；10年以上的，最长24个月。",
            ),
        ),
        form_fields=(
            form_field("last_employer", "text", "原工作单位", "Last employer", required=True),
            form_field(
                "separation_date",
                "date",
                "解除（终止）劳动关系日期",
                "Date employment ended",
                required=True,
                validation={"max": "today"},
            ),
            form_field(
                "separation_reason",
                "choice",
                "失业原因",
                "Why employment ended",
                required=True,
                choices=[
                    choice("contract_ended", "劳动合同期满终止", "Contract ended"),
                    choice("dismissed", "用人单位解除", "Ended by the employer"),
                    choice("agreed", "协商一致解除", "Ended by agreement"),
                    choice("other", "其他", "Other"),
                ],
            ),
            form_field(
                "separation_note",
                "textarea",
                "其他原因说明",
                "Other reason",
                required=True,
                validation={"max_length": 300},
                shown_if={"field": "separation_reason", "equals": "other"},
            ),
        ),
    ),
    ItemSeed(
        body="YC-RSJ",
        basic_code="200301002000",
        name="就业创业证申领",
        name_en="Employment and entrepreneurship certificate",
        item_type="public_service",
        audience="natural",
        legal_basis=(
            "《中华人民共和国就业促进法》第三十五条；"
            "《就业服务与就业管理规定》（劳动和社会保障部令第28号）第六十一条至第六十三条。"
        ),
        conditions="法定劳动年龄内、有劳动能力、有就业要求的城乡劳动者。",
        statutory=(0, WORKING),
        promised=None,
        materials=(ID_CARD,),
        results=(ResultSeed("就业创业证", licence_type="employment_certificate"),),
        life_events=("employment",),
        form_fields=(
            form_field(
                "employment_status",
                "choice",
                "当前就业状态",
                "Current situation",
                required=True,
                choices=[
                    choice("employed", "就业", "In work"),
                    choice("unemployed", "失业", "Unemployed"),
                    choice("self_employed", "创业", "Running a business"),
                ],
            ),
        ),
    ),
    ItemSeed(
        body="YC-RSJ",
        basic_code="200301003000",
        name="社会保障卡补换",
        name_en="Replacing a social security card",
        item_type="public_service",
        audience="natural",
        legal_basis="《中华人民共和国社会保险法》第五十八条；重庆市社会保障卡服务管理有关规定。",
        conditions="社会保障卡遗失、损坏或者信息变更需要补换的参保人员。",
        statutory=(0, WORKING),
        promised=None,
        materials=(
            ID_CARD,
            MaterialSeed(
                "近期免冠证件照片",
                required=False,
                requirement_note="窗口现场拍照的无需提供",
            ),
        ),
        results=(ResultSeed("社会保障卡", licence_type="social_security_card"),),
        life_events=("social_insurance",),
        visits=1,
        depth=2,
        review="核验身份，即时制卡。",
    ),
    ItemSeed(
        body="YC-RSJ",
        basic_code="050301004000",
        name="城乡居民基本养老保险待遇申领",
        name_en="Claiming the basic pension for urban and rural residents",
        item_type="benefit",
        audience="natural",
        legal_basis=(
            "《中华人民共和国社会保险法》第二十条、第二十一条；"
            "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）。"
        ),
        conditions="年满60周岁、累计缴费满15年，且未领取国家规定的基本养老保障待遇的城乡居民。",
        statutory=(20, WORKING),
        promised=(10, WORKING),
        materials=(ID_CARD, HOUSEHOLD, SOCIAL_SECURITY_CARD),
        results=(ResultSeed("养老保险待遇核定结果", kind="approval"),),
        life_events=("old_age", "social_insurance"),
        form_fields=(
            form_field(
                "paid_by",
                "choice",
                "待遇发放方式",
                "Paid into",
                required=True,
                choices=[
                    choice("card", "社会保障卡", "Social security card"),
                    choice("bank", "其他银行账户", "Another bank account"),
                ],
            ),
            form_field(
                "bank_account",
                "text",
                "银行账号",
                "Bank account number",
                required=True,
                validation={
                    "pattern": "[0-9]{12,30}",
                    "pattern_message": text("请填写12至30位数字。", "Enter 12 to 30 digits."),
                },
                shown_if={"field": "paid_by", "equals": "bank"},
            ),
        ),
    ),
    ItemSeed(
        body="YC-RSJ",
        basic_code="070301005000",
        name="就业困难人员认定",
        name_en="Recognition as a person with difficulty finding work",
        item_type="confirmation",
        audience="natural",
        legal_basis="《中华人民共和国就业促进法》第五十二条、第五十三条。",
        conditions=(
            "已办理失业登记，且属于“4050”人员、残疾人、城乡最低生活保障家庭成员、"
            "连续失业一年以上等就业困难情形之一的劳动者。"
        ),
        statutory=(10, WORKING),
        promised=(5, WORKING),
        materials=(
            ID_CARD,
            MaterialSeed(
                "就业困难情形证明材料",
                form="copy",
                required=False,
                requirement_note="系统无法核验的提供（如残疾人证）",
            ),
        ),
        results=(ResultSeed("就业困难人员认定结果", kind="approval"),),
        life_events=("employment", "assistance"),
        form_fields=(
            form_field(
                "difficulty",
                "choice",
                "就业困难情形",
                "Difficulty",
                required=True,
                choices=[
                    choice("age", "女满40周岁、男满50周岁", "Women over 40, men over 50"),
                    choice("disability", "残疾人", "Disability"),
                    choice(
                        "low_income", "最低生活保障家庭成员", "Member of a low-income household"
                    ),
                    choice("long_term", "连续失业一年以上", "Unemployed for over a year"),
                ],
            ),
        ),
    ),
    # 区民政局 ------------------------------------------------------------------------------
    ItemSeed(
        body="YC-MZJ",
        basic_code="070201001000",
        name="内地居民结婚登记",
        name_en="Marriage registration",
        item_type="confirmation",
        audience="natural",
        legal_basis=(
            "《中华人民共和国民法典》第一千零四十六条至第一千零四十九条；"
            "《婚姻登记条例》第四条、第五条、第七条。"
        ),
        conditions=(
            "男女双方完全自愿；男不得早于二十二周岁，女不得早于二十周岁；双方均无配偶；"
            "不属于直系血亲或者三代以内旁系血亲；双方共同到婚姻登记机关申请。"
        ),
        statutory=(0, WORKING),
        promised=None,
        materials=(
            MaterialSeed(
                "双方本人有效的居民身份证",
                source="government",
                issuing_body="公安机关",
                licence_type="resident_id_card",
            ),
            MaterialSeed(
                "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
                blank_form=True,
                notes="在婚姻登记员面前亲笔签署。",
            ),
            MaterialSeed("双方近期半身免冠合影照片", copies=3),
        ),
        results=(ResultSeed("结婚证", licence_type="marriage_certificate", sample=True),),
        life_events=("marriage",),
        visits=1,
        depth=2,
        review="婚姻登记员当面询问、审查，当场登记。",
        faqs=(
            (
                "可以在永川以外的地方办理吗？",
                "可以。内地居民婚姻登记已实行全国通办，双方可以共同到任一婚姻登记机关办理。",
            ),
            ("需要缴费吗？", "不收取任何费用。"),
        ),
    ),
    ItemSeed(
        body="YC-MZJ",
        basic_code="050201002000",
        name="最低生活保障审核确认",
        name_en="Minimum living allowance",
        item_type="benefit",
        audience="natural",
        legal_basis=(
            "《社会救助暂行办法》（国务院令第649号）第九条至第十三条；"
            "《最低生活保障审核确认办法》（民发〔2021〕57号）。"
        ),
        conditions=(
            "共同生活的家庭成员人均收入低于当地最低生活保障标准，"
            "且符合当地最低生活保障家庭财产状况规定的家庭。"
        ),
        statutory=(30, WORKING),
        promised=(20, WORKING),
        materials=(
            MaterialSeed("最低生活保障申请书", blank_form=True, form="electronic"),
            ID_CARD,
            HOUSEHOLD,
            MaterialSeed(
                "家庭经济状况核对授权书", blank_form=True, notes="共同生活的家庭成员均须签字。"
            ),
        ),
        results=(ResultSeed("最低生活保障审核确认决定", kind="approval"),),
        life_events=("assistance",),
        review="入户调查、家庭经济状况核对、民主评议和公示。",
        form_fields=(
            form_field(
                "household_size",
                "number",
                "共同生活家庭成员人数",
                "People in the household",
                required=True,
                validation={"min": 1, "max": 20},
            ),
            form_field(
                "monthly_income",
                "number",
                "家庭月总收入（元）",
                "Household income per month (yuan)",
                required=True,
                validation={"min": 0, "max": 1000000, "decimal_places": 2},
            ),
            form_field(
                "has_disabled_member", "boolean", "家中是否有残疾人", "A member has a disability"
            ),
            form_field(
                "disability_note",
                "textarea",
                "残疾情况说明",
                "About the disability",
                shown_if={"field": "has_disabled_member", "equals": True},
                validation={"max_length": 300},
            ),
        ),
    ),
    ItemSeed(
        body="YC-MZJ",
        basic_code="050201003000",
        name="临时救助",
        name_en="Temporary assistance",
        item_type="benefit",
        audience="natural",
        legal_basis="《社会救助暂行办法》（国务院令第649号）第四十七条至第五十条。",
        conditions=(
            "因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭；"
            "因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障家庭；"
            "遭遇其他特殊困难的家庭。"
        ),
        statutory=(0, WORKING),
        promised=(10, WORKING),
        materials=(
            MaterialSeed("临时救助申请书", blank_form=True, form="electronic"),
            ID_CARD,
            MaterialSeed("困难情况证明材料", form="copy", notes="如医疗费用票据、事故证明等。"),
        ),
        results=(ResultSeed("临时救助决定", kind="approval"),),
        life_events=("assistance",),
        form_fields=(
            form_field(
                "hardship",
                "textarea",
                "困难情况",
                "What happened",
                required=True,
                validation={"min_length": 10, "max_length": 1000},
            ),
        ),
    ),
    ItemSeed(
        body="YC-MZJ",
        basic_code="200201004000",
        name="基本殡葬服务费用减免",
        name_en="Waiver of basic funeral service fees",
        item_type="public_service",
        audience="natural",
        legal_basis=(
            "《殡葬管理条例》（国务院令第225号）；"
            "民政部等9部门《关于推行惠民殡葬政策的指导意见》（民发〔2012〕211号）。"
        ),
        conditions="本区户籍居民去世后在本区殡仪馆火化的，减免遗体接运、暂存、火化、骨灰寄存等基本殡葬服务费用。",
        statutory=(0, WORKING),
        promised=(5, WORKING),
        materials=(
            MaterialSeed("居民死亡医学证明（推断）书", source="other", issuing_body="医疗卫生机构"),
            MaterialSeed(
                "逝者居民身份证或户口簿",
                source="government",
                issuing_body="公安机关",
                licence_type="resident_id_card",
            ),
            MaterialSeed("经办人居民身份证", source="government", issuing_body="公安机关"),
        ),
        results=(ResultSeed("殡葬服务费用减免结算单", kind="other"),),
        life_events=("after_death",),
        visits=1,
        depth=3,
        form_fields=(
            form_field("deceased_name", "text", "逝者姓名", "Name of the deceased", required=True),
            form_field(
                "deceased_id_number",
                "id-number",
                "逝者公民身份号码",
                "ID number of the deceased",
                required=True,
            ),
            form_field(
                "date_of_death",
                "date",
                "死亡日期",
                "Date of death",
                required=True,
                validation={"max": "today"},
            ),
        ),
    ),
    # 区教委 ------------------------------------------------------------------------------
    ItemSeed(
        body="YC-JYW",
        basic_code="010101001000",
        name="教师资格认定（幼儿园、小学、初级中学）",
        name_en="Teacher qualification",
        item_type="licensing",
        audience="natural",
        legal_basis=(
            "《中华人民共和国教师法》第十条至第十三条；《教师资格条例》（国务院令第188号）"
            "第十三条至第十七条；《〈教师资格条例〉实施办法》（教育部令第10号）。"
        ),
        conditions=(
            "遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备《教师法》规定的学历，"
            "并经国家中小学教师资格考试合格；普通话水平达到国家语言文字工作委员会颁布的"
            "《普通话水平测试等级标准》二级乙等以上；体检合格。"
        ),
        statutory=(30, NATURAL),
        promised=(20, WORKING),
        materials=(
            ID_CARD,
            MaterialSeed("学历证书", form="copy", source="other", issuing_body="高等学校"),
            MaterialSeed(
                "中小学教师资格考试合格证明",
                form="electronic",
                source="other",
                issuing_body="教育考试机构",
            ),
            MaterialSeed(
                "普通话水平测试等级证书",
                form="copy",
                source="other",
                issuing_body="普通话水平测试机构",
            ),
            MaterialSeed("体检合格证明", source="other", issuing_body="指定医院", blank_form=True),
        ),
        results=(ResultSeed("教师资格证书", licence_type="teacher_qualification"),),
        life_events=("employment",),
        form_fields=(
            form_field(
                "level",
                "choice",
                "申请资格种类",
                "Level",
                required=True,
                choices=[
                    choice("kindergarten", "幼儿园", "Kindergarten"),
                    choice("primary", "小学", "Primary school"),
                    choice("junior", "初级中学", "Junior secondary school"),
                ],
            ),
            form_field(
                "subject",
                "text",
                "任教学科",
                "Subject",
                required=True,
                shown_if={"field": "level", "in": ["primary", "junior"]},
            ),
        ),
    ),
    ItemSeed(
        body="YC-JYW",
        basic_code="010101002000",
        name="民办幼儿园设立审批",
        name_en="Approval of a private kindergarten",
        item_type="licensing",
        audience="legal",
        legal_basis=(
            "《中华人民共和国民办教育促进法》第十二条、第十四条、第十八条；"
            "《中华人民共和国民办教育促进法实施条例》。"
        ),
        conditions=(
            "举办者具有法人资格或者完全民事行为能力；有合格的教师和管理人员；"
            "有符合标准的教育教学场所和设施设备；有必备的办学资金和稳定的经费来源。"
        ),
        statutory=(90, NATURAL),
        promised=(30, WORKING),
        materials=(
            MaterialSeed("设立申请报告", form="electronic"),
            MaterialSeed("举办者资格证明", form="copy", licence_type="business_licence"),
            MaterialSeed("资产来源、资金数额及有效证明文件", form="copy"),
            MaterialSeed(
                "园舍产权证明或租赁合同", form="copy", licence_type="real_estate_certificate"
            ),
            MaterialSeed("幼儿园章程", form="electronic"),
        ),
        results=(ResultSeed("民办学校办学许可证", kind="approval"),),
        enterprise_stages=("start",),
        visits=1,
        depth=3,
        review="审查申请材料，组织专家对园舍场地进行实地评估。",
        form_fields=(
            form_field(
                "kindergarten_name", "text", "幼儿园名称", "Name of the kindergarten", required=True
            ),
            form_field(
                "places",
                "number",
                "计划招收幼儿人数",
                "Children planned",
                required=True,
                validation={"min": 1, "max": 1000},
            ),
        ),
    ),
    ItemSeed(
        body="YC-JYW",
        basic_code="200101003000",
        name="义务教育阶段学生转学",
        name_en="Changing school during compulsory education",
        item_type="public_service",
        audience="natural",
        legal_basis=(
            "《中华人民共和国义务教育法》第十二条；《中小学生学籍管理办法》（教基一〔2013〕7号）第十五条。"
        ),
        conditions="适龄儿童、少年因户籍迁移、随父母务工等原因需转入本区义务教育学校就读。",
        statutory=(0, WORKING),
        promised=(5, WORKING),
        materials=(
            MaterialSeed("转学申请表", blank_form=True, form="electronic"),
            MaterialSeed(
                "学生户口簿",
                source="government",
                issuing_body="公安机关",
                licence_type="household_register",
            ),
            MaterialSeed(
                "监护人居民身份证",
                source="government",
                issuing_body="公安机关",
                licence_type="resident_id_card",
            ),
            MaterialSeed("在本区居住的证明", form="copy", notes="不动产权证书或租赁合同。"),
        ),
        results=(ResultSeed("转学联系回执", kind="other"),),
        life_events=("schooling",),
        form_fields=(
            form_field("student_name", "text", "学生姓名", "Pupil's name", required=True),
            form_field(
                "student_id_number",
                "id-number",
                "学生公民身份号码",
                "Pupil's ID number",
                required=True,
            ),
            form_field(
                "grade",
                "choice",
                "转入年级",
                "Year",
                required=True,
                choices=[choice(str(n), f"{n}年级", f"Year {n}") for n in range(1, 10)],
            ),
            form_field("from_school", "text", "原就读学校", "Present school", required=True),
        ),
    ),
    # 区住房城乡建委 ------------------------------------------------------------------------
    ItemSeed(
        body="YC-ZJW",
        basic_code="050501001000",
        name="公共租赁住房申请",
        name_en="Applying for public rental housing",
        item_type="benefit",
        audience="natural",
        legal_basis=(
            "《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条至第十条；"
            "《重庆市公共租赁住房管理实施细则》。"
        ),
        conditions=(
            "年满18周岁，在本区有稳定工作和收入来源，具有租金支付能力，符合政府规定收入限制的"
            "无住房人员、家庭人均住房建筑面积低于13平方米的住房困难家庭，以及毕业后就业和进城"
            "务工、外地来渝工作的无住房人员。"
        ),
        statutory=(0, WORKING),
        promised=(20, WORKING),
        materials=(
            MaterialSeed("公共租赁住房申请表", blank_form=True, sample=True, form="electronic"),
            ID_CARD,
            HOUSEHOLD,
            MaterialSeed(
                "结婚证",
                form="copy",
                required=False,
                requirement_note="已婚的提供",
                source="government",
                issuing_body="婚姻登记机关",
                licence_type="marriage_certificate",
            ),
            MaterialSeed("劳动合同或工作证明", form="copy"),
        ),
        results=(ResultSeed("公共租赁住房资格审核结果", kind="approval"),),
        life_events=("housing",),
        review="审核申请人住房、收入情况，公示7日。",
        form_fields=(
            form_field(
                "household_members",
                "number",
                "申请家庭人数",
                "People in the household",
                required=True,
                validation={"min": 1, "max": 10},
            ),
            form_field(
                "housing_now",
                "choice",
                "现住房情况",
                "Housing now",
                required=True,
                choices=[
                    choice("none", "无住房", "No home"),
                    choice("small", "人均住房建筑面积低于13平方米", "Less than 13 m² per person"),
                ],
            ),
            form_field("work_unit", "text", "工作单位", "Employer", required=True),
        ),
    ),
    ItemSeed(
        body="YC-ZJW",
        basic_code="010501002000",
        name="建筑工程施工许可证核发",
        name_en="Construction works permit",
        item_type="licensing",
        audience="legal",
        legal_basis=(
            "《中华人民共和国建筑法》第七条、第八条；"
            "《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）第四条、第五条。"
        ),
        conditions=(
            "依法应当办理用地批准手续的，已经办理；已取得建设工程规划许可证；施工场地已经"
            "基本具备施工条件；已经确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料；"
            "有保证工程质量和安全的具体措施。"
        ),
        statutory=(7, WORKING),
        promised=(3, WORKING),
        materials=(
            MaterialSeed("建筑工程施工许可申请表", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed(
                "建设工程规划许可证",
                form="copy",
                source="government",
                issuing_body="规划自然资源部门",
            ),
            MaterialSeed(
                "施工图设计文件审查合格书",
                form="electronic",
                source="other",
                issuing_body="施工图审查机构",
            ),
            MaterialSeed("建设资金已经落实承诺书", blank_form=True),
        ),
        results=(ResultSeed("建筑工程施工许可证", licence_type="construction_permit"),),
        enterprise_stages=("construction",),
        form_fields=(
            form_field("project_name", "text", "工程名称", "Project", required=True),
            form_field(
                "contract_price",
                "number",
                "合同价格（万元）",
                "Contract price (10,000 yuan)",
                required=True,
                validation={"min": 0, "decimal_places": 2},
            ),
            form_field(
                "start_date",
                "date",
                "计划开工日期",
                "Planned start",
                required=True,
                validation={"min": "today"},
            ),
        ),
    ),
    # 区卫生健康委 ------------------------------------------------------------------------
    ItemSeed(
        body="YC-WJW",
        basic_code="010701001000",
        name="医疗机构执业登记",
        name_en="Registration of a medical institution",
        item_type="licensing",
        audience="legal",
        legal_basis=(
            "《医疗机构管理条例》（国务院令第149号）第十五条至第十七条；《医疗机构管理条例实施细则》。"
        ),
        conditions=(
            "按照设置审批或者备案要求设置；符合医疗机构基本标准；有适合的名称、组织机构和场所；"
            "有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；有相应的规章制度；"
            "能够独立承担民事责任。"
        ),
        statutory=(45, NATURAL),
        promised=(20, WORKING),
        materials=(
            MaterialSeed("医疗机构执业登记申请书", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed(
                "医疗机构用房产权证明或者使用证明",
                form="copy",
                licence_type="real_estate_certificate",
            ),
            MaterialSeed("医疗机构建筑设计平面图", form="copy"),
            MaterialSeed("卫生技术人员名录及其执业证书", form="copy"),
            MaterialSeed("医疗机构规章制度", form="electronic"),
        ),
        results=(ResultSeed("医疗机构执业许可证", licence_type="medical_institution_licence"),),
        enterprise_stages=("start", "permits"),
        visits=1,
        depth=3,
        review="审查申请材料，现场审核。",
        form_fields=(
            form_field(
                "institution_name", "text", "医疗机构名称", "Name of the institution", required=True
            ),
            form_field(
                "institution_kind",
                "choice",
                "医疗机构类别",
                "Kind",
                required=True,
                choices=[
                    choice("clinic", "诊所", "Clinic"),
                    choice("outpatient", "门诊部", "Outpatient department"),
                    choice("hospital", "医院", "Hospital"),
                ],
            ),
        ),
    ),
    ItemSeed(
        body="YC-WJW",
        basic_code="010701002000",
        name="公共场所卫生许可",
        name_en="Public place health licence",
        item_type="licensing",
        audience="both",
        legal_basis=(
            "《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》（原卫生部令第80号）"
            "第二十二条、第二十四条。"
        ),
        conditions=(
            "住宿、沐浴、美容美发、游泳等公共场所经营者，卫生设施及空气、微小气候、水质、采光、"
            "照明、噪声等符合国家卫生标准和要求。"
        ),
        statutory=(20, NATURAL),
        promised=(5, WORKING),
        materials=(
            MaterialSeed("公共场所卫生许可申请表", blank_form=True, form="electronic"),
            BUSINESS_LICENCE,
            MaterialSeed("公共场所卫生检测或者评价报告", source="other", issuing_body="检测机构"),
            MaterialSeed("卫生管理制度", form="electronic"),
        ),
        results=(ResultSeed("公共场所卫生许可证", licence_type="public_place_health_licence"),),
        enterprise_stages=("permits",),
        form_fields=(
            form_field(
                "place_kind",
                "choice",
                "场所类别",
                "Kind of place",
                required=True,
                choices=[
                    choice("hotel", "住宿场所", "Hotel"),
                    choice("bath", "沐浴场所", "Bath house"),
                    choice("beauty", "美容美发场所", "Hairdresser or beauty salon"),
                    choice("pool", "游泳场所", "Swimming pool"),
                ],
            ),
        ),
    ),
    ItemSeed(
        body="YC-WJW",
        basic_code="200701003000",
        name="生育登记",
        name_en="Birth registration with the health commission",
        item_type="public_service",
        audience="natural",
        legal_basis="《中华人民共和国人口与计划生育法》；《重庆市人口与计划生育条例》。",
        conditions="夫妻双方或者一方户籍在本区，或者在本区居住的夫妻。",
        statutory=(0, WORKING),
        promised=None,
        materials=(
            MaterialSeed(
                "夫妻双方居民身份证",
                source="government",
                issuing_body="公安机关",
                licence_type="resident_id_card",
            ),
            MARRIAGE_CERTIFICATE,
        ),
        results=(ResultSeed("生育登记服务信息", kind="other"),),
        life_events=("birth", "marriage"),
        form_fields=(
            form_field("spouse_name", "text", "配偶姓名", "Spouse's name", required=True),
            form_field(
                "spouse_id_number",
                "id-number",
                "配偶公民身份号码",
                "Spouse's ID number",
                required=True,
            ),
            form_field(
                "child_order",
                "choice",
                "生育子女孩次",
                "Which child",
                required=True,
                choices=[
                    choice("1", "一孩", "First"),
                    choice("2", "二孩", "Second"),
                    choice("3", "三孩", "Third"),
                ],
            ),
            form_field(
                "expected_date", "date", "预产期", "Expected date", validation={"min": "today"}
            ),
        ),
    ),
    ItemSeed(
        body="YC-WJW",
        basic_code="080701004000",
        name="农村部分计划生育家庭奖励扶助金资格确认",
        name_en="Reward support for rural family-planning households",
        item_type="reward",
        audience="natural",
        legal_basis=(
            "《中华人民共和国人口与计划生育法》第三十一条；《国务院办公厅转发人口计生委财政部关于"
            "开展对农村部分计划生育家庭实行奖励扶助制度试点工作意见的通知》（国办发〔2004〕21号）。"
        ),
        conditions=(
            "本人及配偶为农村居民；1973年至2001年期间没有违反计划生育法律法规和政策规定生育；"
            "现存一个子女或者两个女孩或者子女死亡现无子女；年满60周岁。"
        ),
        statutory=(0, WORKING),
        promised=(20, WORKING),
        materials=(
            ID_CARD,
            HOUSEHOLD,
            MARRIAGE_CERTIFICATE,
            MaterialSeed("子女情况说明", blank_form=True),
        ),
        results=(ResultSeed("奖励扶助金资格确认结果", kind="approval"),),
        life_events=("old_age",),
        review="村（居）委会初审、镇街审核、区卫生健康委确认并公示。",
        form_fields=(
            form_field(
                "children",
                "number",
                "现存子女数",
                "Living children",
                required=True,
                validation={"min": 0, "max": 2},
            ),
        ),
    ),
    # 区交通运输委 ------------------------------------------------------------------------
    ItemSeed(
        body="YC-JTJ",
        basic_code="010801001000",
        name="道路货物运输经营许可",
        name_en="Road freight transport business licence",
        item_type="licensing",
        audience="both",
        legal_basis=(
            "《中华人民共和国道路运输条例》第二十四条、第二十五条；《道路货物运输及站场管理规定》。"
        ),
        conditions=(
            "有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。"
        ),
        statutory=(20, NATURAL),
        promised=(10, WORKING),
        materials=(
            MaterialSeed("道路货物运输经营申请表", blank_form=True, form="electronic"),
            MaterialSeed(
                "营业执照",
                form="copy",
                required=False,
                requirement_note="单位申请的提供",
                source="government",
                issuing_body="市场监督管理部门",
                licence_type="business_licence",
            ),
            ID_CARD,
            MaterialSeed(
                "机动车行驶证",
                form="copy",
                source="government",
                issuing_body="公安机关交通管理部门",
            ),
            MaterialSeed(
                "驾驶人员从业资格证",
                form="copy",
                source="government",
                issuing_body="交通运输主管部门",
            ),
            MaterialSeed("安全生产管理制度文本", form="electronic"),
        ),
        results=(ResultSeed("道路运输经营许可证", licence_type="road_transport_licence"),),
        enterprise_stages=("permits",),
        faqs=(
            (
                "用小货车跑运输也要办吗？",
                "使用总质量4.5吨及以下普通货运车辆从事普通货运经营的，无需申请道路运输经营许可。",
            ),
        ),
        form_fields=(
            form_field(
                "vehicles",
                "number",
                "拟投入车辆数",
                "Vehicles",
                required=True,
                validation={"min": 1, "max": 1000},
            ),
        ),
    ),
    # 区公安局 ------------------------------------------------------------------------------
    ItemSeed(
        body="YC-GAJ",
        basic_code="100901001000",
        name="居民身份证换领",
        name_en="Renewing a resident identity card",
        item_type="other_power",
        audience="natural",
        legal_basis="《中华人民共和国居民身份证法》第五条、第八条、第十一条。",
        conditions="居民身份证有效期满，或者登记项目变更、证件严重损坏不能辨认的。",
        statutory=(60, NATURAL),
        promised=(20, WORKING),
        materials=(
            MaterialSeed(
                "原居民身份证",
                source="government",
                issuing_body="公安机关",
                licence_type="resident_id_card",
                notes="换领新证时交回原证。",
            ),
            HOUSEHOLD,
        ),
        results=(ResultSeed("居民身份证", licence_type="resident_id_card"),),
        fees=(
            FeeSeed(
                "居民身份证换领工本费",
                "20.00",
                "《中华人民共和国居民身份证法》第二十条；《国家发展改革委 财政部关于居民身份证"
                "收费标准及有关问题的通知》（发改价格〔2003〕2322号）。",
            ),
        ),
        wait_for_payment=True,
        life_events=("identity",),
        visits=1,
        depth=2,
        review="采集人像、指纹，审核后制证。",
    ),
    ItemSeed(
        body="YC-GAJ",
        basic_code="100901002000",
        name="居民身份证遗失补领",
        name_en="Replacing a lost resident identity card",
        item_type="other_power",
        audience="natural",
        legal_basis="《中华人民共和国居民身份证法》第十一条。",
        conditions="居民身份证丢失的。",
        statutory=(60, NATURAL),
        promised=(20, WORKING),
        materials=(
            HOUSEHOLD,
            MaterialSeed(
                "近期免冠证件照片", required=False, requirement_note="现场采集人像的无需提供"
            ),
        ),
        results=(ResultSeed("居民身份证", licence_type="resident_id_card"),),
        fees=(
            FeeSeed(
                "居民身份证遗失补领工本费",
                "40.00",
                "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》"
                "（发改价格〔2003〕2322号）。",
            ),
        ),
        wait_for_payment=True,
        life_events=("identity",),
        visits=1,
        depth=2,
        review="采集人像、指纹，审核后制证。",
        faqs=(
            (
                "补领期间需要乘车怎么办？",
                "可以申请临时居民身份证，或者使用公安机关出具的临时乘车证明。",
            ),
        ),
    ),
    # 区医保局 ------------------------------------------------------------------------------
    ItemSeed(
        body="YC-YBJ",
        basic_code="201001001000",
        name="城乡居民基本医疗保险参保登记",
        name_en="Enrolling in basic medical insurance for urban and rural residents",
        item_type="public_service",
        audience="natural",
        legal_basis=(
            "《中华人民共和国社会保险法》第二十五条；《国务院关于整合城乡居民基本医疗保险制度的意见》"
            "（国发〔2016〕3号）。"
        ),
        conditions="除职工基本医疗保险应参保人员以外的城乡居民，包括新生儿、在校学生。",
        statutory=(0, WORKING),
        promised=None,
        materials=(ID_CARD,),
        results=(ResultSeed("参保登记信息", kind="other"),),
        life_events=("medical", "social_insurance", "birth"),
        form_fields=(
            form_field("insured_name", "text", "参保人姓名", "Name of the insured", required=True),
            form_field(
                "insured_id_number",
                "id-number",
                "参保人公民身份号码",
                "ID number of the insured",
                required=True,
            ),
            form_field(
                "relation",
                "choice",
                "与申请人关系",
                "Relation to you",
                required=True,
                choices=[
                    choice("self", "本人", "Yourself"),
                    choice("child", "子女", "Child"),
                    choice("spouse", "配偶", "Spouse"),
                    choice("parent", "父母", "Parent"),
                ],
            ),
        ),
    ),
    ItemSeed(
        body="YC-YBJ",
        basic_code="201001002000",
        name="异地就医备案",
        name_en="Registering for medical treatment in another place",
        item_type="public_service",
        audience="natural",
        legal_basis=(
            "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》"
            "（医保发〔2022〕22号）。"
        ),
        conditions="参加本区基本医疗保险，需要在参保地以外长期居住或者临时外出就医的参保人员。",
        statutory=(0, WORKING),
        promised=None,
        materials=(ID_CARD, SOCIAL_SECURITY_CARD),
        results=(ResultSeed("异地就医备案凭证", kind="other"),),
        life_events=("medical",),
        form_fields=(
            form_field(
                "kind",
                "choice",
                "备案类型",
                "Kind",
                required=True,
                choices=[
                    choice("resident", "异地长期居住", "Living elsewhere"),
                    choice("temporary", "临时外出就医", "Treatment elsewhere for a while"),
                ],
            ),
            form_field("destination", "text", "就医地", "Where", required=True),
            form_field(
                "from_date", "date", "开始日期", "From", required=True, validation={"min": "today"}
            ),
        ),
    ),
    # 镇 ----------------------------------------------------------------------------------
    ItemSeed(
        body="YC-QF",
        basic_code="012001001000",
        name="农村村民宅基地申请",
        name_en="Applying for a rural homestead",
        item_type="licensing",
        audience="natural",
        legal_basis=(
            "《中华人民共和国土地管理法》第六十二条；"
            "《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》（农经发〔2019〕6号）。"
        ),
        conditions=(
            "本集体经济组织成员，以户为单位申请，符合“一户一宅”规定，"
            "申请的宅基地面积符合重庆市规定的标准。"
        ),
        statutory=(20, WORKING),
        promised=(15, WORKING),
        materials=(
            MaterialSeed("农村宅基地和建房（规划许可）申请表", blank_form=True, sample=True),
            ID_CARD,
            HOUSEHOLD,
            MaterialSeed("农村宅基地使用承诺书", blank_form=True),
            MaterialSeed("村民小组会议记录", source="other", issuing_body="村民小组"),
        ),
        results=(ResultSeed("农村宅基地批准书", kind="approval"),),
        life_events=("housing",),
        visits=1,
        depth=3,
        review="镇人民政府组织现场踏勘，审查申请材料。",
        form_fields=(
            form_field("village", "text", "所在村（组）", "Village", required=True),
            form_field(
                "area",
                "number",
                "申请面积（平方米）",
                "Area (m²)",
                required=True,
                validation={"min": 1, "max": 150},
            ),
        ),
    ),
    ItemSeed(
        body="YC-JL",
        basic_code="052002001000",
        name="80周岁以上老年人高龄津贴申领",
        name_en="Old-age allowance from the age of 80",
        item_type="benefit",
        audience="natural",
        legal_basis="《中华人民共和国老年人权益保障法》第三十三条；《重庆市老年人权益保障条例》。",
        conditions="具有本区户籍、年满80周岁的老年人。",
        statutory=(0, WORKING),
        promised=(15, WORKING),
        materials=(ID_CARD, HOUSEHOLD, SOCIAL_SECURITY_CARD),
        results=(ResultSeed("高龄津贴发放核定结果", kind="approval"),),
        life_events=("old_age",),
        form_fields=(
            form_field(
                "elder_name", "text", "老年人姓名", "Name of the older person", required=True
            ),
            form_field(
                "elder_id_number",
                "id-number",
                "老年人公民身份号码",
                "ID number of the older person",
                required=True,
            ),
        ),
    ),
)
