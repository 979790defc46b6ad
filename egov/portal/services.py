"""The verbs of the site group. Each is one transaction; the admin hooks, the demo command
and the tests all go through them.

- ``create_site(body, hostname=…)``: a new site of the group, owned by ``body``;
  ``adopt_site(site, body)`` gives an existing site to a body; ``ensure_portal_home()``
  makes the default site's home page when the tree is empty;
- ``create_section(parent, body, …)``: a body's section inside a site;
- ``open_body_area(body, page)``: the groups, permissions, collection and three-level review
  workflow that make ``page`` and everything under it the body's (called by the two above,
  and by the admin when a site's home or a section is created there);
- ``grant_editor(user, body)``, ``grant_reviewer(user, body, level)``;
- ``assign_workflow(page, workflow)``;
- ``allocate_index_number(document)``: the document's 索引号, once, gap-free per body and year;
- ``owning_area(page)``: which body's area a page lies in.
"""

from enum import IntEnum

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from egov.core.audit import record
from egov.directory.models import Organisation
from egov.portal.models import (
    BodyArea,
    HomePage,
    IndexNumber,
    IndexNumberCounter,
    PolicyDocumentPage,
    PortalSiteSettings,
    SectionPage,
)
from egov.portal.validators import (
    DEFAULT_INDEX_NUMBER_FORMAT,
    format_uses_uscc,
    render_index_number,
)


class ReviewLevel(IntEnum):
    """The three levels of review every page goes through before it is published."""

    FIRST = 1  # 初审
    SECOND = 2  # 复审
    FINAL = 3  # 终审

    @property
    def chinese(self) -> str:
        return {1: "初审", 2: "复审", 3: "终审"}[self.value]


# What a body's editors may do on its pages: add and edit them, and lock what they work on.
# Never "publish": publishing is the review's conclusion (permissions.py).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
# Reviewers edit a page only while it waits at their level (Wagtail lets a task's group into
# the editor then); outside a review they hold no page permission, so a reviewer cannot write
# a page and approve it at their own level as if someone else had.
REVIEWER_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
)


DEFAULT_HOME_TITLE = "永川区人民政府网"


class PortalError(ValueError):
    """A request the site group refuses; the message says why and what to do."""


