"""Back-office registrations of the core app, split by concern."""

from . import admin_audit, admin_calendar  # noqa: F401
