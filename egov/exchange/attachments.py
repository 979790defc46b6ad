"""The content-addressed store of attachment bytes (``EGOV_EXCHANGE["ATTACHMENT_DIR"]``).

A file is stored under the SHA-256 of its bytes, ``<dir>/ab/cd/abcd…`` (two levels of
directories keep each one small), so that the same bytes are stored once and a name can
never point to other bytes than its own. Writes are durable and atomic: a temporary name in
the same directory, fsync, rename, fsync of the directory — a reader sees the whole file or
none.

The store never deletes. A file written by a transaction that rolled back stays as an
orphan until a clean-up removes files no message refers to.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

from django.conf import settings

_SHA256 = re.compile(r"[0-9a-f]{64}")


def root() -> Path:
    return Path(settings.EGOV_EXCHANGE["ATTACHMENT_DIR"])


def path_for(sha256: str) -> Path:
    """Where the bytes with this SHA-256 (lower-case hex) are, or would be, stored."""
    if type(sha256) is not str or not _SHA256.fullmatch(sha256):
        raise ValueError(f"{sha256!r} is not a SHA-256 in lower-case hex (64 digits)")
    return root() / sha256[:2] / sha256[2:4] / sha256


def put(data: bytes) -> str:
    """Store ``data`` (if it is not stored yet) and return its SHA-256."""
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    path = path_for(sha256)
    if path.exists():
        return sha256
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{sha256}.{uuid.uuid4().hex}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    os.replace(temporary, path)  # the same name always holds the same bytes
    _fsync_directory(directory)
    return sha256


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def get(sha256: str) -> bytes | None:
    """The stored bytes with this SHA-256, or None if there are none (or the name is not a
    SHA-256). The bytes are not re-hashed here: the importer checks them against the
    envelope (check_attachment)."""
    try:
        path = path_for(sha256)
    except ValueError:
        return None
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def exists(sha256: str) -> bool:
    try:
        return path_for(sha256).exists()
    except ValueError:
        return False
