"""Files an old site links to (attachments, images), checked by their content before they
become Wagtail documents or images.

A file's name is not trusted: its first bytes must be those of the type its extension
claims (a PDF starts ``%PDF-``, a Word 97 file is an OLE2 compound file, a .docx a ZIP …).
An ``.exe`` renamed ``.pdf`` is refused, and so is every extension not listed here. Text
files (.txt, .csv) have no signature: they must hold no NUL byte and read as UTF-8 or
GB18030.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import filetype
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 100 * 1024 * 1024

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


def _pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _ole2(data: bytes) -> bool:
    return data.startswith(OLE2)


def _zip(data: bytes) -> bool:
    return data.startswith(ZIP)


def _prefix(*signatures: bytes):
    return lambda data: any(data.startswith(s) for s in signatures)


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _image(*mimes: str):
    return lambda data: filetype.guess_mime(data) in mimes


# extension → (what it must be, test of its content)
DOCUMENT_TYPES = {
    "pdf": ("PDF", _pdf),
    "ofd": ("OFD", _zip),
    "doc": ("Word 97-2003", _ole2),
    "xls": ("Excel 97-2003", _ole2),
    "ppt": ("PowerPoint 97-2003", _ole2),
    "wps": ("WPS", _ole2),
    "et": ("WPS", _ole2),
    "dps": ("WPS", _ole2),
    "docx": ("Word", _zip),
    "xlsx": ("Excel", _zip),
    "pptx": ("PowerPoint", _zip),
    "odt": ("OpenDocument", _zip),
    "ods": ("OpenDocument", _zip),
    "odp": ("OpenDocument", _zip),
    "rtf": ("RTF", _prefix(b"{\\rtf")),
    "zip": ("ZIP", _zip),
    "rar": ("RAR", _prefix(b"Rar!\x1a\x07")),
    "7z": ("7z", _prefix(b"7z\xbc\xaf\x27\x1c")),
    "txt": ("text", _text),
    "csv": ("CSV", _text),
}
IMAGE_TYPES = {
    "jpg": ("JPEG", _image("image/jpeg")),
    "jpeg": ("JPEG", _image("image/jpeg")),
    "png": ("PNG", _image("image/png")),
    "gif": ("GIF", _image("image/gif")),
}
ATTACHMENT_TYPES = {**DOCUMENT_TYPES, **IMAGE_TYPES}


class FileRefusedError(ValueError):
    """A file that is missing, too large, or not what its name says."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    name: str
    data: bytes

    @property
    def sha1(self) -> str:
        # Wagtail's documents and images keep the SHA-1 of their file (``file_hash``).
        return hashlib.sha1(self.data, usedforsecurity=False).hexdigest()


def extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def is_attachment_name(name: str) -> bool:
    return extension(name) in ATTACHMENT_TYPES


def resolve_local(root: Path, relative: str) -> Path:
    """``relative`` (a URL path) as a file under ``root``; refuses anything outside it."""
    root = root.resolve()
    candidate = (root / relative.lstrip("/")).resolve()
    if not candidate.is_relative_to(root):
        raise FileRefusedError(
            _("%(name)s lies outside the export folder; only files inside it are imported.")
            % {"name": relative}
        )
    return candidate


def check_file(path: Path, *, kinds=ATTACHMENT_TYPES, label: str = "") -> CheckedFile:
    """Read ``path`` and check that its content is what its extension says."""
    shown = label or path.name
    if not path.is_file():
        raise FileRefusedError(_("%(name)s is missing from the export.") % {"name": shown})
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefusedError(
            _("%(name)s has %(size)d MB; files of at most %(limit)d MB are imported.")
            % {
                "name": shown,
                "size": size // (1024 * 1024),
                "limit": MAX_FILE_BYTES // (1024 * 1024),
            }
        )
    kind = kinds.get(extension(path.name))
    if kind is None:
        raise FileRefusedError(
            _("%(name)s: files of this type are not imported (accepted: %(types)s).")
            % {"name": shown, "types": ", ".join(sorted(kinds))}
        )
    data = path.read_bytes()
    if not data:
        raise FileRefusedError(_("%(name)s is empty.") % {"name": shown})
    what, test = kind
    if not test(data):
        found = filetype.guess_mime(data) or _("of an unknown type")
        raise FileRefusedError(
            _(
                "%(name)s is not a %(type)s file: its content is %(found)s. A file renamed "
                "to pass as another type is refused."
            )
            % {"name": shown, "type": what, "found": found}
        )
    return CheckedFile(path=path, name=path.name, data=data)
