"""This zone's signing key and the trust store of the other zone's keys, from settings.

``EGOV_EXCHANGE["SIGNING_KEY"]`` is the path of this zone's Ed25519 private key (PKCS#8 PEM,
mode 0600); its public key is written beside it as ``<path>.public.pem``, the file to carry
to the other zone. In combined mode a missing key is generated on first use; a split
deployment refuses to start sending without one (``manage.py exchange_keygen``).

``EGOV_EXCHANGE["TRUSTED_KEYS_DIR"]`` holds the other zone's public keys as ``*.pem`` files
and ``trusted.json``, which says which of them are trusted, for which zone and when::

    {"keys": [
      {"file": "external-2026.pem", "zone": "external",
       "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-31T00:00:00Z"},
      {"file": "external-2027.pem", "zone": "external", "valid_from": "2027-01-01T00:00:00Z"}
    ]}

(a bare list of the same objects is accepted too). A ``.pem`` file not listed is not trusted.
Rotation with an overlap is two entries whose windows overlap (docs/exchange/envelope.md §5).

In combined mode both zones live in this deployment: its own public key is trusted for
messages of either zone, besides any key listed in ``trusted.json``.

The signer and the verifiers are cached; the cache follows changes of the settings and of
``trusted.json`` (trusting a new key takes effect at the next batch, no restart needed).
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from . import ZONES, signing

COMBINED = "combined"
TRUSTED_FILE = "trusted.json"
# Keys trusted because they are this deployment's own (combined mode) are valid from here.
_BEGINNING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

_lock = threading.Lock()
_signer_cache: dict[tuple, signing.Ed25519Signer] = {}
_verifier_cache: dict[tuple, dict[str, signing.CachingVerifier]] = {}


def this_zone() -> str:
    """``external``, ``internal`` or ``combined`` (settings.EGOV_ZONE)."""
    return settings.EGOV_ZONE


def public_key_path(private_key_path: str | os.PathLike) -> Path:
    """Where the public key of a signing key file is written: ``<path>.public.pem``."""
    path = Path(private_key_path)
    return path.with_name(path.name + ".public.pem")


def create_signing_key(path: str | os.PathLike) -> signing.Ed25519Signer:
    """Write a new Ed25519 private key to ``path`` (mode 0600, its directory 0700) and its
    public key beside it. Never overwrites: if ``path`` appears meanwhile (another process
    made it first), that key is loaded and returned instead."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    signer = signing.Ed25519Signer.generate()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, signer.private_key_pem())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # atomic, and fails if the key exists: never overwrite
    except FileExistsError:
        return load_signer(path)
    finally:
        temporary.unlink()
    _write_public_key(path, signer)
    _fsync_directory(path.parent)
    return signer


def _write_public_key(path: Path, signer: signing.Ed25519Signer) -> None:
    public = public_key_path(path)
    if public.exists():
        return
    temporary = public.with_name(f".{public.name}.{os.getpid()}.tmp")
    temporary.write_bytes(signer.public_key_pem())
    temporary.chmod(0o644)
    os.replace(temporary, public)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load_signer(path: str | os.PathLike) -> signing.Ed25519Signer:
    """The signer of the key file at ``path``; writes its public file if that is missing."""
    signer = signing.load_signer(path)
    _write_public_key(Path(path), signer)
    return signer


def signer() -> signing.Ed25519Signer:
    """This zone's signer, from ``EGOV_EXCHANGE["SIGNING_KEY"]``.

    A missing key is generated in combined mode; otherwise it is an error that says how to
    make one (a split deployment must not silently start signing with a key the other zone
    does not know)."""
    path = Path(settings.EGOV_EXCHANGE["SIGNING_KEY"])
    cache_key = (str(path), this_zone())
    cached = _signer_cache.get(cache_key)
    if cached is not None:
        return cached
    with _lock:
        if not path.exists():
            if this_zone() != COMBINED:
                raise signing.KeyFileError(
                    f"no signing key at {path}: create this zone's key with "
                    "'manage.py exchange_keygen', carry its public key to the other zone, "
                    "and set EGOV_EXCHANGE_SIGNING_KEY to the private key file"
                )
            loaded = create_signing_key(path)
        else:
            loaded = load_signer(path)
        _signer_cache[cache_key] = loaded
    return loaded


