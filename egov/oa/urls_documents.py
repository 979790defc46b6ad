"""/staff/oa/ — official documents."""

urlpatterns = []
