"""Policy documents (政策文件), their interpretations (政策解读) and index numbers (索引号).

A document page shows what 政府信息公开条例 and the 2017 guideline ask for: 索引号, 发文字号,
发布机构, 成文日期, 发布日期, 标题, 主题分类, 有效性 — and, when the document has been
amended or repealed, says so at the top of the page with a link to the document that did it.

Index numbers are allocated once, when a document is first published
(``services.allocate_index_number``, called from the ``page_published`` signal): the next
number of the publishing body's counter for that year, formatted with the site's format
(default ``{USCC}/{YYYY}-{NNNNN}``). The counter row is locked while the number is taken, so
numbers are unique and without gaps per body and year, also when several documents are
published at the same moment. The number lives in ``IndexNumber``, not in the page's fields,
so later revisions can never change or lose it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from egov.directory.models import Organisation
from egov.disclosure.choices import Category as DisclosureCategory
from egov.portal.forms import PolicyDocumentPageForm
from egov.portal.models.pages import PortalPage


class PolicyTheme(models.TextChoices):
    """主题分类: the 21 subject categories of the State Council's document catalogue."""

    GENERAL = "general", _("General government affairs")  # 综合政务
    ECONOMY = "economy", _("Economic management and state assets")  # 国民经济管理、国有资产监管
    FINANCE = "finance", _("Finance, banking and audit")  # 财政、金融、审计
    LAND = "land", _("Land resources and energy")  # 国土资源、能源
    AGRICULTURE = "agriculture", _("Agriculture, forestry and water")  # 农业、林业、水利
    INDUSTRY = "industry", _("Industry and transport")  # 工业、交通
    COMMERCE = "commerce", _("Commerce, customs and tourism")  # 商贸、海关、旅游
    MARKET = "market", _("Market regulation and work safety")  # 市场监管、安全生产监管
    URBAN = "urban", _("Urban and rural construction, environment")  # 城乡建设、环境保护
    SCIENCE = "science", _("Science, technology and education")  # 科技、教育
    CULTURE = "culture", _("Culture, broadcasting and press")  # 文化、广电、新闻出版
    HEALTH = "health", _("Health and sports")  # 卫生、体育
    POPULATION = "population", _("Population, women and children")  # 人口与计划生育、妇女儿童工作
    LABOUR = "labour", _("Labour, personnel and supervision")  # 劳动、人事、监察
    SECURITY = "security", _("Public security, state security and justice")  # 公安、安全、司法
    CIVIL = "civil", _("Civil affairs, poverty and disaster relief")  # 民政、扶贫、救灾
    ETHNIC = "ethnic", _("Ethnic and religious affairs")  # 民族、宗教
    FOREIGN = "foreign", _("Foreign affairs")  # 对外事务
    HKMT = "hkmt", _("Hong Kong, Macao, Taiwan and overseas Chinese")  # 港澳台侨工作
    DEFENCE = "defence", _("National defence")  # 国防
    OTHER = "other", _("Other")  # 其他


class Validity(models.TextChoices):
    """有效性."""

    VALID = "valid", _("In force")  # 有效
    AMENDED = "amended", _("Amended")  # 已修改
    REPEALED = "repealed", _("Repealed")  # 已废止