def _parse_time(value, where: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if type(value) is not str:
        raise signing.KeyFileError(f"{where} must be an ISO 8601 time such as 2026-01-01T00:00:00Z")
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise signing.KeyFileError(
            f"{where}: {value!r} is not an ISO 8601 time such as 2026-01-01T00:00:00Z"
        ) from None
    if moment.utcoffset() is None:
        raise signing.KeyFileError(f"{where}: {value!r} needs a time zone, e.g. a final Z")
    return moment


def load_trusted_keys(directory: str | os.PathLike) -> list[signing.TrustedKey]:
    """The keys listed in ``<directory>/trusted.json`` (none if there is no such file)."""
    directory = Path(directory)
    listing = directory / TRUSTED_FILE
    try:
        data = json.loads(listing.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError) as error:
        raise signing.KeyFileError(f"{listing} is not valid JSON: {error}") from None
    entries = data.get("keys") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise signing.KeyFileError(
            f'{listing} must be {{"keys": [...]}} or a list of {{"file", "zone", '
            '"valid_from", "valid_until"}} objects'
        )
    keys = []
    for index, entry in enumerate(entries):
        where = f"{listing}, entry {index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise signing.KeyFileError(f'{where}: needs "file", the name of a .pem file')
        name = entry["file"]
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise signing.KeyFileError(f"{where}: {name!r} must be a file name in {directory}")
        zone = entry.get("zone")
        if zone not in ZONES:
            raise signing.KeyFileError(f'{where}: "zone" must be one of {", ".join(ZONES)}')
        valid_from = _parse_time(entry.get("valid_from"), f"{where}, valid_from")
        if valid_from is None:
            raise signing.KeyFileError(f'{where}: "valid_from" is required')
        valid_until = _parse_time(entry.get("valid_until"), f"{where}, valid_until")
        try:
            keys.append(
                signing.load_trusted_key(
                    directory / name, zone=zone, valid_from=valid_from, valid_until=valid_until
                )
            )
        except ValueError as error:
            raise signing.KeyFileError(f"{where}: {error}") from None
    return keys


def _trust_listing_stamp(directory: Path) -> tuple:
    try:
        status = (directory / TRUSTED_FILE).stat()
    except FileNotFoundError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def verifier(source_zone: str) -> signing.CachingVerifier:
    """The verifier for messages that claim to come from ``source_zone``: a CachingVerifier
    over the trust store (each batch signature checked once)."""
    directory = Path(settings.EGOV_EXCHANGE["TRUSTED_KEYS_DIR"])
    zone = this_zone()
    cache_key = (
        zone,
        str(directory),
        _trust_listing_stamp(directory),
        settings.EGOV_EXCHANGE["SIGNING_KEY"] if zone == COMBINED else "",
    )
    verifiers = _verifier_cache.get(cache_key)
    if verifiers is None:
        verifiers = _build_verifiers(directory, zone)
        with _lock:
            _verifier_cache.clear()
            _verifier_cache[cache_key] = verifiers
    return verifiers[source_zone]


def _build_verifiers(directory: Path, zone: str) -> dict[str, signing.CachingVerifier]:
    listed = load_trusted_keys(directory)
    if zone != COMBINED:
        shared = signing.CachingVerifier(signing.TrustStore(listed))
        return dict.fromkeys(ZONES, shared)
    own = signer()
    result = {}
    for source_zone in ZONES:
        store = signing.TrustStore(key for key in listed if key.key_id != own.key_id)
        store.add(
            signing.TrustedKey(
                own.key_id, source_zone, own.algorithm, own.public_key, _BEGINNING, None
            )
        )
        result[source_zone] = signing.CachingVerifier(store)
    return result


def public_key_pem() -> bytes:
    """This zone's public key, PEM (the file to give the other zone)."""
    own = signer()
    return own.public_key_pem()


def reset() -> None:
    """Forget the cached signer and verifiers (settings changed, keys rotated)."""
    with _lock:
        _signer_cache.clear()
        _verifier_cache.clear()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in ("EGOV_EXCHANGE", "EGOV_ZONE"):
        reset()
