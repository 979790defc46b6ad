from django.urls import path
from django.views.generic import RedirectView

from . import accounts_patterns, common_patterns, internal_patterns, media_patterns

urlpatterns = (
    common_patterns()
    + accounts_patterns(public=False)
    + internal_patterns()
    + [path("", RedirectView.as_view(url="/staff/", permanent=False), name="internal-root")]
    + media_patterns()
)
