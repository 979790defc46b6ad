"""The vocabularies of service items: item types, audiences, limits, steps, life events,
enterprise stages, e-licence types and the file types an upload may have.

Stored values are short English codes; labels are translatable (zh-hans first). The hall,
the cases and the read model outside use the same codes, so a code is never renamed: add a
new one instead.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import Timer


class ItemType(models.TextChoices):
    """事项类型 (the kinds of administrative power and public service)."""

    LICENSING = "licensing", _("Administrative licensing (行政许可)")
    BENEFIT = "benefit", _("Administrative benefit (行政给付)")
    REWARD = "reward", _("Administrative reward (行政奖励)")
    CONFIRMATION = "confirmation", _("Administrative confirmation (行政确认)")
    ADJUDICATION = "adjudication", _("Administrative adjudication (行政裁决)")
    LEVY = "levy", _("Administrative levy (行政征收)")
    OTHER_POWER = "other_power", _("Other administrative power (其他行政权力)")
    PUBLIC_SERVICE = "public_service", _("Public service (公共服务)")


class Audience(models.TextChoices):
    """服务对象."""

    NATURAL = "natural", _("Natural persons (自然人)")
    LEGAL = "legal", _("Legal persons and other organisations (法人)")
    BOTH = "both", _("Natural and legal persons")


# 工作日 / 自然日: the same codes as the one clock's timers, so a case passes them on as they are.
Unit = Timer.Unit


class HandlingKind(models.TextChoices):
    """办件类型."""

    IMMEDIATE = "immediate", _("On the spot (即办件)")
    PROMISED = "promised", _("Promised time (承诺件)")


class OnlineDepth(models.IntegerChoices):
    """网上办理深度: how far an item can be handled on the internet."""

    INFORMATION = 1, _("Level 1: guide online (信息公开)")
    FORMS = 2, _("Level 2: forms to download (表格下载)")
    PRE_CHECK = 3, _("Level 3: apply online, documents checked at the window (在线预审)")
    FULLY_ONLINE = 4, _("Level 4: fully online (全程网办)")


class Step(models.TextChoices):
    """The steps of a case (办理流程), in the only order they can run."""

    ACCEPT = "accept", _("Accept (受理)")
    REVIEW = "review", _("Review (审查)")
    DECIDE = "decide", _("Decide (决定)")
    CLOSE = "close", _("Close (办结)")
    DELIVER = "deliver", _("Deliver (送达)")


STEP_ORDER = {code: index for index, code in enumerate(Step.values)}
REQUIRED_STEPS = (Step.ACCEPT, Step.CLOSE)


class MaterialForm(models.TextChoices):
    """The form in which a material is handed in."""

    ORIGINAL = "original", _("Original (原件)")
    COPY = "copy", _("Copy (复印件)")
    ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy (原件和复印件)")
    ELECTRONIC = "electronic", _("Electronic (电子)")


class MaterialSource(models.TextChoices):
    """Where a material comes from."""

    APPLICANT = "applicant", _("Prepared by the applicant (申请人自备)")
    GOVERNMENT = "government", _("Issued by a government body (政府部门核发)")
    OTHER = "other", _("Issued by another organisation (其他)")


class ResultKind(models.TextChoices):
    """办理结果类型."""

    LICENCE = "licence", _("Certificate or licence (证照)")
    APPROVAL = "approval", _("Approval document (批文)")
    OTHER = "other", _("Other (其他)")


class LifeEvent(models.TextChoices):
    """个人生命周期: how a citizen looks for a service."""

    BIRTH = "birth", _("Birth (出生)")
    SCHOOLING = "schooling", _("Schooling (上学)")
    EMPLOYMENT = "employment", _("Work and starting a business (就业创业)")
    MARRIAGE = "marriage", _("Marriage and children (婚育)")
    HOUSING = "housing", _("Housing (住房)")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance (社保)")
    MEDICAL = "medical", _("Medical care (就医)")
    IDENTITY = "identity", _("Household registration and ID papers (户籍证件)")
    TRANSPORT = "transport", _("Travel and vehicles (出行)")
    ASSISTANCE = "assistance", _("Social assistance (社会救助)")
    OLD_AGE = "old_age", _("Old age (养老)")
    AFTER_DEATH = "after_death", _("After a death (身后事)")


class EnterpriseStage(models.TextChoices):
    """企业全生命周期: how an enterprise looks for a service."""

    START = "start", _("Starting up (开办)")
    PERMITS = "permits", _("Permits to operate (准营)")
    OPERATION = "operation", _("Operating (经营)")
    CONSTRUCTION = "construction", _("Investment and construction (投资建设)")
    CHANGE = "change", _("Changes (变更)")
    CLOSURE = "closure", _("Closing down (注销)")


class LicenceType(models.TextChoices):
    """Electronic licence types (电子证照类型): what a result grants, and what may stand in
    for a material. The wallet of the hall keys licences by these codes."""

    RESIDENT_ID_CARD = "resident_id_card", _("Resident identity card (居民身份证)")
    HOUSEHOLD_REGISTER = "household_register", _("Household register (居民户口簿)")
    BUSINESS_LICENCE = "business_licence", _("Business licence (营业执照)")
    FOOD_BUSINESS_LICENCE = "food_business_licence", _("Food business licence (食品经营许可证)")
    DRUG_BUSINESS_LICENCE = "drug_business_licence", _("Drug business licence (药品经营许可证)")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Marriage certificate (结婚证)")
    EMPLOYMENT_CERTIFICATE = (
        "employment_certificate",
        _("Employment and entrepreneurship certificate (就业创业证)"),
    )
    SOCIAL_SECURITY_CARD = "social_security_card", _("Social security card (社会保障卡)")
    TEACHER_QUALIFICATION = (
        "teacher_qualification",
        _("Teacher qualification certificate (教师资格证书)"),
    )
    MEDICAL_INSTITUTION_LICENCE = (
        "medical_institution_licence",
        _("Medical institution practice licence (医疗机构执业许可证)"),
    )
    PUBLIC_PLACE_HEALTH_LICENCE = (
        "public_place_health_licence",
        _("Public place health licence (公共场所卫生许可证)"),
    )
    ROAD_TRANSPORT_LICENCE = (
        "road_transport_licence",
        _("Road transport business licence (道路运输经营许可证)"),
    )
    CONSTRUCTION_PERMIT = "construction_permit", _("Construction works permit (建筑工程施工许可证)")
    REAL_ESTATE_CERTIFICATE = (
        "real_estate_certificate",
        _("Real estate title certificate (不动产权证书)"),
    )
    SPECIAL_EQUIPMENT_REGISTRATION = (
        "special_equipment_registration",
        _("Special equipment use registration certificate (特种设备使用登记证)"),
    )
    PRACTISING_PHARMACIST = (
        "practising_pharmacist",
        _("Licensed pharmacist registration certificate (执业药师注册证)"),
    )


class UploadType(models.TextChoices):
    """File types an upload may have, as the type its content shows (magic bytes)."""

    PDF = "application/pdf", _("PDF (.pdf)")
    JPEG = "image/jpeg", _("JPEG image (.jpg)")
    PNG = "image/png", _("PNG image (.png)")
    DOC = "application/msword", _("Word 97-2003 (.doc)")
    DOCX = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("Word (.docx)"),
    )
    XLS = "application/vnd.ms-excel", _("Excel 97-2003 (.xls)")
    XLSX = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel (.xlsx)"),
    )
    ODT = "application/vnd.oasis.opendocument.text", _("OpenDocument text (.odt)")
    ODS = "application/vnd.oasis.opendocument.spreadsheet", _("OpenDocument sheet (.ods)")


# The file name endings each type may carry (a name is checked against its content).
UPLOAD_EXTENSIONS = {
    UploadType.PDF.value: (".pdf",),
    UploadType.JPEG.value: (".jpg", ".jpeg"),
    UploadType.PNG.value: (".png",),
    UploadType.DOC.value: (".doc",),
    UploadType.DOCX.value: (".docx",),
    UploadType.XLS.value: (".xls",),
    UploadType.XLSX.value: (".xlsx",),
    UploadType.ODT.value: (".odt",),
    UploadType.ODS.value: (".ods",),
}
# Blank forms are documents to fill in; samples show a filled-in form or a result.
# (Plain strings, not enum members: they go into JSON Schemas and the exchange's policy.)
BLANK_FORM_TYPES = frozenset(UploadType.values) - {UploadType.JPEG.value, UploadType.PNG.value}
SAMPLE_TYPES = frozenset({UploadType.PDF.value, UploadType.JPEG.value, UploadType.PNG.value})
# What an applicant may upload for a material (the hall checks each file against these).
APPLICANT_UPLOAD_TYPES = SAMPLE_TYPES
DEFAULT_APPLICANT_TYPES = [UploadType.PDF.value, UploadType.JPEG.value, UploadType.PNG.value]
MAX_GUIDE_FILE_BYTES = 20 * 1024 * 1024  # a blank form or a sample
MAX_APPLICANT_UPLOAD_MB = 20  # the exchange carries up to 20 MB per attachment
