from django.apps import AppConfig


class ZoneTestConfig(AppConfig):
    """Test message types for the two-zone and crash tests (only in zone_settings)."""

    name = "tests.exchange.zoneapp"
    label = "exchange_zone_test"

    def ready(self):
        from . import handlers  # noqa: F401 - registers the test message types
