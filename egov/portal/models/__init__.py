"""The portal's models, split by concern: sites.py (per-site settings, bodies' areas),
pages.py (the page types), documents.py (policy documents, interpretations, index numbers)."""

from .cache import PageCacheGeneration
from .documents import (
    IndexNumber,
    IndexNumberCounter,
    InterpretationPage,
    PolicyDocumentPage,
    PolicyTheme,
    Validity,
)
from .health import HealthWarning, SiteHealthReport, SiteHealthRules  # noqa: F401
from .pages import (
    ArticlePage,
    BodyProfilePage,
    ColumnKind,
    ColumnPage,
    DownloadItem,
    DownloadsPage,
    HomePage,
    LeaderProfilePage,
    PortalPage,
    SectionPage,
    SiteMapPage,
    TopicPage,
)
from .reports import ErrorKind, ErrorReport
from .search import SearchDocument, SearchEntry, Synonym
from .sites import BodyArea, PortalSiteSettings, Theme

__all__ = [
    "ArticlePage",
    "BodyArea",
    "BodyProfilePage",
    "ColumnKind",
    "ColumnPage",
    "DownloadItem",
    "DownloadsPage",
    "ErrorKind",
    "ErrorReport",
    "HomePage",
    "IndexNumber",
    "IndexNumberCounter",
    "InterpretationPage",
    "LeaderProfilePage",
    "PageCacheGeneration",
    "PolicyDocumentPage",
    "PolicyTheme",
    "PortalPage",
    "PortalSiteSettings",
    "SearchDocument",
    "SearchEntry",
    "SectionPage",
    "SiteMapPage",
    "Synonym",
    "Theme",
    "TopicPage",
    "Validity",
]
