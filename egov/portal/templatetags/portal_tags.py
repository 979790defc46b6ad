from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def pubtime(value) -> str:
    """A publication time as the 2017 guideline shows it: YYYY-MM-DD HH:MM, local time."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@register.filter
def isodate(value) -> str:
    """The machine-readable form for <time datetime="…">."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


@register.filter
def filetype(document) -> str:
    """A document's file type in capitals (PDF, DOCX …) for the downloads list."""
    extension = getattr(document, "file_extension", "") or ""
    return extension.upper()