def _tree_root() -> Page:
    """Wagtail's invisible root page (made, with the default locale, if the tree is empty)."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=_default_language())
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def _default_language() -> str:
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _root_collection() -> Collection:
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    return root


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_admin_access())
    return group


def _collection_permissions(group: Group, collection: Collection, perms) -> None:
    for app_label, codename in perms:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def area_label(body: Organisation) -> str:
    return f"{body.name_zh} ({body.code})"


@transaction.atomic
def assign_workflow(page: Page, workflow: Workflow | None) -> None:
    """Make ``workflow`` the review of ``page`` and the pages under it that have none of
    their own; ``None`` removes the page's own assignment."""
    if workflow is None:
        WorkflowPage.objects.filter(page=page).delete()
    else:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def _review_workflow(body: Organisation, reviewers: list[Group]) -> Workflow:
    workflow = Workflow.objects.create(name=f"{area_label(body)} 三审")
    for order, (level, group) in enumerate(zip(ReviewLevel, reviewers, strict=True)):
        task = GroupApprovalTask.objects.create(name=f"{level.chinese} · {body.name_zh}")
        task.groups.set([group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def open_body_area(body: Organisation, page: Page) -> BodyArea:
    """Make ``page`` and everything under it ``body``'s: Wagtail groups "<body> editors" and
    "<body> reviewers 初审 / 复审 / 终审", the editors' page permissions on the subtree, a
    collection for the body's images and documents, and a workflow of three group approval
    tasks assigned to the page. Safe to call again for the same body and page."""
    existing = BodyArea.objects.filter(body=body).select_related("page").first()
    if existing is not None:
        if existing.page_id != page.pk:
            raise PortalError(
                _(
                    "%(body)s already owns '%(page)s'; a body owns one site or section of the "
                    "group. Add columns there, or delete that page first."
                )
                % {"body": body, "page": existing.page.title}
            )
        return existing
    if BodyArea.objects.filter(page=page).exists():
        raise PortalError(
            _("'%(page)s' already belongs to another body; choose another page.")
            % {"page": page.title}
        )

    label = area_label(body)
    editors = _group(f"{label} editors")
    reviewers = [_group(f"{label} reviewers {level.chinese}") for level in ReviewLevel]
    page_type = ContentType.objects.get_for_model(Page)
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        GroupPagePermission.objects.get_or_create(group=editors, page=page, permission=permission)

    root_collection = _root_collection()
    collection = next(
        (c for c in root_collection.get_children() if c.name == body.name_zh), None
    ) or root_collection.add_child(instance=Collection(name=body.name_zh))
    _collection_permissions(editors, collection, EDITOR_COLLECTION_PERMISSIONS)
    for group in reviewers:
        _collection_permissions(group, collection, REVIEWER_COLLECTION_PERMISSIONS)

    workflow = _review_workflow(body, reviewers)
    assign_workflow(page, workflow)
    return BodyArea.objects.create(
        body=body,
        page=page,
        editors=editors,
        first_reviewers=reviewers[0],
        second_reviewers=reviewers[1],
        final_reviewers=reviewers[2],
        workflow=workflow,
        collection=collection,
    )


def _publish(page: Page, user=None) -> None:
    """Publish a page the platform itself makes (a new site's home, a section)."""
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()


@transaction.atomic
def create_site(
    body: Organisation,
    *,
    hostname: str,
    title: str,
    port: int = 80,
    slug: str = "",
    site_name: str = "",
    is_default: bool = False,
    user=None,
) -> HomePage:
    """A new site of the group for ``body``: a home page at the top of the tree, a Wagtail
    site answering for ``hostname``:``port``, its settings (name, 主办单位, the body's review
    workflow) and the body's area (groups, permissions, workflow)."""
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise PortalError(
            _("A site already answers for %(host)s:%(port)s; choose another host name or port.")
            % {"host": hostname, "port": port}
        )
    home = HomePage(title=title, slug=slug or body.code.lower(), body=body, live=False)
    _tree_root().add_child(instance=home)
    area = open_body_area(body, home)
    _publish(home, user)
    if is_default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        site_name=site_name or title,
        is_default_site=is_default,
    )
    settings = PortalSiteSettings.for_site(site)
    settings.site_name = site_name or title
    settings.host_body = body
    settings.review_workflow = area.workflow
    settings.save()
    record("portal.site.created", actor=user, body=body, obj=site, detail={"host": hostname})
    return home


@transaction.atomic
def ensure_portal_home(title: str = DEFAULT_HOME_TITLE) -> HomePage:
    """The default site's home page; made, as on a fresh install, when there is no default
    site (a portal home page with no owning body yet, answering for any host)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        home = site.root_page.specific
        if not isinstance(home, HomePage):
            raise PortalError(
                _(
                    "The default site's root page is not a portal home page; make a portal "
                    "home page the root of the default site in the CMS (Settings → Sites)."
                )
            )
        return home
    root = _tree_root()
    taken = set(root.get_children().values_list("slug", flat=True))
    slug = next(s for s in ("home", "portal", "portal-home") if s not in taken)
    home = HomePage(title=title, slug=slug, live=False)
    root.add_child(instance=home)
    _publish(home)
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title
    )
    return home


@transaction.atomic
def adopt_site(site: Site, body: Organisation, *, site_name: str = "", user=None) -> HomePage:
    """Give an existing site (e.g. the default site a fresh install starts with) to ``body``:
    the same as ``create_site`` for a home page that already exists."""
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise PortalError(
            _(
                "The root of %(site)s is not a portal home page; create a new site with "
                "create_site instead."
            )
            % {"site": site}
        )
    if home.body_id != body.pk:
        home.body = body
        home.save(update_fields=["body"])
        area = open_body_area(body, home)
        _publish(home, user)
    else:
        area = open_body_area(body, home)
    settings = PortalSiteSettings.for_site(site)
    settings.site_name = settings.site_name or site_name or home.title
    settings.host_body = settings.host_body or body
    settings.review_workflow = settings.review_workflow or area.workflow
    settings.save()
    return home


@transaction.atomic
def create_section(
    parent: Page, body: Organisation, *, title: str, slug: str = "", intro: str = "", user=None
) -> SectionPage:
    """A section of the portal for ``body`` under ``parent`` (a site's home or a column),
    with the body's area: its editors and reviewers work on the section only."""
    section = SectionPage(
        title=title, slug=slug or body.code.lower(), body=body, intro=intro, live=False
    )
    parent.add_child(instance=section)
    open_body_area(body, section)
    _publish(section, user)
    return section


def _area_of(body: Organisation) -> BodyArea:
    area = BodyArea.objects.filter(body=body).first()
    if area is None:
        raise PortalError(
            _(
                "%(body)s has no site or section in the site group yet; create one first "
                "(a site, or a section page in the CMS)."
            )
            % {"body": body}
        )
    return area


def _check_staff(user) -> None:
    if not (user.is_active and (getattr(user, "kind", "") == "staff" or user.is_staff)):
        raise PortalError(
            _("%(user)s is not an active staff account; only staff edit or review the site group.")
            % {"user": user}
        )


@transaction.atomic
def grant_editor(user, body: Organisation, *, granted_by=None) -> Group:
    """Let ``user`` edit the pages of ``body``'s site or section (and submit them for
    review); audited. Granting again changes nothing."""
    _check_staff(user)
    area = _area_of(body)
    if not user.groups.filter(pk=area.editors.pk).exists():
        user.groups.add(area.editors)
        record("portal.editor.granted", actor=granted_by, body=body, obj=user)
    return area.editors


@transaction.atomic
def grant_reviewer(user, body: Organisation, level: ReviewLevel, *, granted_by=None) -> Group:
    """Let ``user`` review ``body``'s pages at one level (初审, 复审 or 终审); audited."""
    _check_staff(user)
    group = _area_of(body).reviewer_groups()[ReviewLevel(level) - 1]
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        record(
            "portal.reviewer.granted",
            actor=granted_by,
            body=body,
            obj=user,
            detail={"level": ReviewLevel(level).chinese},
        )
    return group


def owning_area(page: Page) -> BodyArea | None:
    """The area (site or section) a page lies in: the nearest one above it, or its own."""
    steps = Page.steplen
    ancestors = [page.path[:end] for end in range(steps, len(page.path) + 1, steps)]
    return (
        BodyArea.objects.filter(page__path__in=ancestors)
        .select_related("body", "page")
        .order_by("-page__depth")
        .first()
    )


def index_number_format_for(page: Page) -> str:
    site = page.get_site() if page is not None else None
    if site is None:
        return DEFAULT_INDEX_NUMBER_FORMAT
    return PortalSiteSettings.for_site(site).index_number_format or DEFAULT_INDEX_NUMBER_FORMAT


@transaction.atomic
def allocate_index_number(document: PolicyDocumentPage) -> IndexNumber:
    """The document's index number: the one it has, or the next of its publishing body's
    sequence for the year of its first publication, taken under a row lock on the counter so
    that concurrent publications get consecutive numbers without gaps or repeats."""
    existing = IndexNumber.objects.filter(page_id=document.pk).first()
    if existing is not None:
        return existing
    body = document.publishing_body()
    if body is None:
        raise PortalError(
            _(
                "'%(title)s' lies in no body's site or section and names no publishing body; "
                "choose the publishing body (发布机构) on the page."
            )
            % {"title": document.title}
        )
    fmt = index_number_format_for(document)
    if format_uses_uscc(fmt) and not body.uscc:
        raise PortalError(
            _(
                "%(body)s has no unified social credit code, which its index numbers need; "
                "enter it in the directory, or choose another publishing body."
            )
            % {"body": body}
        )
    year = timezone.localtime(document.first_published_at or timezone.now()).year
    counter, _created = IndexNumberCounter.objects.get_or_create(body=body, year=year)
    counter = IndexNumberCounter.objects.select_for_update().get(pk=counter.pk)
    # Another transaction may have numbered this document while we waited for the lock.
    existing = IndexNumber.objects.filter(page_id=document.pk).first()
    if existing is not None:
        return existing
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return IndexNumber.objects.create(
        page=document,
        body=body,
        year=year,
        sequence=counter.last_sequence,
        number=render_index_number(
            fmt, uscc=body.uscc, code=body.code, year=year, sequence=counter.last_sequence
        ),
        title=document.title[:255],
    )


__all__ = [
    "PortalError",
    "ReviewLevel",
    "adopt_site",
    "allocate_index_number",
    "assign_workflow",
    "create_section",
    "create_site",
    "ensure_portal_home",
    "grant_editor",
    "grant_reviewer",
    "index_number_format_for",
    "open_body_area",
    "owning_area",
]
