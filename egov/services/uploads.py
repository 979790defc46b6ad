"""Files of a service guide (blank forms, samples) and of applications, checked by content.

A file's name and the type a browser declares are not trusted: the type is judged from the
bytes (magic numbers, ``filetype``), exactly as the exchange judges attachments at the gap
(``egov.exchange.policy.real_content_type``), so a file accepted here is never refused on
its way out. The name's ending must belong to that type: an ``.exe`` renamed ``.pdf`` is
refused, and so is a PDF renamed ``.docx``. ``check_content`` is the one check; the field
validators below and the hall's upload form call it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from egov.exchange.policy import real_content_type

from .choices import (
    BLANK_FORM_TYPES,
    MAX_GUIDE_FILE_BYTES,
    SAMPLE_TYPES,
    UPLOAD_EXTENSIONS,
    UploadType,
)

HEAD_BYTES = 64 * 1024  # enough for every signature filetype knows


def type_label(content_type: str | None) -> str:
    if content_type is None:
        return str(_("of an unknown type"))
    try:
        return str(UploadType(content_type).label)
    except ValueError:
        return content_type


def check_content(
    name: str, head: bytes, size: int, *, allowed: Iterable[str], max_bytes: int
) -> str:
    """The real content type of a file whose first bytes are ``head`` (at least the first
    64 KiB, or the whole file) and whose length is ``size``; raises ValidationError saying
    what is wrong: too large, empty, a type not allowed, or a name that lies about the type."""
    allowed = [str(kind) for kind in allowed]
    base = PurePosixPath(str(name).replace("\\", "/")).name
    if size <= 0:
        raise ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": base})
    if size > max_bytes:
        raise ValidationError(
            _("The file %(name)s has %(size)s; at most %(max)s are allowed."),
            code="too_large",
            params={"name": base, "size": filesizeformat(size), "max": filesizeformat(max_bytes)},
        )
    real = real_content_type(bytes(head))
    accepted = ", ".join(type_label(kind) for kind in allowed)
    if real not in allowed:
        raise ValidationError(
            _(
                "The file %(name)s is %(real)s by its content; accepted here: %(accepted)s. "
                "A file renamed to pass as another type is refused."
            ),
            code="file_type",
            params={"name": base, "real": type_label(real), "accepted": accepted},
        )
    suffix = PurePosixPath(base).suffix.lower()
    if suffix not in UPLOAD_EXTENSIONS.get(real, ()):
        raise ValidationError(
            _(
                "The file %(name)s is %(real)s by its content, but its name ends in "
                "%(suffix)s: name it %(expected)s."
            ),
            code="file_name",
            params={
                "name": base,
                "real": type_label(real),
                "suffix": suffix or _("nothing"),
                "expected": " / ".join(UPLOAD_EXTENSIONS.get(real, ())),
            },
        )
    return real


def read_head(file) -> bytes:
    """The first bytes of an uploaded or stored file, leaving its position as it was."""
    handle = getattr(file, "file", file)
    try:
        position = handle.tell()
    except (AttributeError, OSError, ValueError):
        position = None
    if position is None:
        file.open("rb")
        handle = getattr(file, "file", file)
        position = 0
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(position)
    return head


def _check_field_file(value, allowed: frozenset[str]) -> None:
    if not value:
        return
    if getattr(value, "_committed", False):
        return  # stored already: it was checked when it was uploaded
    check_content(
        value.name,
        read_head(value),
        value.size,
        allowed=sorted(allowed),
        max_bytes=MAX_GUIDE_FILE_BYTES,
    )


def validate_blank_form(value) -> None:
    """A blank form to download: a PDF or an office document, at most 20 MB."""
    _check_field_file(value, BLANK_FORM_TYPES)


def validate_sample(value) -> None:
    """A sample (a filled-in form, a result): a PDF or an image, at most 20 MB."""
    _check_field_file(value, SAMPLE_TYPES)
