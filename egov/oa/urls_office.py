"""/staff/oa/ — notices, meetings, tasks."""

urlpatterns = []
