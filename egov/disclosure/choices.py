"""The fixed vocabularies of the 2019 regulations and of the annual report template
(国办公开办函〔2021〕30号): who applies (table 三's columns), how a request ends (its rows),
the answer kinds of 第36条, the forms and channels of 第29条."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """Table 三's columns. A legal person or other organisation is one of the five kinds."""

    PERSON = "person", _("Natural person (自然人)")
    BUSINESS = "business", _("Commercial enterprise (商业企业)")
    RESEARCH = "research", _("Research institution (科研机构)")
    PUBLIC_INTEREST = "public_interest", _("Social public-interest organisation (社会公益组织)")
    LEGAL_SERVICE = "legal_service", _("Legal service institution (法律服务机构)")
    OTHER = "other", _("Other (其他)")


class Form(models.TextChoices):
    """The form in which the applicant wants the information (第29条)."""

    PAPER = "paper", _("On paper (纸质)")
    ELECTRONIC = "electronic", _("Electronic file (电子文件)")
    OTHER = "other", _("Other (其他)")


class Channel(models.TextChoices):
    """How the applicant wants to receive it (第29条)."""

    POST = "post", _("By post (邮寄)")
    EMAIL = "email", _("By e-mail (电子邮件)")
    ONLINE = "online", _("Online, in the service hall (网上获取)")
    PICKUP = "pickup", _("Collected in person (当面领取)")


class Outcome(models.TextChoices):
    """How a request ended: one row of table 三 each (a partial disclosure counts only as
    部分公开). The codes are stable; the labels are the template's wording."""

    DISCLOSED = "disclosed", _("Disclosed (予以公开)")
    PARTIAL = "partial", _("Partly disclosed (部分公开)")
    SECRET = "secret", _("Not disclosed: state secret (属于国家秘密)")
    LAW_FORBIDS = (
        "law_forbids",
        _("Not disclosed: other laws and regulations forbid it (其他法律行政法规禁止公开)"),
    )
    SAFETY = (
        "safety",
        _('Not disclosed: endangers the "three securities and one stability" (危及"三安全一稳定")'),
    )
    THIRD_PARTY = (
        "third_party",
        _("Not disclosed: protects a third party's lawful rights (保护第三方合法权益)"),
    )
    INTERNAL = "internal", _("Not disclosed: internal affairs information (属于三类内部事务信息)")
    PROCESS = "process", _("Not disclosed: process information (属于四类过程性信息)")
    ENFORCEMENT = (
        "enforcement",
        _("Not disclosed: administrative enforcement file (属于行政执法案卷)"),
    )
    QUERY = "query", _("Not disclosed: administrative query matter (属于行政查询事项)")
    NOT_HELD = (
        "not_held",
        _("Cannot be provided: this body does not hold the information (本机关不掌握相关政府信息)"),
    )
    NEEDS_MAKING = (
        "needs_making",
        _(
            "Cannot be provided: no existing information, it would have to be made "
            "(没有现成信息需要另行制作)"
        ),
    )
    STILL_UNCLEAR = (
        "still_unclear",
        _("Cannot be provided: still unclear after correction (补正后申请内容仍不明确)"),
    )
    PETITION = "petition", _("Not handled: a petition, report or complaint (信访举报投诉类申请)")
    REPEAT = "repeat", _("Not handled: a repeated request (重复申请)")
    PUBLICATION = "publication", _("Not handled: asks for published material (要求提供公开出版物)")
    EXCESSIVE = (
        "excessive",
        _("Not handled: many repeated requests without good reason (无正当理由大量反复申请)"),
    )
    CONFIRMATION = (
        "confirmation",
        _(
            "Not handled: asks the body to confirm or re-issue information already obtained "
            "(要求行政机关确认或重新出具已获取信息)"
        ),
    )
    NO_CORRECTION = (
        "no_correction",
        _("Other: the applicant did not correct the request in time (申请人无正当理由逾期不补正)"),
    )
    UNPAID_FEE = (
        "unpaid_fee",
        _("Other: the applicant did not pay the fee in time (申请人逾期未按收费通知要求缴纳费用)"),
    )
    OTHER = "other", _("Other handling (其他)")