class PolicyDocumentPage(PortalPage):
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("发文字号, e.g. 永川府发〔2026〕3号."),
    )
    publisher = models.ForeignKey(
        Organisation,
        verbose_name=_("publishing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "发布机构. Empty: the body that owns this part of the site. The index number is "
            "taken from this body's sequence."
        ),
    )
    written_on = models.DateField(_("date written"), help_text=_("成文日期."))
    theme = models.CharField(
        _("subject category"), max_length=20, choices=PolicyTheme, default=PolicyTheme.GENERAL
    )
    validity = models.CharField(
        _("validity"), max_length=10, choices=Validity, default=Validity.VALID
    )
    changed_by = models.ForeignKey(
        "self",
        verbose_name=_("amended or repealed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
        help_text=_("The document that amended or repealed this one; required when amended."),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    disclosure_category = models.CharField(
        _("disclosure catalogue category"),
        max_length=30,
        choices=DisclosureCategory,
        blank=True,
        help_text=_(
            "The category of the proactive disclosure catalogue (政府信息公开条例 第20–21条). "
            "Set: the document is listed in its body's catalogue and must be published within "
            "20 working days of the date it was written."
        ),
    )
    content = RichTextField(_("content"))
    attachment = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("attachment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = PolicyDocumentPageForm
    parent_page_types = ["portal.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("publisher"),
                FieldPanel("written_on"),
                FieldPanel("theme"),
                FieldPanel("disclosure_category"),
            ],
            heading=_("Document"),
        ),
        MultiFieldPanel([FieldPanel("validity"), FieldPanel("changed_by")], heading=_("Validity")),
        FieldPanel("summary"),
        FieldPanel("content"),
        FieldPanel("attachment"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.SearchField("summary"),
        index.SearchField("content"),
        index.FilterField("theme"),
        index.FilterField("validity"),
    ]

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")

    def clean(self):
        super().clean()
        if self.validity == Validity.AMENDED and self.changed_by_id is None:
            raise ValidationError(
                {
                    "changed_by": _(
                        "An amended document links to the document that amended it; choose "
                        "that document, or set the validity back to 'In force'."
                    )
                }
            )
        if self.validity == Validity.VALID and self.changed_by_id is not None:
            raise ValidationError(
                {
                    "validity": _(
                        "A document amended or repealed by another is not in force; choose "
                        "'Amended' or 'Repealed', or clear the link."
                    )
                }
            )
        if self.pk is not None and self.changed_by_id == self.pk:
            raise ValidationError(
                {"changed_by": _("A document cannot amend or repeal itself; choose another.")}
            )

    @property
    def index_number(self) -> str:
        """索引号 ('' until the document is first published)."""
        if self.pk is None:
            return ""
        numbers = IndexNumber.objects.filter(page_id=self.pk).values_list("number", flat=True)
        return numbers.first() or ""

    def publishing_body(self) -> Organisation | None:
        if self.publisher_id:
            return self.publisher
        from egov.portal.services import owning_area

        area = owning_area(self)
        return area.body if area is not None else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["publishing_body"] = self.publishing_body()
        context["interpretations"] = self.interpretations.live().public().order_by("path")
        context["changes"] = self.changes.live().public().order_by("path")
        return context


class InterpretationPage(PortalPage):
    """An interpretation (解读) of a policy document; each page links to the other."""

    policy = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name=_("policy document interpreted"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    content = RichTextField(_("content"))
    source = models.CharField(_("source"), max_length=100, blank=True)

    parent_page_types = ["portal.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("policy"),
        FieldPanel("summary"),
        FieldPanel("content"),
        FieldPanel("source"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("content"),
    ]

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")


class IndexNumberCounter(models.Model):
    """The last index number taken by one body in one year (locked while a number is taken)."""

    body = models.ForeignKey(
        Organisation, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_sequence = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("index number counter")
        verbose_name_plural = _("index number counters")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="portal_index_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}: {self.last_sequence}"


class IndexNumber(models.Model):
    """One allocated index number. Kept when its document is deleted, so that a number is
    never given twice and every gap in a catalogue has an explanation."""

    page = models.OneToOneField(
        PolicyDocumentPage,
        verbose_name=_("document"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="index_record",
    )
    body = models.ForeignKey(
        Organisation, verbose_name=_("publishing body"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("index number"), max_length=100, db_index=True)
    title = models.CharField(_("title when allocated"), max_length=255)
    allocated_at = models.DateTimeField(_("allocated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("index number")
        verbose_name_plural = _("index numbers")
        ordering = ["body", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"], name="portal_index_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number
