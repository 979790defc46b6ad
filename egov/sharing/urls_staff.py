"""/staff/sharing/: the resource catalogue and access grants (internal zone)."""

urlpatterns = []
