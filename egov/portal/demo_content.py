"""The demo content of the site group, written for the demo: fictional news, notices and
documents of Yongchuan's portal, some departments' and towns' sections and the congress's
site. Names of people are invented; numbers are illustrative. ``days_ago`` places each item
in time relative to the day the demo is loaded, so that the same columns are always fresh,
stale or blank (the site health inspector has something to show)."""

from dataclasses import dataclass, field

DEMO_NOTE = "（本条为演示数据）"


@dataclass(frozen=True)
class Item:
    title: str
    days_ago: float
    paragraphs: tuple[str, ...]
    summary: str = ""
    source: str = ""


@dataclass(frozen=True)
class Policy:
    key: str
    title: str
    number: str
    days_ago: float
    written_days_ago: int
    theme: str
    paragraphs: tuple[str, ...]
    validity: str = "valid"
    changed_by: str = ""  # the key of the document that amended or repealed this one


@dataclass(frozen=True)
class Interpretation:
    title: str
    days_ago: float
    policy: str  # a Policy key
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    slug: str
    title: str
    kind: str
    items: tuple[Item, ...] = ()
    in_menu: bool = False
    update_interval_days: int | None = None


@dataclass(frozen=True)
class Section:
    body: str  # Organisation code
    slug: str
    title: str
    intro: str
    columns: tuple[Column, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Leader:
    name: str
    slug: str
    position: str
    responsibilities: str
    resume: str


# --- the district portal -----------------------------------------------------------------

PORTAL_INTRO = "永川区人民政府门户网站：发布政务信息，解读政策文件，提供办事服务，回应群众关切。"

SERVICE_ENTRIES = [
    ("个人办事", "/hall/", "社保、户籍、婚育、教育等个人事项"),
    ("法人办事", "/hall/", "设立登记、经营许可、工程建设等企业事项"),
    ("一件事一次办", "/hall/", "开办餐饮店、新生儿出生等集成服务"),
    ("办件查询", "/hall/", "凭受理编号查询办理进度"),
]
INTERACTION_ENTRIES = [
    ("区长信箱", "/interaction/", "向区政府反映问题、提出建议"),
    ("在线咨询", "/interaction/", "政策和办事咨询"),
    ("征集调查", "/interaction/", "重大决策意见征集"),
]

NEWS = (
    Item(
        "永川区召开优化营商环境工作推进会",
        0.3,
        (
            "近日，永川区召开优化营商环境工作推进会，通报上一阶段营商环境评价中发现的问题，"
            "部署下一步重点任务。会议要求，各部门要对照评价指标逐项整改，压缩审批时限，"
            "减少申请材料，让企业办事更省心。",
            "会议明确，年内将实现企业开办全流程1个工作日内办结，工程建设项目审批时间再压减"
            "百分之二十，并在区政务服务中心设立“办不成事”反映窗口。" + DEMO_NOTE,
        ),
        summary="对照评价指标逐项整改，企业开办1个工作日内办结。",
        source="区发展改革委",
    ),
    Item(
        "区政府常务会议研究部署安全生产和防汛工作",
        1.2,
        (
            "区政府召开常务会议，传达学习上级关于安全生产和防汛工作的部署要求，"
            "研究全区汛前隐患排查、应急物资储备和值班值守等工作。",
            "会议强调，要紧盯地质灾害隐患点、病险水库和城市易涝点，落实巡查责任人，"
            "确保汛期人民群众生命财产安全。" + DEMO_NOTE,
        ),
        source="区政府办公室",
    ),
    Item(
        "“一件事一次办”新增10项集成服务",
        2.1,
        (
            "区政务服务管理办公室发布消息，“一件事一次办”再扩容，新增开办养老机构、"
            "退休、残疾人服务等10项集成服务，群众只需提交一套材料、跑一次窗口即可办结。",
            "截至目前，全区已上线集成服务35项，平均减少申请材料百分之四十，"
            "减少跑动次数百分之七十。" + DEMO_NOTE,
        ),
        source="区政务服务管理办公室",
    ),
    Item(
        "全区春季义务植树活动在茶山竹海街道举行",
        3.0,
        (
            "区级机关干部职工、驻区单位和志愿者共800余人来到茶山竹海街道，"
            "参加春季义务植树活动，共栽种桂花、香樟等苗木3000余株。",
            "今年以来，全区已完成植树造林1.2万亩，森林覆盖率稳步提升。" + DEMO_NOTE,
        ),
        source="区林业局",
    ),
    Item(
        "新增城乡公交线路3条 方便群众出行",
        4.5,
        (
            "区交通运输委开通城区至临江镇、仙龙镇、朱沱镇的3条城乡公交线路，"
            "沿线30余个村（社区）的群众出行更加便捷。",
            "新线路全部采用新能源公交车，首末班时间与镇街赶场日相衔接，"
            "老年人凭卡免费乘车。" + DEMO_NOTE,
        ),
        source="区交通运输委",
    ),
    Item(
        "区政务服务中心推出“周末不打烊”延时服务",
        5.2,
        (
            "为方便上班族办事，区政务服务中心自本月起在每周六上午开放综合窗口，"
            "提供社保、医保、不动产登记等高频事项的受理服务。",
            "工作日中午和下班后也可预约办理，预约电话见中心官方公众号。" + DEMO_NOTE,
        ),
        source="区政务服务管理办公室",
    ),
    Item(
        "开展老年人防范电信网络诈骗宣传月活动",
        6.4,
        (
            "区公安局联合各镇街开展老年人防范电信网络诈骗宣传月活动，"
            "民警走进社区、院坝，用真实案例讲解“养老投资”“保健品”等常见骗局。",
            "活动期间共举办宣讲会120余场，发放宣传资料2万余份。" + DEMO_NOTE,
        ),
        source="区公安局",
    ),
    Item(
        "全区第一批重点项目集中开工",
        7.3,
        (
            "全区第一批重点项目集中开工仪式在凤凰湖产业园举行，"
            "此次集中开工项目涵盖先进制造、城市更新和社会民生等领域。",
            "区发展改革委表示，将建立项目专班，实行“一个项目、一名领导、一套班子”，"
            "推动项目早建成、早见效。" + DEMO_NOTE,
        ),
        source="区发展改革委",
    ),
    Item(
        "数字政府建设工作会召开",
        8.0,
        (
            "区大数据发展局召开数字政府建设工作会，通报政务数据共享和一体化平台建设进展，"
            "部署打通部门间“信息孤岛”的下一步工作。",
            "会议要求，年内实现30个业务系统与政务数据共享交换平台对接，"
            "推动更多事项“网上办、掌上办”。" + DEMO_NOTE,
        ),
        source="区大数据发展局",
    ),
    Item(
        "区人大代表视察城区老旧小区改造",
        9.5,
        (
            "部分区人大代表视察城区老旧小区改造工作，实地查看管网更新、加装电梯、"
            "停车位建设等项目，听取居民意见。",
            "代表们建议，改造要尊重居民意愿，做好施工期间的交通和安全保障。" + DEMO_NOTE,
        ),
        source="区住房城乡建委",
    ),
    Item(
        "春季就业招聘会提供岗位4000余个",
        10.6,
        (
            "区人力社保局在区就业和人才服务中心举办春季就业招聘会，"
            "120余家企业提供制造、电商、物流等岗位4000余个。",
            "现场设置政策咨询、职业指导和技能培训报名区，当天初步达成就业意向800余人。" + DEMO_NOTE,
        ),
        source="区人力社保局",
    ),
    Item(
        "区领导调研乡村振兴示范片建设",
        12.0,
        (
            "区领导到来苏镇、宝峰镇调研乡村振兴示范片建设，"
            "察看高标准农田、茶叶加工和农村人居环境整治情况。",
            "调研指出，要做强特色产业，带动农民增收，把示范片建成宜居宜业和美乡村。" + DEMO_NOTE,
        ),
        source="区农业农村委",
    ),
)

NOTICES = (
    Item(
        "关于做好清明节假期安全工作的通知",
        2.6,
        (
            "各镇人民政府、街道办事处，区政府各部门：清明节假期将至，为确保节日期间"
            "全区社会秩序稳定，现就有关工作通知如下。",
            "一、加强森林防火，严禁在林区野外用火；二、做好道路交通安全保障；"
            "三、严格落实值班值守制度。" + DEMO_NOTE,
        ),
    ),
    Item(
        "关于开展城乡居民医疗保险集中缴费工作的通告",
        15.0,
        (
            "城乡居民医疗保险集中缴费工作即将开始，参保群众可通过银行网点、"
            "手机银行、政务服务App等渠道缴费。",
            "困难群众的个人缴费部分按规定予以资助，具体标准请咨询所在镇街便民服务中心。"
            + DEMO_NOTE,
        ),
    ),
    Item(
        "公开招聘事业单位工作人员公告",
        20.0,
        (
            "根据工作需要，区属事业单位面向社会公开招聘工作人员45名，"
            "岗位、条件和报名方式详见附件。",
            "报名采取网上报名方式，请报考人员认真阅读公告，按时报名。" + DEMO_NOTE,
        ),
    ),
    Item(
        "关于城区部分路段临时交通管制的通告",
        25.0,
        (
            "因管网改造施工需要，人民大道部分路段将实施临时交通管制，"
            "请过往车辆和行人按现场指示绕行。",
            "施工期间给市民出行带来的不便，敬请谅解。" + DEMO_NOTE,
        ),
    ),
    Item(
        "关于征求《养老服务设施布局规划（征求意见稿）》意见的公告",
        40.0,
        (
            "为科学布局养老服务设施，区民政局组织编制了《养老服务设施布局规划（征求意见稿）》，"
            "现向社会公开征求意见。",
            "意见可通过区长信箱或来信提交，征求意见期为30日。" + DEMO_NOTE,
        ),
    ),
    Item(
        "区政务服务中心劳动节假期服务安排",
        60.0,
        (
            "劳动节假期期间，区政务服务中心暂停窗口服务，网上办事大厅正常受理。",
            "如有急事，可拨打值班电话咨询。" + DEMO_NOTE,
        ),
    ),
)

POLICIES = (
    Policy(
        "business",
        "永川区人民政府关于印发永川区优化营商环境若干措施的通知",
        "永川府发〔2026〕1号",
        9.0,
        12,
        "economy",
        (
            "各镇人民政府、街道办事处，区政府各部门，有关单位：",
            "《永川区优化营商环境若干措施》已经区政府常务会议审议通过，现印发给你们，"
            "请认真贯彻执行。",
            "一、压减企业开办时间；二、推行“证照分离”改革；三、完善惠企政策直达机制；"
            "四、建立企业诉求快速响应机制。" + DEMO_NOTE,
        ),
    ),
    Policy(
        "greening-amendment",
        "永川区人民政府关于修改《永川区城市绿化管理办法》的决定",
        "永川府发〔2026〕2号",
        18.0,
        22,
        "urban",
        (
            "区政府决定对《永川区城市绿化管理办法》作如下修改：",
            "一、将第十二条修改为：“新建居住区绿地率不得低于百分之三十。”"
            "二、删去第二十条。本决定自公布之日起施行。" + DEMO_NOTE,
        ),
    ),
    Policy(
        "greening",
        "永川区人民政府关于印发永川区城市绿化管理办法的通知",
        "永川府发〔2023〕8号",
        900.0,
        905,
        "urban",
        (
            "《永川区城市绿化管理办法》已经区政府同意，现印发给你们，请遵照执行。",
            "本办法所称城市绿化，是指在城市规划区内种植和养护树木花草等活动。" + DEMO_NOTE,
        ),
        validity="amended",
        changed_by="greening-amendment",
    ),
    Policy(
        "city-management",
        "永川区人民政府办公室关于进一步加强城市管理工作的通知",
        "永川府办发〔2026〕5号",
        30.0,
        33,
        "urban",
        (
            "为进一步提升城市精细化管理水平，经区政府同意，现就有关事项通知如下：",
            "一、落实门前三包责任；二、规范占道经营；三、加强夜间施工管理。" + DEMO_NOTE,
        ),
    ),
    Policy(
        "kitchen-waste",
        "永川区人民政府关于印发永川区餐厨垃圾管理暂行办法的通知",
        "永川府发〔2020〕15号",
        2000.0,
        2003,
        "urban",
        ("《永川区餐厨垃圾管理暂行办法》已经区政府同意，现印发给你们，请遵照执行。" + DEMO_NOTE,),
        validity="repealed",
    ),
    Policy(
        "elderly-meals",
        "永川区人民政府办公室关于印发永川区老年人助餐服务实施方案的通知",
        "永川府办发〔2026〕9号",
        45.0,
        50,
        "civil",
        (
            "为解决老年人“吃饭难”问题，经区政府同意，现将《永川区老年人助餐服务实施方案》"
            "印发给你们，请认真组织实施。",
            "到年底，城区社区助餐服务覆盖率达到百分之八十，农村地区逐步推开。" + DEMO_NOTE,
        ),
    ),
)

INTERPRETATIONS = (
    Interpretation(
        "《永川区优化营商环境若干措施》政策解读",
        8.5,
        "business",
        (
            "一、出台背景：为贯彻落实国家和市里优化营商环境的部署，解决企业反映集中的问题。",
            "二、主要内容：措施共4个方面20条，重点是压减时限、减少材料、政策直达。"
            "三、适用对象：在本区登记注册的各类市场主体。" + DEMO_NOTE,
        ),
    ),
    Interpretation(
        "一图读懂城市绿化管理办法修改决定",
        17.0,
        "greening-amendment",
        (
            "修改后，新建居住区绿地率下限由百分之二十五提高到百分之三十。",
            "原办法第二十条关于临时占用绿地审批的规定删除，统一适用上位法。" + DEMO_NOTE,
        ),
    ),
    Interpretation(
        "《关于进一步加强城市管理工作的通知》解读",
        29.0,
        "city-management",
        (
            "通知明确了临街商户、物业服务企业和施工单位的责任，"
            "回应了群众对占道经营和夜间噪声的集中反映。" + DEMO_NOTE,
        ),
    ),
    Interpretation(
        "老年人助餐服务实施方案问答",
        44.0,
        "elderly-meals",
        (
            "问：哪些老年人可以享受助餐补贴？答：本区户籍60周岁以上老年人均可在助餐点就餐，"
            "其中80周岁以上、低保和特困老年人享受补贴。" + DEMO_NOTE,
        ),
    ),
)

LEADERS = (
    Leader(
        "陈建华",
        "chen-jianhua",
        "区长",
        "主持区政府全面工作。负责审计、机构编制方面的工作。",
        "男，汉族，大学学历。本页为演示数据，姓名和履历均为虚构。",
    ),
    Leader(
        "刘晓梅",
        "liu-xiaomei",
        "副区长",
        "负责教育、卫生健康、民政、人力社保、医疗保障方面的工作。",
        "女，汉族，研究生学历。本页为演示数据，姓名和履历均为虚构。",
    ),
    Leader(
        "王志强",
        "wang-zhiqiang",
        "副区长",
        "负责发展改革、经济信息、商务、政务服务、大数据方面的工作。",
        "男，汉族，大学学历。本页为演示数据，姓名和履历均为虚构。",
    ),
)

TOPICS = (
    (
        "business-environment",
        "优化营商环境",
        "持续打造市场化、法治化、国际化一流营商环境。",
        (
            Item(
                "企业开办“一网通办”全面推行",
                6.0,
                (
                    "企业开办实现营业执照、公章刻制、涉税事项、社保登记一网申请、一次办结。"
                    + DEMO_NOTE,
                ),
            ),
            Item(
                "惠企政策“免申即享”首批兑现",
                14.0,
                (
                    "首批12项惠企政策实现“免申即享”，符合条件的企业无需申请即可获得资金。"
                    + DEMO_NOTE,
                ),
            ),
        ),
    ),
    (
        "rural-revitalisation",
        "乡村振兴",
        "产业兴旺、生态宜居、乡风文明、治理有效、生活富裕。",
        (
            Item(
                "永川秀芽茶产业带动茶农增收",
                11.0,
                ("全区茶园面积稳定在10万亩左右，茶产业带动2万余户茶农增收。" + DEMO_NOTE,),
            ),
            Item(
                "农村人居环境整治提升行动扎实推进",
                23.0,
                ("各镇街持续开展村庄清洁行动，改厕、垃圾分类和污水治理同步推进。" + DEMO_NOTE,),
            ),
        ),
    ),
)

DOWNLOADS = (
    ("个体工商户设立登记申请书", "geti-shenqingshu.txt", "一式一份，可在窗口领取"),
    ("政府信息公开申请表", "xinxi-gongkai-shenqingbiao.txt", "可通过信函或网上提交"),
    ("城乡居民基本养老保险参保登记表", "yanglao-dengjibiao.txt", "本人签字后提交"),
)

# Columns of the portal that nothing has been published in yet: the inspector's "blank
# columns" (空白栏目).
BLANK_PORTAL_COLUMNS = (
    Column("personnel", "人事信息", "general", update_interval_days=90),
    Column("plans", "规划计划", "general", update_interval_days=365),
    Column("budgets", "财政预决算", "general", update_interval_days=365),
)


def _news(title: str, days: float, text: str, source: str = "") -> Item:
    return Item(title, days, (text + DEMO_NOTE,), source=source)


SECTIONS_DEPARTMENTS = (
    Section(
        "YC-SCJG",
        "scjg",
        "区市场监管局",
        "区市场监督管理局的工作动态、通知公告和机构职能。",
        (
            Column(
                "news",
                "工作动态",
                "news",
                (
                    _news(
                        "开展春季食品安全专项检查",
                        1.5,
                        "执法人员对城区学校食堂、农贸市场开展食品安全专项检查，检查经营主体210家。",
                    ),
                    _news(
                        "个体工商户登记实现全程网办",
                        6.0,
                        "个体工商户设立、变更、注销登记全部实现网上办理，最快半天领照。",
                    ),
                    _news(
                        "召开电梯安全工作推进会",
                        13.0,
                        "会议通报电梯维保质量抽查情况，部署老旧电梯安全评估工作。",
                    ),
                ),
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                (
                    _news(
                        "关于开展计量器具免费检定的公告",
                        30.0,
                        "为维护消费者权益，对农贸市场在用电子秤开展免费检定。",
                    ),
                ),
            ),
        ),
    ),
    Section(
        "YC-RSJ",
        "rsj",
        "区人力社保局",
        "区人力资源和社会保障局的工作动态和通知公告。",
        (
            Column(
                "news",
                "工作动态",
                "news",
                (
                    _news(
                        "举办返乡创业培训班",
                        3.0,
                        "首期返乡创业培训班开班，50名返乡人员参加电商运营、财务管理等课程。",
                    ),
                    _news(
                        "开展根治欠薪专项检查",
                        9.0,
                        "对在建工程项目开展根治欠薪专项检查，督促落实农民工工资专用账户制度。",
                    ),
                ),
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                (
                    _news(
                        "关于发放就业补贴的公示",
                        12.0,
                        "现将符合条件的就业补贴人员名单予以公示，公示期5个工作日。",
                    ),
                ),
            ),
        ),
    ),
    Section(
        "YC-JYW",
        "jyw",
        "区教委",
        "区教育委员会的工作动态和通知公告。",
        (
            # Stale: nothing new for weeks (the inspector warns after 10 days, fails at 14).
            Column(
                "news",
                "工作动态",
                "news",
                (
                    _news(
                        "召开春季学期开学工作会",
                        40.0,
                        "会议部署春季学期开学安全检查和课后服务工作。",
                    ),
                ),
            ),
            Column("notices", "通知公告", "notice"),  # blank
        ),
    ),
)

SECTIONS_TOWNS = (
    Section(
        "YC-QF",
        "qingfeng",
        "青峰镇",
        "青峰镇人民政府的镇街动态和通知公告。",
        (
            Column(
                "news",
                "镇街动态",
                "news",
                (
                    _news(
                        "青峰镇开展春耕备耕工作",
                        20.0,
                        "镇农业服务中心组织技术人员深入田间，指导群众做好春耕备耕。",
                    ),
                    _news("青峰镇召开村级换届工作会", 35.0, "会议对村级组织换届工作进行部署。"),
                ),
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                (
                    _news(
                        "关于做好秸秆禁烧工作的通知",
                        200.0,
                        "严禁焚烧秸秆，提倡秸秆还田和综合利用。",
                    ),
                ),
            ),
        ),
    ),
    Section(
        "YC-JL",
        "jinlong",
        "金龙镇",
        "金龙镇人民政府的镇街动态和通知公告。",
        (
            Column(
                "news",
                "镇街动态",
                "news",
                (
                    _news(
                        "金龙镇举办农民丰收节", 1.0, "丰收节现场展示销售本地稻米、蔬菜和手工制品。"
                    ),
                    _news(
                        "金龙镇完成农村公路提档升级",
                        5.0,
                        "全镇完成农村公路提档升级12公里，群众出行更安全。",
                    ),
                ),
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                (_news("关于开展农房安全排查的通知", 220.0, "对全镇农村自建房开展安全隐患排查。"),),
            ),
        ),
    ),
    Section(
        "YC-LJ",
        "linjiang",
        "临江镇",
        "临江镇人民政府的镇街动态和通知公告。",
        (Column("news", "镇街动态", "news"), Column("notices", "通知公告", "notice")),  # blank
    ),
)

CONGRESS_COLUMNS = (
    Column(
        "news",
        "人大要闻",
        "news",
        (
            _news(
                "区人大常委会召开第十次会议",
                2.0,
                "会议听取审议了区政府关于优化营商环境工作情况的报告。",
            ),
            _news(
                "区人大常委会开展食品安全执法检查",
                10.0,
                "执法检查组深入学校食堂、农贸市场开展检查。",
            ),
            _news(
                "人大代表之家开展接待选民活动",
                30.0,
                "各镇街人大代表之家集中开展接待选民活动，收集意见建议60余条。",
            ),
        ),
        in_menu=True,
    ),
    Column(
        "notices",
        "通知公告",
        "notice",
        (
            _news(
                "区人大常委会关于征集立法建议项目的公告", 50.0, "现面向社会公开征集立法建议项目。"
            ),
        ),
        in_menu=True,
    ),
    Column("deputies", "代表工作", "general", in_menu=True, update_interval_days=90),  # blank
)