# The template's groups of rows, in order (table 三, 三、本年度办理结果 (一)–(六)).
WITHHELD = (
    Outcome.SECRET,
    Outcome.LAW_FORBIDS,
    Outcome.SAFETY,
    Outcome.THIRD_PARTY,
    Outcome.INTERNAL,
    Outcome.PROCESS,
    Outcome.ENFORCEMENT,
    Outcome.QUERY,
)
CANNOT_PROVIDE = (Outcome.NOT_HELD, Outcome.NEEDS_MAKING, Outcome.STILL_UNCLEAR)
NOT_HANDLED = (
    Outcome.PETITION,
    Outcome.REPEAT,
    Outcome.PUBLICATION,
    Outcome.EXCESSIVE,
    Outcome.CONFIRMATION,
)
OTHER_HANDLING = (Outcome.NO_CORRECTION, Outcome.UNPAID_FEE, Outcome.OTHER)


class AnswerKind(models.TextChoices):
    """The answers of 第36条 (and 第37条's partial disclosure); each is recorded with the
    outcome row it counts under in the annual report (``OUTCOME_OF_KIND`` and the checks in
    ``services.answer``)."""

    ALREADY_PUBLIC = (
        "already_public",
        _("Already public: the applicant is told where to find it (已主动公开)"),
    )
    DISCLOSED = "disclosed", _("Disclosed (予以公开)")
    PARTIAL = "partial", _("Partly disclosed, the rest redacted (部分公开)")
    WITHHELD = "withheld", _("Not disclosed, with the reason (不予公开)")
    NOT_EXIST = "not_exist", _("The information does not exist (信息不存在)")
    NOT_OURS = (
        "not_ours",
        _(
            "Not this body's information: the applicant is told which body holds it "
            "(非本机关负责公开)"
        ),
    )
    CANNOT_PROVIDE = "cannot_provide", _("Cannot be provided (无法提供)")
    NOT_HANDLED = "not_handled", _("Not handled (不予处理)")
    REPEAT = "repeat", _("A repeated request: not handled again (重复申请)")
    SPECIAL_REGIME = (
        "special_regime",
        _("Governed by a special law: the applicant is told that procedure (按特别规定办理)"),
    )


# Which outcomes each answer kind may be recorded with (the first is the default).
OUTCOMES_OF_KIND: dict[str, tuple[str, ...]] = {
    AnswerKind.ALREADY_PUBLIC: (Outcome.DISCLOSED,),
    AnswerKind.DISCLOSED: (Outcome.DISCLOSED,),
    AnswerKind.PARTIAL: (Outcome.PARTIAL,),
    AnswerKind.WITHHELD: WITHHELD,
    AnswerKind.NOT_EXIST: (Outcome.NOT_HELD,),
    AnswerKind.NOT_OURS: (Outcome.NOT_HELD,),
    AnswerKind.CANNOT_PROVIDE: CANNOT_PROVIDE,
    AnswerKind.NOT_HANDLED: (
        Outcome.PETITION,
        Outcome.PUBLICATION,
        Outcome.EXCESSIVE,
        Outcome.CONFIRMATION,
    ),
    AnswerKind.REPEAT: (Outcome.REPEAT,),
    AnswerKind.SPECIAL_REGIME: (Outcome.OTHER,),
}


class FeeMethod(models.TextChoices):
    """国办函〔2020〕109号: a body charges by the number of requests or by the amount of
    information, not both for one request."""

    NONE = "none", _("Free (不收费)")
    BY_COUNT = "by_count", _("By the number of requests (按件计收)")
    BY_PAGES = "by_pages", _("By the amount of information (按量计收)")


