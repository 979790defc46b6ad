"""/open-data/: the resources open to the public (internet-facing zone)."""

urlpatterns = []
