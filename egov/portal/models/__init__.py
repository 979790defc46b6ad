"""The portal's models, split by concern: sites.py (per-site settings, bodies' areas),
pages.py (the page types), documents.py (policy documents, interpretations, index numbers)."""

from .documents import (
    IndexNumber,
    IndexNumberCounter,
    InterpretationPage,
    PolicyDocumentPage,
    PolicyTheme,
    Validity,
)
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
from .sites import BodyArea, PortalSiteSettings, Theme

__all__ = [
    "ArticlePage",
    "BodyArea",
    "BodyProfilePage",
    "ColumnKind",
    "ColumnPage",
    "DownloadItem",
    "DownloadsPage",
    "HomePage",
    "IndexNumber",
    "IndexNumberCounter",
    "InterpretationPage",
    "LeaderProfilePage",
    "PolicyDocumentPage",
    "PolicyTheme",
    "PortalPage",
    "PortalSiteSettings",
    "SectionPage",
    "SiteMapPage",
    "Theme",
    "TopicPage",
    "Validity",
]