class Category(models.TextChoices):
    """The proactive catalogue's categories: the 15 of 第20条, then what 第21条 adds for
    district governments and for towns (a town's additions are asked of its bodies only)."""

    REGULATIONS = "regulations", _("Laws, rules and normative documents (法规规章和规范性文件)")
    ORGANISATION = (
        "organisation",
        _(
            "Functions, structure, address, office hours, contacts and heads "
            "(机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名)"
        ),
    )
    PLANS = "plans", _("Development plans and related policies (规划及相关政策)")
    STATISTICS = "statistics", _("Statistics (统计信息)")
    LICENSING = (
        "licensing",
        _(
            "Licensing and other services: basis, conditions, procedure, results "
            "(行政许可等对外管理服务事项的依据、条件、程序以及办理结果)"
        ),
    )
    PENALTIES = (
        "penalties",
        _("Administrative penalties and enforcement (行政处罚、行政强制的依据、条件、程序及决定)"),
    )
    BUDGET = "budget", _("Budgets and final accounts (财政预算、决算信息)")
    FEES = (
        "fees",
        _("Administrative fees, their basis and rates (行政事业性收费项目及其依据、标准)"),
    )
    PROCUREMENT = (
        "procurement",
        _(
            "Government procurement: catalogue, standards, implementation "
            "(政府集中采购项目的目录、标准及实施情况)"
        ),
    )
    CONSTRUCTION = (
        "construction",
        _(
            "Major construction projects: approval and implementation (重大建设项目的批准和实施情况)"
        ),
    )
    LIVELIHOOD = (
        "livelihood",
        _(
            "Poverty relief, education, health, social security, employment "
            "(扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况)"
        ),
    )
    EMERGENCIES = (
        "emergencies",
        _("Emergency plans, warnings and responses (突发公共事件的应急预案、预警信息及应对情况)"),
    )
    INSPECTIONS = (
        "inspections",
        _(
            "Inspections: environment, public health, work safety, food and drugs, product quality "
            "(环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况)"
        ),
    )
    CIVIL_SERVICE = (
        "civil_service",
        _(
            "Civil service recruitment and results (公务员招考的职位、名额、报考条件等事项以及录用结果)"
        ),
    )
    OTHER = "other", _("Other information to be published (其他应当主动公开的政府信息)")
    # 第21条, district and town governments
    MUNICIPAL = "municipal", _("Municipal construction (市政建设)")
    PUBLIC_SERVICES = "public_services", _("Public services (公共服务)")
    PUBLIC_WELFARE = "public_welfare", _("Public welfare (公益事业)")
    LAND_EXPROPRIATION = "land_expropriation", _("Land expropriation (土地征收)")
    HOUSING_EXPROPRIATION = "housing_expropriation", _("Housing expropriation (房屋征收)")
    PUBLIC_ORDER = "public_order", _("Public order (治安管理)")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance (社会救助)")
    # 第21条, towns
    RURAL_POLICY = "rural_policy", _("Agricultural and rural policies (贯彻落实农业农村政策)")
    IRRIGATION = "irrigation", _("Farmland irrigation works (农田水利工程建设运营)")
    LAND_TRANSFER = (
        "land_transfer",
        _("Transfer of rural land contract rights (农村土地承包经营权流转)"),
    )
    HOMESTEADS = "homesteads", _("Homestead use (宅基地使用情况审核)")
    FUNDRAISING = "fundraising", _("Funds and labour raised (筹资筹劳)")


ARTICLE_20 = [c for c in Category][:15]
DISTRICT_ADDITIONS = [
    Category.MUNICIPAL,
    Category.PUBLIC_SERVICES,
    Category.PUBLIC_WELFARE,
    Category.LAND_EXPROPRIATION,
    Category.HOUSING_EXPROPRIATION,
    Category.PUBLIC_ORDER,
    Category.SOCIAL_ASSISTANCE,
]
TOWN_ADDITIONS = [
    Category.RURAL_POLICY,
    Category.IRRIGATION,
    Category.LAND_TRANSFER,
    Category.HOMESTEADS,
    Category.LAND_EXPROPRIATION,
    Category.HOUSING_EXPROPRIATION,
    Category.FUNDRAISING,
    Category.SOCIAL_ASSISTANCE,
]
