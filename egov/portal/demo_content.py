"""The demo content of the site group, written for the demo: fictional news, notices and
documents of Yongchuan's portal, some departments', towns' and a subdistrict's sections and
the congress's site. Names of people are invented; numbers are illustrative. ``days_ago``
places each item in time relative to the day the demo is loaded, so that the same columns
are always fresh, stale or blank (the site health inspector has something to show).

Besides the items written out here, several hundred are composed (``compose``) from
*stories* — a title and paragraphs with slots such as ``{place}`` or ``{nnn}`` — filled
from the parts in ``PARTS`` by a random generator seeded with the column's name: the same
code always composes the same items, so loading the demo again finds every item already
there (its slug) and creates nothing."""

import random
import re
from collections.abc import Callable
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
    number: str  # 发文字号; {year} and {seq}: the year written and the issuer's next number
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


# --- composing items from stories ----------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """A kind of item: its title, paragraphs and source, with slots filled from ``PARTS``
    (``{place}``; ``{place2}`` is a second, different place). A slot has one value in one
    item, so the title and the text agree."""

    title: str
    paragraphs: tuple[str, ...]
    source: str = ""


def _number(low: int, high: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randint(low, high))


def _round(low: int, high: int, step: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randrange(low, high + 1, step))


def _decimal(low: float, high: float) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.uniform(low, high):.1f}"


TOWNS = (
    "青峰镇", "金龙镇", "临江镇", "何埂镇", "松溉镇", "仙龙镇", "吉安镇", "五间镇", "来苏镇",
    "宝峰镇", "双石镇", "红炉镇", "永荣镇", "三教镇", "板桥镇", "朱沱镇",
)  # fmt: skip
SUBDISTRICTS = (
    "中山路街道", "胜利路街道", "南大街街道", "茶山竹海街道", "大安街道", "陈食街道",
    "卫星湖街道",
)  # fmt: skip

# Everything here is invented for the demo, apart from the names of the district's towns,
# subdistricts, departments and roads.
PARTS: dict[str, tuple[str, ...] | Callable[[random.Random], str]] = {
    "place": TOWNS + SUBDISTRICTS,
    "town": TOWNS,
    "street": SUBDISTRICTS,
    "village": (
        "石笋村",
        "桂花村",
        "双龙村",
        "凤凰村",
        "黄桷村",
        "新华村",
        "红岩村",
        "响水村",
        "青龙村",
        "茶园村",
        "大石村",
        "莲花村",
        "长岭村",
        "白鹤村",
    ),
    "community": (
        "萱花社区",
        "玉屏社区",
        "文昌社区",
        "兴龙社区",
        "双竹社区",
        "渝西社区",
        "棠城社区",
        "凤凰湖社区",
        "三星社区",
        "红旗社区",
    ),
    "road": ("人民大道", "兴龙大道", "昌州大道", "红河大道", "萱花路", "汇龙大道", "凤凰湖大道"),
    "company": (
        "重庆星汉智能装备有限公司",
        "重庆渝西云数据服务有限公司",
        "重庆棠城新材料有限公司",
        "重庆凤湖精密电子有限公司",
        "重庆茶竹农业发展有限公司",
        "重庆昌州汽车零部件有限公司",
    ),
    "industry": (
        "智能装备",
        "电子信息",
        "汽车零部件",
        "新材料",
        "数字经济",
        "食品加工",
        "现代物流",
        "职业教育",
    ),
    "crop": ("茶叶", "柑橘", "水稻", "蔬菜", "葡萄", "莲藕", "黄桃", "食用菌", "中药材"),
    "project": (
        "标准化厂房",
        "农产品冷链物流中心",
        "污水处理厂扩建",
        "智能制造产业园",
        "职业教育实训基地",
        "康养中心",
        "农贸市场改造",
        "城市公园",
        "综合交通枢纽",
        "社区养老服务中心",
    ),
    "stage": ("基础", "主体结构", "装饰装修", "设备安装", "室外配套"),
    "campaign": (
        "安全生产大排查大整治",
        "城市精细化管理",
        "农村人居环境整治",
        "森林防火",
        "文明城区创建",
        "稳就业保民生",
        "食品安全示范城市创建",
        "防范化解金融风险",
        "燃气安全专项整治",
        "自建房安全专项整治",
    ),
    "agenda": (
        "全区重点项目推进情况",
        "城市更新专项规划",
        "民生实事项目进展",
        "国有资产管理办法",
        "农村公路养护",
        "政务数据共享",
        "城乡居民医保参保工作",
        "中小学校舍维修计划",
        "防汛备汛工作",
        "招商引资项目评审",
    ),
    "festival": (
        "茶文化旅游节",
        "梨花节",
        "古镇文化节",
        "职业技能大赛",
        "全民健身运动会",
        "读书节",
        "农民丰收节",
        "乡村美食节",
    ),
    "clinic": ("记忆障碍", "睡眠障碍", "儿童青少年心理", "慢性病管理", "老年综合评估", "疼痛"),
    "honor": ("美丽宜居乡村", "绿色社区", "民主法治示范村", "卫生村", "乡村治理示范村"),
    "service": ("企业开办", "不动产登记", "跨省通办", "惠企政策兑现", "帮办代办", "适老化服务"),
    "volunteer": ("文明交通", "关爱老人", "清洁家园", "学雷锋", "护河巡河", "垃圾分类"),
    "food": ("食用农产品", "粮油制品", "乳制品", "餐饮具", "茶叶及相关制品", "糕点"),
    "subsidy": (
        "稳岗返还资金",
        "创业担保贷款贴息",
        "耕地地力保护补贴",
        "高龄津贴",
        "农机购置补贴",
        "一次性吸纳就业补贴",
    ),
    "listname": (
        "区级非物质文化遗产代表性项目",
        "区级示范家庭农场",
        "区级“专精特新”中小企业",
        "区级文明单位",
        "区级创业孵化基地",
        "区级农民专业合作社示范社",
    ),
    "plan": (
        "永川区国土空间生态修复规划",
        "永川区城市更新专项规划",
        "永川区公共停车场布局规划",
        "永川区全民健身设施布局规划",
        "永川区农村供水保障规划",
        "永川区充电基础设施布局规划",
    ),
    "holiday": ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"),
    "system": ("卫生健康系统", "教育系统", "农业农村系统", "区属国有企业", "社区专职工作者"),
    "topic": ("基层治理", "产业发展", "民生保障", "生态环境保护", "教育医疗", "乡村振兴"),
    "safety": ("汛期安全", "节前安全生产", "燃气安全", "校园安全", "森林防火", "道路交通安全"),
    "field": ("智能制造", "人才培养", "数字化转型", "绿色低碳", "农产品精深加工"),
    "villager": ("村民王大姐", "种植大户李师傅", "返乡青年小周", "脱贫户老刘"),
    "resident": ("居民刘阿姨", "退休职工张大爷", "社区居民赵大姐", "楼栋长老陈"),
    "exam": ("教师资格", "专业技术人员职业资格", "初级会计", "消防设施操作员"),
    "checkitem": ("学校食堂", "农贸市场", "校园周边小餐饮", "养老机构食堂", "网络订餐平台"),
    "equipment": ("电梯", "锅炉", "压力容器", "游乐设施", "气瓶"),
    "job": ("智能制造", "电子商务", "现代物流", "养老护理", "家政服务", "汽车维修"),
    "school": ("区内中小学", "各中职学校", "城区幼儿园", "农村寄宿制学校"),
    "n": _number(3, 9),
    "nn": _number(12, 96),
    "nnn": _round(120, 960, 10),
    "nnnn": _round(1200, 9600, 100),
    "pct": _number(6, 38),
    "rate": _decimal(95.0, 99.8),
    "money": _decimal(1.2, 38.0),
}


def _part(name: str, rng: random.Random) -> str:
    part = PARTS[name.rstrip("0123456789")]
    return part(rng) if callable(part) else rng.choice(part)


SLOT = re.compile(r"\{(\w+)\}")


def _fill(text: str, values: dict[str, str], rng: random.Random, fixed: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            if name in fixed:
                values[name] = fixed[name]
            else:
                taken = set(values.values())
                choice = _part(name, rng)
                for _attempt in range(5):
                    if choice not in taken:
                        break
                    choice = _part(name, rng)
                values[name] = choice
        return values[name]

    return SLOT.sub(value, text)


def spread(rng: random.Random, count: int, newest: float, oldest: float) -> list[float]:
    """``count`` ages in days from ``newest`` to ``oldest``, more of them recent, as a column
    gets them; the first is exactly ``newest``."""
    ages = [newest + (oldest - newest) * rng.random() ** 1.3 for _ in range(count - 1)]
    return [newest] + sorted(round(age, 2) for age in ages)


def compose(
    key: str,
    stories: tuple[Story, ...],
    count: int,
    newest: float,
    oldest: float,
    *,
    fixed: dict[str, str] | None = None,
    written: tuple[Item, ...] = (),
) -> tuple[Item, ...]:
    """The items ``written`` out, then ``count`` items of ``stories`` dated between ``newest``
    and ``oldest`` days ago, with titles different from each other and from those written
    where the stories allow. ``key`` seeds the generator (the same key gives the same items);
    ``fixed`` gives slots a set value (``{here}``: the section's town)."""
    rng = random.Random(f"egov-demo:{key}")
    fixed = fixed or {}
    items: list[Item] = list(written)
    titles: set[str] = {item.title for item in written}
    deck: list[Story] = []  # every story once, in a random order, before any repeats
    for days in spread(rng, count, newest, oldest):
        for _attempt in range(30):
            if not deck:
                deck = rng.sample(stories, len(stories))
            story = deck.pop()
            values: dict[str, str] = {}
            title = _fill(story.title, values, rng, fixed)
            if title not in titles:
                break
        titles.add(title)
        paragraphs = [_fill(text, values, rng, fixed) for text in story.paragraphs]
        paragraphs[-1] += DEMO_NOTE
        source = _fill(story.source, values, rng, fixed)
        items.append(Item(title, days, tuple(paragraphs), source=source))
    return tuple(items)


# --- stories: the district's news --------------------------------------------------------

NEWS_STORIES = (
    Story(
        "{place}{project}项目加快建设",
        (
            "连日来，在{place}{project}项目施工现场，塔吊林立、机器轰鸣，工人们正抓紧进行"
            "{stage}施工。",
            "据项目负责人介绍，该项目总投资{money}亿元，建成后可新增就业岗位{nnn}个。目前已完成"
            "总工程量的{pct}%，项目部实行“两班倒”作业，在确保安全和质量的前提下加快进度。",
        ),
        "区发展改革委",
    ),
    Story(
        "区政府召开第{nn}次常务会议",
        (
            "区政府召开第{nn}次常务会议，研究{agenda}、{agenda2}等事项。",
            "会议指出，各部门要把群众满意作为工作标准，细化责任分工，倒排工作进度，"
            "确保各项任务按期完成。会议还审议了其他事项。",
        ),
        "区政府办公室",
    ),
    Story(
        "全区{campaign}工作推进会召开",
        (
            "全区{campaign}工作推进会召开，通报前一阶段工作进展，分析存在的问题，"
            "安排部署下一阶段重点任务。",
            "会议要求，各镇街、各部门要压实属地责任和行业监管责任，建立问题清单、整改清单和"
            "责任清单，做到发现一处、整改一处、销号一处。",
        ),
        "区政府办公室",
    ),
    Story(
        "永川高新区新增规上工业企业{n}家",
        (
            "今年以来，永川高新区新增规模以上工业企业{n}家，{industry}、{industry2}等主导产业"
            "规模持续扩大。",
            "区经济信息委表示，将继续落实企业培育“一企一策”，帮助企业解决用工、融资和"
            "用地等问题，推动更多企业升规入统。",
        ),
        "区经济信息委",
    ),
    Story(
        "{industry}产业集群加速成势",
        (
            "记者从区经济信息委获悉，全区{industry}产业已集聚上下游企业{nn}家，"
            "产业链本地配套率达到{pct}%。",
            "{company}负责人表示，在永川投资办厂，审批快、配套全、用工有保障，"
            "企业今年计划再上一条生产线。",
        ),
        "区经济信息委",
    ),
    Story(
        "{town}{village}：{crop}产业铺就致富路",
        (
            "走进{town}{village}，连片的{crop}基地长势喜人。近年来，该村采取“村集体+合作社+农户”"
            "模式发展{crop}产业，种植面积扩大到{nnn}亩。",
            "“在家门口就能务工，一年收入好几万元。”{villager}说。今年村集体经济收入预计突破"
            "{nn}万元。",
        ),
        "区农业农村委",
    ),
    Story(
        "区领导督导检查{safety}工作",
        (
            "区领导带队到{place}、{place2}督导检查{safety}工作，实地查看重点部位和隐患整改情况。",
            "检查强调，要坚持人民至上、生命至上，把各项防范措施落实到每一个环节、每一个岗位，"
            "坚决防范遏制各类事故发生。",
        ),
        "区应急管理局",
    ),
    Story(
        "区政务服务中心“{service}”专区启用",
        (
            "区政务服务中心“{service}”专区正式启用，群众和企业可在专区一站式办理相关事项。",
            "专区配备工作人员{n}名，实行“一窗受理、集成服务”，开通以来已办理业务{nnn}件，"
            "平均办理时间缩短{pct}%。",
        ),
        "区政务服务管理办公室",
    ),
    Story(
        "第{n}届{festival}开幕",
        (
            "第{n}届{festival}在{place}开幕，活动期间将举办展示展销、文艺演出和群众体验等活动。",
            "开幕当天吸引市民游客{nnnn}余人次，带动周边餐饮、住宿消费明显增长。",
        ),
        "区文化旅游委",
    ),
    Story(
        "{place}开展“{volunteer}”志愿服务活动",
        (
            "{place}组织志愿者{nnn}余人开展“{volunteer}”志愿服务活动，深入社区、院落和公共场所"
            "开展服务。",
            "今年以来，{place}已开展各类志愿服务活动{nn}场次，注册志愿者人数持续增长。",
        ),
        "区委宣传部",
    ),
    Story(
        "全区{n}个村（社区）获评市级{honor}",
        (
            "市级{honor}名单公布，全区{n}个村（社区）榜上有名。",
            "区农业农村委表示，将以此为契机，发挥示范带动作用，推动更多村（社区）提升治理水平和"
            "人居环境。",
        ),
        "区农业农村委",
    ),
    Story(
        "{clinic}门诊开诊 群众在家门口看专科",
        (
            "区属公立医院新开设{clinic}门诊，每周安排专科医生坐诊，群众可通过预约平台挂号。",
            "开诊以来已接诊患者{nnn}人次。医院还将组织医生定期到镇街卫生院巡诊。",
        ),
        "区卫生健康委",
    ),
    Story(
        "永川区与{company}签订合作协议",
        (
            "永川区与{company}签订合作协议，双方将在{field}等领域开展合作。",
            "根据协议，企业计划在永川投资{money}亿元建设新项目，预计投产后年产值可达{nn}亿元。",
        ),
        "区商务委",
    ),
    Story(
        "{community}老旧小区改造惠及{nnn}户居民",
        (
            "{community}老旧小区改造完工，改造内容包括雨污管网分流、外墙整治、加装电梯和"
            "增设停车位等。",
            "改造前，项目组多次召开院坝会听取居民意见。{resident}说：“楼道亮了，路也平了，"
            "住着舒心多了。”",
        ),
        "区住房城乡建委",
    ),
    Story(
        "{place}开展防汛应急演练",
        (
            "{place}开展防汛应急演练，模拟强降雨引发河水上涨、低洼地带群众需紧急转移的情景。",
            "演练检验了预警发布、人员转移和抢险救援等环节，参演人员{nnn}余人。",
        ),
        "区应急管理局",
    ),
    Story(
        "{school}开展{n}月安全教育主题活动",
        (
            "{school}开展安全教育主题活动，内容涵盖防溺水、交通安全、消防安全和防范电信诈骗。",
            "区教委要求各校把安全教育融入日常教学，落实家校共育，守护学生平安。",
        ),
        "区教委",
    ),
    Story(
        "{n}条城市道路完成“白改黑”",
        (
            "区城市管理局完成{n}条城市道路“白改黑”改造，总长度约{nn}公里。",
            "施工采取分段、夜间作业方式，尽量减少对市民出行的影响。改造后路面平整度和"
            "行车舒适性明显提升。",
        ),
        "区城市管理局",
    ),
    Story(
        "抽检{food}{nnn}批次 合格率{rate}%",
        (
            "区市场监管局近期对{food}开展监督抽检，共抽检样品{nnn}批次，合格率{rate}%。",
            "对抽检不合格的产品，执法人员已依法查处并督促经营者下架召回。抽检结果已向社会公布。",
        ),
        "区市场监管局",
    ),
    Story(
        "全区新增城镇就业{nnnn}人",
        (
            "今年以来，全区新增城镇就业{nnnn}人，城镇调查失业率保持在合理区间。",
            "区人力社保局通过举办招聘会、开发公益性岗位、落实创业担保贷款等措施，"
            "帮助重点群体就业。",
        ),
        "区人力社保局",
    ),
    Story(
        "{place}便民服务中心{nn}项事项实现就近办",
        (
            "{place}便民服务中心新增下放事项{nn}项，社保、医保、民政等高频事项实现就近办理。",
            "中心还设立了帮办代办窗口，为老年人、残疾人等群体提供上门服务。",
        ),
        "区政务服务管理办公室",
    ),
    Story(
        "{town}春茶开采 茶农喜迎丰收",
        (
            "{town}春茶开采，茶园里采茶工忙着采摘鲜叶，加工厂内机器昼夜不停。",
            "今年全镇春茶预计产量{nnn}吨，产值{money}千万元。当地还推出茶园观光线路，"
            "带动乡村旅游。",
        ),
        "区农业农村委",
    ),
    Story(
        "区领导到{place}调研{topic}工作",
        (
            "区领导到{place}调研{topic}工作，走访企业、村（社区）和群众，听取意见建议。",
            "调研指出，要聚焦群众急难愁盼，拿出务实管用的举措，让群众感受到实实在在的变化。",
        ),
        "区政府办公室",
    ),
    Story(
        "{place}持续开展河道清漂行动",
        (
            "{place}组织河长、巡河员和志愿者开展河道清漂行动，清理漂浮物{nn}吨。",
            "辖区河流断面水质稳定达标，河长制“巡、查、治”常态化机制不断完善。",
        ),
        "区水利局",
    ),
    Story(
        "退役军人专场招聘会提供岗位{nnn}个",
        (
            "区退役军人事务局举办退役军人专场招聘会，{nn}家企业提供岗位{nnn}个。",
            "现场设立政策咨询台和创业指导台，当天达成初步就业意向{nn2}人。",
        ),
        "区退役军人事务局",
    ),
    Story(
        "区图书馆“书香永川”第{n}季阅读推广活动启动",
        (
            "区图书馆“书香永川”阅读推广活动启动，推出亲子共读、名家讲座和经典诵读等{n2}个系列活动。",
            "图书馆还在{place}、{place2}设立分馆，方便群众就近借阅。",
        ),
        "区文化旅游委",
    ),
    Story(
        "全区{n}个项目入选市级重点项目名单",
        (
            "全区{n}个项目入选今年市级重点项目名单，涵盖{industry}、城市更新和社会民生等领域，"
            "总投资{money}亿元。",
            "区发展改革委将对入选项目实行清单化管理，定期调度，协调解决项目推进中的问题。",
        ),
        "区发展改革委",
    ),
    Story(
        "{nnn}名群众在家门口参加职业技能培训",
        (
            "区人力社保局在{place}开设{job}职业技能培训班，{nnn}名群众参加培训。",
            "培训结束后，考核合格的学员可获得职业技能等级证书，并享受培训补贴。",
        ),
        "区人力社保局",
    ),
    Story(
        "{n}项高频事项实现“掌上办”",
        (
            "全区又有{n}项高频政务服务事项实现手机办理，群众可通过“渝快办”永川专区在线提交申请。",
            "区大数据发展局表示，将继续推动更多事项网上办、掌上办、一次办。",
        ),
        "区大数据发展局",
    ),
)

NOTICE_STORIES = (
    Story(
        "关于{road}部分路段临时交通管制的通告",
        (
            "因{project}项目施工需要，{road}部分路段将实施临时交通管制，管制期间请过往车辆和行人"
            "按现场交通标志绕行。",
            "施工期间给市民出行带来的不便，敬请谅解。",
        ),
        "区公安局",
    ),
    Story(
        "关于{place}部分区域计划停水的通知",
        (
            "因供水管网改造，{place}部分区域将计划停水，停水时间约{nn}小时，请沿线居民和单位"
            "提前做好储水准备。",
            "如遇特殊情况，停水时间可能调整，请关注后续通知。",
        ),
        "区城市管理局",
    ),
    Story(
        "关于开展{campaign}的通知",
        (
            "各镇人民政府、街道办事处，区政府各部门，有关单位：为切实做好{campaign}工作，"
            "经区政府同意，现就有关事项通知如下。",
            "一、提高思想认识；二、明确工作任务；三、强化督促检查。各单位请于每月底前报送"
            "工作进展。",
        ),
        "区政府办公室",
    ),
    Story(
        "{system}公开招聘工作人员{nn}名公告",
        (
            "根据工作需要，{system}面向社会公开招聘工作人员{nn}名，岗位、条件和报名方式详见公告附件。",
            "报名采取网上报名方式，报考人员须认真阅读招聘公告，如实填写报名信息。",
        ),
        "区人力社保局",
    ),
    Story(
        "关于公布{listname}名单的公告",
        (
            "经申报、审核、评审和公示，现将{listname}名单予以公布。",
            "请各入选单位珍惜荣誉，发挥示范作用，主管部门将实行动态管理。",
        ),
        "区政府办公室",
    ),
    Story(
        "关于{holiday}假期政务服务安排的公告",
        (
            "{holiday}假期期间，区政务服务中心和各镇街便民服务中心暂停窗口服务，"
            "网上办事大厅正常受理。",
            "假期如有急办事项，可拨打值班电话咨询，节后第一个工作日恢复正常办公。",
        ),
        "区政务服务管理办公室",
    ),
    Story(
        "关于征求《{plan}（征求意见稿）》意见的公告",
        (
            "为提高规划编制的科学性，现将《{plan}（征求意见稿）》向社会公开征求意见。",
            "公众可通过区长信箱或来信提出意见建议，征求意见期为30日。",
        ),
        "区规划自然资源局",
    ),
    Story(
        "关于{subsidy}拟发放名单的公示",
        (
            "根据有关政策规定，经审核，现将{subsidy}拟发放名单予以公示，公示期5个工作日。",
            "公示期间如有异议，可向主管部门书面反映，反映情况应当实事求是。",
        ),
        "区人力社保局",
    ),
    Story(
        "{project}项目环境影响评价信息公示",
        (
            "{project}项目拟在{place}建设，建设单位已委托评价机构编制环境影响报告书。",
            "现公开征求公众意见，公众可在公示之日起10个工作日内提交意见。",
        ),
        "区生态环境局",
    ),
    Story(
        "关于调整{nn}路公交线路的公告",
        (
            "因道路施工，{nn}路公交线路将临时调整运行线路，停靠站点相应调整。",
            "请乘客留意站台公告，合理安排出行时间。",
        ),
        "区交通运输委",
    ),
    Story(
        "关于做好{holiday}期间森林防火工作的通告",
        (
            "{holiday}期间祭祀、出游人员增多，森林火灾风险上升。林区内严禁吸烟、烧纸、燃放鞭炮等"
            "野外用火行为。",
            "违反规定的，由林业主管部门依法处罚；引发森林火灾的，依法追究责任。",
        ),
        "区林业局",
    ),
    Story(
        "关于举办{festival}的通知",
        (
            "为丰富群众文化生活，定于近期在{place}举办{festival}，现将有关事项通知如下。",
            "请各镇街、各有关部门按照分工做好组织、安保和服务保障工作。",
        ),
        "区文化旅游委",
    ),
    Story(
        "{exam}考试报名提示",
        (
            "本年度{exam}考试报名即将开始，报考人员请在规定时间内登录报名网站报名并缴费。",
            "报名条件和考试科目以官方发布的考试公告为准。",
        ),
        "区人力社保局",
    ),
)

# --- stories: departments, towns, the congress -------------------------------------------

MARKET_STORIES = (
    Story(
        "开展{checkitem}食品安全专项检查",
        (
            "执法人员对{checkitem}开展食品安全专项检查，重点检查进货查验、加工操作和餐具消毒等环节。",
            "此次共检查经营主体{nnn}家，发现问题{nn}个，已责令限期整改。",
        ),
    ),
    Story(
        "{equipment}安全隐患排查整治进行时",
        (
            "局特种设备安全监察科对全区{equipment}开展隐患排查，抽查使用单位{nn}家。",
            "对检查发现的隐患，督促使用单位落实整改，并约谈维保单位负责人。",
        ),
    ),
    Story(
        "个体工商户登记咨询进{place}",
        (
            "工作人员走进{place}，为群众讲解个体工商户设立、变更和注销登记的办理流程。",
            "个体工商户登记已实现全程网办，群众足不出户即可领取电子营业执照。",
        ),
    ),
    Story(
        "抽检{food}{nn}批次全部合格",
        (
            "近期对{food}开展监督抽检，抽检样品{nn}批次，检验项目全部合格。",
            "抽检信息已通过门户网站向社会公布，接受群众监督。",
        ),
    ),
    Story(
        "计量器具免费检定走进{place}",
        (
            "计量检定人员走进{place}农贸市场，对商户在用电子秤开展免费检定，共检定{nnn}台。",
            "对检定不合格的计量器具，督促商户及时更换，维护公平交易。",
        ),
    ),
    Story(
        "{n}家企业获评守合同重信用企业",
        (
            "全区{n}家企业获评守合同重信用企业，企业信用建设取得新进展。",
            "下一步将对获评企业实行动态管理，在融资、招投标等方面给予信用激励。",
        ),
    ),
    Story(
        "消费维权服务站在{place}挂牌",
        (
            "消费维权服务站在{place}商圈挂牌成立，消费者可就近投诉、咨询。",
            "今年以来共受理消费投诉{nnn}件，为消费者挽回经济损失{nn}万元。",
        ),
    ),
    Story(
        "明码标价检查进{place}",
        ("执法人员对{place}农贸市场和商超明码标价情况开展检查，检查经营户{nnn}户。",),
    ),
    Story(
        "知识产权宣传周活动走进{place}",
        ("在{place}开展知识产权宣传，为企业讲解商标注册和专利保护知识。",),
    ),
    Story(
        "网络交易监测发现违法线索{nn}条",
        ("通过网络交易监测平台巡查辖区网店，发现违法线索{nn}条，已全部核查处置。",),
    ),
    Story(
        "药品经营企业“双随机”检查{nn}家",
        (
            "对全区药品零售企业开展“双随机、一公开”检查，随机抽取企业{nn}家。",
            "检查重点为处方药销售、药品储存条件和执业药师在岗情况，检查结果已公开。",
        ),
    ),
)

MARKET_NOTICES = (
    Story(
        "关于开展{checkitem}食品安全承诺活动的通知",
        ("各食品经营者请于本月底前签订食品安全承诺书，并在经营场所醒目位置公示。",),
    ),
    Story(
        "{food}监督抽检信息公告（第{n}期）",
        ("现将近期{food}监督抽检结果予以公告，不合格产品已依法处置。",),
    ),
    Story(
        "关于开展{equipment}定期检验的提醒",
        ("请各使用单位在检验有效期届满前一个月向检验机构申报定期检验。",),
    ),
)

HR_STORIES = (
    Story(
        "{job}专场招聘会提供岗位{nnn}个",
        (
            "局在区就业和人才服务中心举办{job}专场招聘会，{nn}家企业提供岗位{nnn}个。",
            "现场设置政策咨询和职业指导区，当天初步达成就业意向{nn2}人。",
        ),
    ),
    Story(
        "开展根治欠薪专项检查",
        (
            "局组织劳动保障监察人员对在建工程项目开展根治欠薪专项检查，检查项目{nn}个。",
            "检查重点为农民工实名制管理、工资专用账户和工资保证金制度落实情况。",
        ),
    ),
    Story(
        "{place}开设{job}技能培训班",
        (
            "在{place}开设{job}技能培训班，{nn}名学员参加为期一个月的培训。",
            "培训合格的学员可申领职业技能等级证书和培训补贴。",
        ),
    ),
    Story(
        "社保经办服务进{place}",
        (
            "社保经办人员走进{place}，现场办理参保登记、待遇资格认证和社保卡业务{nnn}件。",
            "工作人员提醒群众，养老保险待遇资格认证可通过手机自助完成。",
        ),
    ),
    Story(
        "发放一次性吸纳就业补贴{nn}万元",
        (
            "局向{nn2}家企业发放一次性吸纳就业补贴{nn}万元，支持企业吸纳高校毕业生就业。",
            "补贴实行“免申即享”，符合条件的企业无需申请。",
        ),
    ),
    Story(
        "{n}名高技能人才获评区级技能大师",
        (
            "经评审，{n}名高技能人才获评区级技能大师，每人可享受技能大师工作室建设补助。",
            "获评人员来自{industry}、{industry2}等行业。",
        ),
    ),
    Story(
        "{n}名返乡创业人员获得创业担保贷款",
        ("{n}名返乡创业人员获得创业担保贷款{nnn}万元，财政按规定给予贴息。",),
    ),
    Story(
        "征集高校毕业生就业见习岗位{nnn}个",
        ("面向辖区企事业单位征集就业见习岗位{nnn}个，见习期间给予见习补贴。",),
    ),
    Story(
        "劳动人事争议调解服务进{place}",
        ("仲裁员走进{place}，为劳动者和企业提供争议调解咨询，现场调解纠纷{n}件。",),
    ),
    Story(
        "工伤预防宣传走进{company}",
        (
            "局组织工伤预防宣传走进{company}，为一线职工讲解安全操作和工伤保险政策。",
            "今年以来已开展工伤预防培训{nn}场，培训职工{nnnn}人次。",
        ),
    ),
)

HR_NOTICES = (
    Story(
        "关于{subsidy}拟发放名单的公示（第{n}批）",
        ("经审核，现将{subsidy}拟发放名单予以公示，公示期5个工作日。",),
    ),
    Story(
        "关于开展{exam}考试报名工作的通知",
        ("请报考人员按照考试公告要求在规定时间内完成网上报名和缴费。",),
    ),
    Story(
        "关于开展社会保险待遇资格认证的提醒",
        ("请领取养老保险待遇的人员按时完成年度待遇资格认证，可通过手机自助认证。",),
    ),
)

EDUCATION_STORIES = (
    Story(
        "{school}开展消防疏散演练",
        (
            "{school}开展消防疏散演练，师生按预定路线有序撤离。",
            "演练后，消防救援人员为师生讲解灭火器使用方法。",
        ),
    ),
    Story(
        "召开课后服务工作推进会",
        (
            "会议通报了全区中小学课后服务开展情况，参与学生比例达到{pct}%以上。",
            "会议要求丰富服务内容，引入体育、艺术和科技类活动。",
        ),
    ),
    Story(
        "{n}所学校校舍维修工程完工",
        ("暑期校舍维修工程完工，涉及{n}所学校，主要为屋面防水和食堂改造。",),
    ),
    Story(
        "防溺水安全教育走进{place}",
        ("教育系统联合{place}开展防溺水安全教育，向家长发放致家长的一封信。",),
    ),
    Story("{school}开展读书节活动", ("{school}开展读书节活动，开展好书推荐、课本剧表演等活动。",)),
    Story("开展校园食品安全检查", ("联合市场监管部门对{n}所学校食堂开展食品安全检查。",)),
    Story(
        "{n}名教师获评区级骨干教师",
        ("经评审，{n}名教师获评区级骨干教师，将承担示范课和带教任务。",),
    ),
    Story(
        "{school}教师培训班开班",
        ("面向{school}教师开展信息技术应用能力培训，参训教师{nnn}人。",),
    ),
)

REFORM_STORIES = (
    Story(
        "召开重点项目调度会",
        (
            "委召开全区重点项目调度会，逐个听取项目进展情况，协调解决用地、融资等问题。",
            "今年全区重点项目已完成投资{money}亿元，完成年度计划的{pct}%。",
        ),
    ),
    Story(
        "开展{place}重要民生商品价格监测",
        (
            "对{place}农贸市场粮油、肉类、蔬菜等重要民生商品开展价格监测。",
            "监测显示，主要商品价格总体平稳，猪肉价格环比小幅波动。",
        ),
    ),
    Story(
        "以工代赈项目带动{nnn}名群众务工",
        (
            "全区以工代赈项目开工建设，项目吸纳当地群众{nnn}人务工，发放劳务报酬{nnn2}万元。",
            "项目主要建设农村道路、灌溉渠系和产业配套设施。",
        ),
    ),
    Story(
        "{n}个项目获得中央预算内投资支持",
        (
            "全区{n}个项目获得中央预算内投资支持，资金{money}千万元，涉及{industry}、"
            "社会民生和生态环保等领域。",
            "委将加强资金监管，督促项目单位加快建设进度。",
        ),
    ),
    Story(
        "开展粮食储备库安全检查",
        ("委对区级粮食储备库开展安全检查，重点检查储粮安全、消防设施和出入库管理。",),
    ),
    Story(
        "推动成渝地区双城经济圈{field}合作",
        (
            "委牵头与周边区县就{field}合作进行座谈，围绕产业协作和公共服务共享达成共识。",
            "双方将建立常态化联系机制，共同推动一批合作项目落地。",
        ),
    ),
    Story(
        "召开节能降碳工作推进会",
        ("会议通报全区重点用能单位节能目标完成情况，部署下一阶段节能降碳工作。",),
    ),
    Story(
        "举办{industry}产业招商推介会",
        ("委联合园区举办{industry}产业招商推介会，现场签约项目{n}个，总投资{money}亿元。",),
    ),
    Story(
        "社会信用体系建设宣传走进{place}",
        ("在{place}开展社会信用体系建设宣传，讲解信用修复和“信易贷”等政策。",),
    ),
)

REFORM_NOTICES = (
    Story(
        "关于申报{field}领域专项资金项目的通知",
        ("请各有关单位按照申报指南准备材料，于规定时间前报送委项目科。",),
    ),
    Story(
        "关于开展价格监督检查的公告",
        ("将对全区教育、医疗和停车收费开展价格监督检查，欢迎群众监督举报。",),
    ),
)

REFORM_PLANS = (
    Story("全区重点项目计划（第{n}批）", ("全区重点项目计划涉及项目{nn}个，总投资{money}亿元。",)),
    Story(
        "{industry}产业发展规划（摘要）",
        ("规划提出到规划期末{industry}产业规模翻一番，培育龙头企业{n}家。",),
    ),
)

TOWN_STORIES = (
    Story(
        "{here}开展春耕备耕工作",
        (
            "{here}农业服务中心组织技术人员深入田间地头，指导群众做好育秧、施肥和病虫害防治。",
            "全镇计划种植水稻{nnnn}亩，农资供应充足。",
        ),
    ),
    Story(
        "{here}召开院坝会倾听群众心声",
        (
            "{here}{village}召开院坝会，镇村干部和群众面对面交流，收集意见建议{nn}条。",
            "对群众反映的道路维修、饮水安全等问题，镇里已逐一明确责任人和完成时限。",
        ),
    ),
    Story(
        "{here}开展农村人居环境整治",
        (
            "{here}组织党员干部和群众开展村庄清洁行动，清理垃圾{nn}吨，整治房前屋后环境。",
            "镇里还将评选“美丽庭院”，激励群众共建美丽家园。",
        ),
    ),
    Story(
        "{here}{crop}喜获丰收",
        (
            "{here}{village}{crop}迎来丰收季，种植户忙着采收、分拣和装车。",
            "镇里联系电商平台和商超拓宽销路，帮助群众增收。",
        ),
    ),
    Story(
        "{here}开展汛前地质灾害隐患排查",
        (
            "{here}对辖区地质灾害隐患点开展汛前排查，落实群测群防员{nn}名。",
            "对受威胁群众发放明白卡，明确预警信号和转移路线。",
        ),
    ),
    Story(
        "{here}举办{job}技能培训",
        ("{here}联合区人力社保局举办{job}技能培训，{nn}名群众参加。",),
    ),
    Story(
        "{here}开展“{volunteer}”志愿服务",
        ("{here}新时代文明实践所组织志愿者开展“{volunteer}”志愿服务活动。",),
    ),
    Story(
        "{here}完成农村公路提档升级{n}公里",
        ("{here}完成农村公路提档升级{n}公里，群众出行更加便捷安全。",),
    ),
    Story(
        "{here}开展森林防火巡查",
        ("{here}组织护林员和应急分队开展森林防火巡查，排查整改隐患{nn}处。",),
    ),
    Story(
        "{here}{village}便民桥建成通行",
        ("{here}{village}便民桥建成通行，沿线{nnn}余名群众告别绕行。",),
    ),
    Story(
        "{here}开展农村集体“三资”清理",
        ("{here}对辖区{n}个村集体资金、资产、资源开展清理，规范经济合同{nn}份。",),
    ),
    Story(
        "{here}{village}推广稻渔综合种养",
        ("{here}{village}推广稻渔综合种养{nnn}亩，实现“一水两用、一田双收”。",),
    ),
)

TOWN_NOTICES = (
    Story("关于做好秸秆禁烧工作的通知", ("严禁露天焚烧秸秆，提倡秸秆还田和综合利用。",)),
    Story("关于开展农房安全排查的通知", ("对辖区农村自建房开展安全隐患排查，请群众配合。",)),
    Story("关于{subsidy}发放情况的公示", ("现将{subsidy}发放情况予以公示，接受群众监督。",)),
)

STREET_STORIES = (
    Story(
        "{here}{community}开展邻里节活动",
        (
            "{here}{community}举办邻里节，居民们一起包饺子、表演节目，拉近邻里距离。",
            "社区还设置了义诊、理发和家电维修等便民服务摊位。",
        ),
    ),
    Story(
        "{here}推进网格化基层治理",
        (
            "{here}将辖区划分为{nn}个网格，每个网格配备网格员，实行“小事不出网格”。",
            "今年以来，网格员走访居民{nnnn}户次，化解矛盾纠纷{nn}件。",
        ),
    ),
    Story(
        "{here}社区食堂开业 老人吃饭有着落",
        (
            "{here}{community}老年食堂开业，为辖区老年人提供助餐服务，80岁以上老人享受优惠。",
            "{resident}说：“饭菜可口，价格实惠，在家门口就能吃上热乎饭。”",
        ),
    ),
    Story(
        "{here}开展燃气安全入户检查",
        ("{here}联合燃气企业入户检查燃气使用安全，检查居民{nnnn}户，更换老化软管{nnn}根。",),
    ),
    Story(
        "{here}老旧小区加装电梯{n}部",
        ("{here}{community}老旧小区完成加装电梯{n}部，方便老年居民上下楼。",),
    ),
    Story(
        "{here}开展“{volunteer}”主题活动",
        ("{here}组织辖区单位和志愿者开展“{volunteer}”主题活动，参与群众{nnn}余人。",),
    ),
    Story(
        "{here}召开文明城区创建推进会",
        ("会议部署背街小巷整治、门前三包和文明交通劝导等重点工作。",),
    ),
    Story(
        "{here}{community}建成口袋公园",
        ("{here}{community}利用闲置空地建成口袋公园，新增绿地{nnn}平方米，居民有了休闲好去处。",),
    ),
    Story(
        "{here}反诈宣传走进{community}",
        (
            "{here}联合派出所民警走进{community}，用身边案例讲解电信网络诈骗常见手法，"
            "发放宣传资料{nnn}份。",
        ),
    ),
    Story(
        "{here}举办家门口招聘会",
        (
            "{here}在{community}举办家门口招聘会，{nn}家企业提供岗位{nnn}个，{nn2}名居民达成就业意向。",
        ),
    ),
    Story(
        "{here}为辖区老人免费体检",
        ("{here}社区卫生服务中心为辖区65岁以上老人开展免费体检，已完成体检{nnnn}人。",),
    ),
    Story(
        "{here}整治背街小巷{n}条",
        ("{here}对{n}条背街小巷开展环境整治，修补破损路面，规范停车和店招店牌。",),
    ),
    Story(
        "{here}{community}召开居民议事会",
        ("{here}{community}召开居民议事会，围绕小区停车和电动车充电等事项听取居民意见。",),
    ),
)

STREET_NOTICES = (
    Story("{here}关于开展燃气安全检查的通知", ("请辖区居民配合入户检查，检查人员持证上岗。",)),
    Story("{here}{community}停车位改造施工公告", ("施工期间部分停车位暂停使用，请车主提前挪车。",)),
    Story("关于{here}{holiday}期间值班安排的公告", ("假期值班电话24小时畅通。",)),
)

CONGRESS_STORIES = (
    Story(
        "区人大常委会召开第{nn}次会议",
        (
            "区人大常委会召开第{nn}次会议，听取审议区政府关于{agenda}的报告。",
            "会议还审议了人事任免事项。组成人员建议，要加强跟踪问效，推动工作落实。",
        ),
    ),
    Story(
        "区人大常委会开展{campaign}专题视察",
        (
            "区人大常委会组织部分委员和代表对{campaign}工作开展专题视察，实地察看{place}、{place2}。",
            "视察组建议进一步完善工作机制，及时回应群众关切。",
        ),
    ),
    Story(
        "{place}人大代表之家开展接待选民活动",
        (
            "{place}人大代表之家开展集中接待选民活动，代表们现场收集意见建议{nn}条。",
            "对能够现场解答的问题，代表当场答复；其他问题转交有关部门办理。",
        ),
    ),
    Story(
        "区人大常委会召开代表建议督办会",
        (
            "区人大常委会召开代表建议督办会，听取重点建议办理情况汇报。",
            "今年代表提出的{nnn}件建议已全部办结，解决或正在解决的占{pct}%以上。",
        ),
    ),
    Story(
        "区人大常委会开展{checkitem}食品安全执法检查",
        ("执法检查组深入{checkitem}，检查食品安全法律法规贯彻实施情况。",),
    ),
    Story(
        "区人大常委会召开第{nn}次主任会议",
        ("主任会议研究了常委会下次会议议程，听取了有关专项工作准备情况汇报。",),
    ),
    Story(
        "区人大常委会调研{topic}工作",
        ("调研组深入{place}，听取有关部门和基层代表对{topic}工作的意见建议。",),
    ),
    Story(
        "区人大常委会开展预算联网监督培训",
        ("培训讲解了预算联网监督系统的查询和预警功能，常委会组成人员和代表参加。",),
    ),
    Story(
        "区人大代表培训班开班",
        ("区人大代表履职培训班开班，{nn}名代表参加，学习代表法和预算审查监督等内容。",),
    ),
)

CONGRESS_NOTICES = (
    Story(
        "区人大常委会关于征集{field}领域立法建议项目的公告",
        ("现面向社会公开征集立法建议项目，请于30日内提交。",),
    ),
    Story(
        "区人大常委会关于公开征求《{plan}》意见的公告",
        ("欢迎社会各界提出意见建议，可通过信函或电子邮件提交。",),
    ),
)

TOPIC_BUSINESS_STORIES = (
    Story(
        "“{service}”服务让企业少跑腿",
        ("区政务服务中心推行“{service}”服务，企业办事平均跑动次数减少{pct}%。",),
    ),
    Story(
        "{n}家企业享受“免申即享”政策资金",
        ("{n}家企业无需申请即获得政策资金{nnn}万元，资金直达企业账户。",),
    ),
    Story(
        "营商环境“体验官”走进{place}",
        ("企业代表作为营商环境“体验官”走进{place}便民服务中心，体验办事流程并提出建议{nn}条。",),
    ),
)

TOPIC_RURAL_STORIES = (
    Story(
        "{town}{village}：{crop}产业带动村集体增收",
        ("{town}{village}发展{crop}产业{nnn}亩，村集体经济年收入增加{nn}万元。",),
    ),
    Story(
        "{town}农村电商助农产品“出山”",
        ("{town}农村电商服务站帮助农户销售{crop}等农产品，年销售额超过{nnn}万元。",),
    ),
    Story(
        "{town}高标准农田建设完工{nnnn}亩",
        ("{town}高标准农田建设项目完工，新建灌溉渠{n}公里，机耕道{n2}公里。",),
    ),
)

TOPIC_LIVELIHOOD_STORIES = (
    Story(
        "民生实事：{community}养老服务站投用",
        ("{community}养老服务站投入使用，提供日间照料、助餐和康复服务。",),
    ),
    Story(
        "民生实事：{place}新增公共停车位{nnn}个",
        ("{place}利用闲置地块新建公共停车场，新增停车位{nnn}个，缓解停车难。",),
    ),
    Story(
        "民生实事：{school}新增学位{nnn}个",
        ("新建和改扩建学校投入使用，{school}新增学位{nnn}个。",),
    ),
    Story(
        "民生实事：{place}农村供水工程完工",
        ("{place}农村供水保障工程完工，{nnnn}名群众喝上稳定安全的自来水。",),
    ),
)


# --- policy documents composed from sketches ---------------------------------------------

# (key, title, issuer: 府 the government / 府办 its office, theme, what it says, why it was
# made (its interpretation; empty: none), the department that interprets it)
POLICY_SKETCHES = (
    (
        "manufacturing",
        "永川区人民政府关于印发永川区推动制造业高质量发展若干政策的通知",
        "府",
        "industry",
        "一、支持企业技术改造，按设备投资额给予补助；二、鼓励企业升规入统，给予一次性奖励；"
        "三、支持建设智能工厂和数字化车间；四、优先保障重点项目用地。",
        "制造业是全区经济的支柱，企业反映技改资金压力大、用地保障难，需要一套集中、"
        "稳定、可预期的支持政策。",
        "区经济信息委",
    ),
    (
        "old-housing",
        "永川区人民政府办公室关于印发永川区城镇老旧小区改造实施方案的通知",
        "府办",
        "urban",
        "一、改造对象为2000年底前建成的城镇老旧小区；二、改造内容分为基础类、完善类和提升类；"
        "三、坚持居民自愿，改造方案须经三分之二以上居民同意。",
        "城区仍有一批老旧小区存在管网老化、无障碍设施缺失等问题，群众改造意愿强烈。",
        "区住房城乡建委",
    ),
    (
        "employment",
        "永川区人民政府办公室关于进一步做好稳就业工作的通知",
        "府办",
        "labour",
        "一、落实稳岗返还和一次性吸纳就业补贴；二、开发公益性岗位兜底安置就业困难人员；"
        "三、支持返乡入乡创业，给予创业担保贷款贴息。",
        "稳就业关系千家万户，需要把各项援企稳岗政策落实到企业和个人。",
        "区人力社保局",
    ),
    (
        "rural-environment",
        "永川区人民政府关于印发永川区农村人居环境整治提升行动方案的通知",
        "府",
        "agriculture",
        "一、推进农村厕所革命；二、健全农村生活垃圾收运处置体系；三、梯次推进农村生活污水治理；"
        "四、开展村庄清洁行动。",
        "",
        "",
    ),
    (
        "rural-housing",
        "永川区人民政府办公室关于加强农村自建房安全管理的通知",
        "府办",
        "urban",
        "一、新建农房须依法取得乡村建设规划许可；二、用作经营的自建房须进行安全鉴定；"
        "三、镇街落实属地管理责任，建立排查台账。",
        "农村自建房量大面广，部分房屋改作经营用途后存在安全隐患。",
        "区住房城乡建委",
    ),
    (
        "consumption",
        "永川区人民政府办公室关于印发永川区促进消费若干措施的通知",
        "府办",
        "commerce",
        "一、发放消费券，支持商贸企业开展促销；二、培育夜间经济集聚区；三、支持汽车和家电以旧换新。",
        "为进一步释放消费潜力，带动商贸、餐饮和文旅行业恢复发展。",
        "区商务委",
    ),
    (
        "fitness",
        "永川区人民政府关于印发永川区全民健身实施计划的通知",
        "府",
        "health",
        "一、建设城市社区“15分钟健身圈”；二、推动学校体育场地向社会开放；三、广泛开展全民健身赛事活动。",
        "",
        "",
    ),
    (
        "elderly-care",
        "永川区人民政府办公室关于加快发展养老服务业的实施意见",
        "府办",
        "civil",
        "一、完善居家社区养老服务网络；二、支持社会力量举办养老机构；三、加强养老护理人才培养；"
        "四、推进医养结合。",
        "全区60岁以上老年人口占比持续上升，养老服务需求快速增长。",
        "区民政局",
    ),
    (
        "preschool",
        "永川区人民政府办公室关于印发永川区学前教育发展提升行动计划的通知",
        "府办",
        "science",
        "一、扩大普惠性学前教育资源；二、规范民办幼儿园收费；三、提高幼儿园教师待遇。",
        "群众对“入园难、入园贵”仍有反映，普惠性幼儿园覆盖率有待提高。",
        "区教委",
    ),
    (
        "work-safety",
        "永川区人民政府关于进一步加强安全生产工作的决定",
        "府",
        "market",
        "一、压实企业安全生产主体责任；二、落实“管行业必须管安全”；三、建立重大事故隐患"
        "挂牌督办制度。",
        "为深刻吸取事故教训，从根本上消除事故隐患。",
        "区应急管理局",
    ),
    (
        "data-sharing",
        "永川区人民政府办公室关于印发永川区政务数据共享管理办法的通知",
        "府办",
        "general",
        "一、政务数据以共享为原则、不共享为例外；二、建立数据目录和责任清单；"
        "三、共享数据按照最小必要原则使用。",
        "部门之间数据不通，群众和企业办事重复提交材料的问题仍然存在。",
        "区大数据发展局",
    ),
    (
        "emergency-plan",
        "永川区人民政府办公室关于印发永川区突发事件总体应急预案的通知",
        "府办",
        "security",
        "一、明确突发事件分级标准；二、规定监测预警、应急处置和善后恢复程序；三、健全应急保障体系。",
        "",
        "",
    ),
    (
        "farmland",
        "永川区人民政府关于印发永川区耕地保护激励办法的通知",
        "府",
        "land",
        "一、对耕地保护成效突出的镇街和村给予奖励；二、奖励资金用于农田基础设施建设；"
        "三、严肃查处违法占用耕地行为。",
        "耕地是粮食生产的命根子，需要调动基层保护耕地的积极性。",
        "区规划自然资源局",
    ),
    (
        "one-thing",
        "永川区人民政府办公室关于推进“一件事一次办”改革的实施意见",
        "府办",
        "general",
        "一、梳理公布“一件事”清单；二、实行一次告知、一表申请、一窗受理；三、建立办理情况评价机制。",
        "群众办一件事往往要跑多个部门、交多套材料。",
        "区政务服务管理办公室",
    ),
    (
        "tourism",
        "永川区人民政府办公室关于印发永川区促进文化旅游产业发展若干措施的通知",
        "府办",
        "culture",
        "一、支持创建A级旅游景区和旅游度假区；二、奖励引进旅游团队的旅行社；三、扶持乡村民宿发展。",
        "",
        "",
    ),
    (
        "minimum-living",
        "永川区人民政府关于调整城乡居民最低生活保障标准的通知",
        "府",
        "civil",
        "一、城市最低生活保障标准每人每月提高30元；二、农村最低生活保障标准相应提高；"
        "三、特困人员基本生活标准同步调整。",
        "根据经济社会发展水平和物价变动情况，适时调整保障标准。",
        "区民政局",
    ),
    (
        "waste-sorting",
        "永川区人民政府办公室关于印发永川区生活垃圾分类工作实施方案的通知",
        "府办",
        "urban",
        "一、城区全面推行生活垃圾“四分类”；二、完善分类投放、收集、运输和处理体系；"
        "三、公共机构率先实行垃圾分类。",
        "推行生活垃圾分类是改善人居环境的重要举措。",
        "区城市管理局",
    ),
    (
        "parking",
        "永川区人民政府办公室关于进一步规范城市停车管理的通知",
        "府办",
        "urban",
        "一、加快公共停车场建设；二、鼓励机关企事业单位停车位错时开放；三、规范路内停车收费。",
        "",
        "",
    ),
    (
        "innovation-voucher",
        "永川区人民政府关于印发永川区科技创新券管理办法的通知",
        "府",
        "science",
        "一、科技创新券用于购买检验检测、研发设计等科技服务；二、单个企业年度额度不超过20万元；"
        "三、实行网上申领和兑付。",
        "中小企业研发能力弱，购买科技服务的成本较高。",
        "区科技局",
    ),
    (
        "flood-control",
        "永川区人民政府办公室关于做好防汛抗旱工作的通知",
        "府办",
        "agriculture",
        "一、落实防汛责任人；二、开展汛前隐患排查；三、做好抢险物资储备和值班值守。",
        "",
        "",
    ),
    (
        "self-employed",
        "永川区人民政府办公室关于印发永川区支持个体工商户发展若干措施的通知",
        "府办",
        "market",
        "一、简化个体工商户登记；二、减免部分行政事业性收费；三、加大小额贷款支持。",
        "个体工商户量大面广，是稳就业、保民生的重要力量。",
        "区市场监管局",
    ),
    (
        "licences",
        "永川区人民政府关于公布区级行政许可事项清单的通知",
        "府",
        "general",
        "一、公布区级行政许可事项清单；二、清单之外不得违法实施行政许可；三、清单实行动态调整。",
        "",
        "",
    ),
    (
        "health-services",
        "永川区人民政府办公室关于印发永川区医疗卫生服务体系建设方案的通知",
        "府办",
        "health",
        "一、推进紧密型县域医共体建设；二、提升镇街卫生院服务能力；三、完善家庭医生签约服务。",
        "群众看病就医仍然存在基层服务能力不足、优质资源不均等问题。",
        "区卫生健康委",
    ),
    (
        "basic-living",
        "永川区人民政府办公室关于加强困难群众基本生活保障的通知",
        "府办",
        "civil",
        "一、及时将符合条件的困难群众纳入保障；二、加强临时救助；三、健全主动发现机制。",
        "",
        "",
    ),
)

ISSUERS = {"府": "永川府发", "府办": "永川府办发"}


def _document_name(title: str) -> str:
    """The name of the document a notice publishes (…印发《X》的通知 → X), or the title."""
    if "印发" in title and title.endswith("的通知"):
        return title.split("印发", 1)[1].removesuffix("的通知")
    return title.removeprefix("永川区人民政府办公室").removeprefix("永川区人民政府")


def compose_policies(count: int, newest: float, oldest: float):
    """Policy documents and interpretations from ``POLICY_SKETCHES``: ``count`` documents
    published between ``newest`` and ``oldest`` days ago; interpretations follow a day or two
    after the documents that have one."""
    rng = random.Random("egov-demo:policies")
    policies, interpretations = [], []
    for (key, title, issuer, theme, points, background, interpreter), days in zip(
        POLICY_SKETCHES[:count], spread(rng, count, newest, oldest), strict=False
    ):
        name = _document_name(title)
        if "印发" in title:
            lead = (
                f"《{name}》已经区政府第{rng.randint(20, 99)}次常务会议审议通过，现印发给你们，"
                "请认真贯彻执行。"
                if issuer == "府"
                else f"经区政府同意，现将《{name}》印发给你们，请认真组织实施。"
            )
        elif title.endswith("意见"):
            lead = "经区政府同意，现提出如下意见："
        elif title.endswith("决定"):
            lead = "为切实做好有关工作，区政府决定如下："
        else:
            lead = "经区政府同意，现就有关事项通知如下："
        policies.append(
            Policy(
                key,
                title,
                ISSUERS[issuer] + "〔{year}〕{seq}号",
                days,
                int(days) + rng.randint(2, 6),
                theme,
                (
                    "各镇人民政府、街道办事处，区政府各部门，有关单位：",
                    lead,
                    points + "本文件自印发之日起施行。" + DEMO_NOTE,
                ),
            )
        )
        if background:
            heading = rng.choice(("《{}》政策解读", "图文解读：《{}》", "《{}》答记者问"))
            interpretations.append(
                Interpretation(
                    heading.format(name),
                    round(max(0.2, days - rng.uniform(0.5, 2.5)), 2),
                    key,
                    (
                        f"一、出台背景：{background}",
                        f"二、主要内容：{points}",
                        f"三、施行时间和解读机关：自印发之日起施行。解读机关：{interpreter}。"
                        + DEMO_NOTE,
                    ),
                )
            )
    return tuple(policies), tuple(interpretations)


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
NEWS = compose("portal-news", NEWS_STORIES, 118, 0.6, 360, written=NEWS)

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
NOTICES = compose("portal-notices", NOTICE_STORIES, 46, 1.4, 420, written=NOTICES)

POLICIES = (
    Policy(
        "business",
        "永川区人民政府关于印发永川区优化营商环境若干措施的通知",
        "永川府发〔{year}〕{seq}号",
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
        "永川府发〔{year}〕{seq}号",
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
        "永川府发〔{year}〕{seq}号",
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
        "永川府办发〔{year}〕{seq}号",
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
        "永川府发〔{year}〕{seq}号",
        2000.0,
        2003,
        "urban",
        ("《永川区餐厨垃圾管理暂行办法》已经区政府同意，现印发给你们，请遵照执行。" + DEMO_NOTE,),
        validity="repealed",
    ),
    Policy(
        "elderly-meals",
        "永川区人民政府办公室关于印发永川区老年人助餐服务实施方案的通知",
        "永川府办发〔{year}〕{seq}号",
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
_COMPOSED_POLICIES, _COMPOSED_INTERPRETATIONS = compose_policies(len(POLICY_SKETCHES), 3.0, 400)
POLICIES += _COMPOSED_POLICIES
INTERPRETATIONS += _COMPOSED_INTERPRETATIONS

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
    Leader(
        "赵文斌",
        "zhao-wenbin",
        "副区长",
        "负责住房城乡建设、交通运输、城市管理、规划自然资源、生态环境方面的工作。",
        "男，汉族，研究生学历。本页为演示数据，姓名和履历均为虚构。",
    ),
    Leader(
        "孙丽娟",
        "sun-lijuan",
        "副区长",
        "负责农业农村、水利、林业、乡村振兴、应急管理方面的工作。",
        "女，汉族，大学学历。本页为演示数据，姓名和履历均为虚构。",
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
TOPICS = tuple(
    (slug, title, intro, compose(f"topic-{slug}", stories, 9, 2.0, 300, written=items))
    for (slug, title, intro, items), stories in zip(
        TOPICS, (TOPIC_BUSINESS_STORIES, TOPIC_RURAL_STORIES), strict=True
    )
) + (
    (
        "livelihood",
        "民生实事",
        "区政府每年向社会承诺办好的民生实事，进展随时公开。",
        compose("topic-livelihood", TOPIC_LIVELIHOOD_STORIES, 10, 4.0, 330),
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
                compose(
                    "scjg-news",
                    MARKET_STORIES,
                    26,
                    0.8,
                    300,
                    written=(
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
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                compose(
                    "scjg-notices",
                    MARKET_NOTICES,
                    7,
                    8.0,
                    360,
                    written=(
                        _news(
                            "关于开展计量器具免费检定的公告",
                            30.0,
                            "为维护消费者权益，对农贸市场在用电子秤开展免费检定。",
                        ),
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
                compose(
                    "rsj-news",
                    HR_STORIES,
                    24,
                    2.0,
                    300,
                    written=(
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
            ),
            Column(
                "notices",
                "通知公告",
                "notice",
                compose(
                    "rsj-notices",
                    HR_NOTICES,
                    7,
                    20.0,
                    380,
                    written=(
                        _news(
                            "关于发放就业补贴的公示",
                            12.0,
                            "现将符合条件的就业补贴人员名单予以公示，公示期5个工作日。",
                        ),
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
                compose(
                    "jyw-news",
                    EDUCATION_STORIES,
                    14,
                    41.0,
                    330,
                    written=(
                        _news(
                            "召开春季学期开学工作会",
                            40.0,
                            "会议部署春季学期开学安全检查和课后服务工作。",
                        ),
                    ),
                ),
            ),
            Column("notices", "通知公告", "notice"),  # blank
        ),
    ),
    Section(
        "YC-FGW",
        "fgw",
        "区发展改革委",
        "区发展和改革委员会的工作动态、通知公告和规划计划。",
        (
            # Nearly stale: 11 days without news (the inspector warns its editors at 10).
            Column("news", "工作动态", "news", compose("fgw-news", REFORM_STORIES, 24, 11.0, 280)),
            Column(
                "notices", "通知公告", "notice", compose("fgw-notices", REFORM_NOTICES, 6, 5.0, 300)
            ),
            Column(
                "plans",
                "规划计划",
                "general",
                compose("fgw-plans", REFORM_PLANS, 3, 60.0, 500),
                update_interval_days=365,
            ),
        ),
    ),
)


def _town(code: str, slug: str, name: str, news: tuple, notices: tuple) -> Section:
    """A town's or subdistrict's section: its news (镇街动态) and notices."""
    return Section(
        code,
        slug,
        name,
        f"{name}人民政府的镇街动态和通知公告。"
        if name.endswith("镇")
        else f"{name}办事处的街道动态和通知公告。",
        (
            Column("news", "镇街动态", "news", news),
            Column("notices", "通知公告", "notice", notices),
        ),
    )


SECTIONS_TOWNS = (
    # Stale: news 20 days old, notices more than 6 months old.
    _town(
        "YC-QF",
        "qingfeng",
        "青峰镇",
        compose(
            "qingfeng-news",
            TOWN_STORIES,
            14,
            21.0,
            300,
            fixed={"here": "青峰镇"},
            written=(
                _news(
                    "青峰镇开展春耕备耕工作",
                    20.0,
                    "镇农业服务中心组织技术人员深入田间，指导群众做好春耕备耕。",
                ),
                _news("青峰镇召开村级换届工作会", 35.0, "会议对村级组织换届工作进行部署。"),
            ),
        ),
        compose(
            "qingfeng-notices",
            TOWN_NOTICES,
            2,
            230.0,
            500,
            fixed={"here": "青峰镇"},
            written=(
                _news(
                    "关于做好秸秆禁烧工作的通知", 200.0, "严禁焚烧秸秆，提倡秸秆还田和综合利用。"
                ),
            ),
        ),
    ),
    # Fresh news, stale notices.
    _town(
        "YC-JL",
        "jinlong",
        "金龙镇",
        compose(
            "jinlong-news",
            TOWN_STORIES,
            20,
            2.0,
            300,
            fixed={"here": "金龙镇"},
            written=(
                _news("金龙镇举办农民丰收节", 1.0, "丰收节现场展示销售本地稻米、蔬菜和手工制品。"),
                _news(
                    "金龙镇完成农村公路提档升级",
                    5.0,
                    "全镇完成农村公路提档升级12公里，群众出行更安全。",
                ),
            ),
        ),
        compose(
            "jinlong-notices",
            TOWN_NOTICES,
            2,
            260.0,
            600,
            fixed={"here": "金龙镇"},
            written=(
                _news("关于开展农房安全排查的通知", 220.0, "对全镇农村自建房开展安全隐患排查。"),
            ),
        ),
    ),
    _town("YC-LJ", "linjiang", "临江镇", (), ()),  # blank
    # A subdistrict, fresh everywhere.
    _town(
        "YC-ZSL",
        "zhongshanlu",
        "中山路街道",
        compose("zhongshanlu-news", STREET_STORIES, 24, 0.4, 280, fixed={"here": "中山路街道"}),
        compose("zhongshanlu-notices", STREET_NOTICES, 6, 3.0, 250, fixed={"here": "中山路街道"}),
    ),
)

CONGRESS_COLUMNS = (
    Column(
        "news",
        "人大要闻",
        "news",
        compose(
            "congress-news",
            CONGRESS_STORIES,
            22,
            3.0,
            360,
            written=(
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
        ),
        in_menu=True,
    ),
    Column(
        "notices",
        "通知公告",
        "notice",
        compose(
            "congress-notices",
            CONGRESS_NOTICES,
            5,
            60.0,
            400,
            written=(
                _news(
                    "区人大常委会关于征集立法建议项目的公告",
                    50.0,
                    "现面向社会公开征集立法建议项目。",
                ),
            ),
        ),
        in_menu=True,
    ),
    Column("deputies", "代表工作", "general", in_menu=True, update_interval_days=90),  # blank
)
