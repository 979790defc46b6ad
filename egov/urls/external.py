from . import accounts_patterns, common_patterns, external_patterns, media_patterns

urlpatterns = (
    common_patterns() + accounts_patterns(public=True) + external_patterns() + media_patterns()
)
