"""Looking for a text in generated files every way it could be there: the raw bytes in the
encodings a writer might use, the decompressed PDF streams and the strings in them (UTF-16
in CID fonts), the text pypdf extracts, every XML part of a DOCX and its text without the
tags (a word split across runs). Each finder returns where it found the text: [] is clean.
Tests also run them on a text that must be there, so a finder that sees nothing fails."""

from __future__ import annotations

import base64
import html
import io
import re
import zipfile
import zlib

ENCODINGS = ("utf-8", "utf-16-be", "utf-16-le", "gb18030")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _unescape_literal(raw: bytes) -> bytes:
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def _decoded(chunk: bytes) -> str:
    """A PDF string's bytes read every way a writer may have meant them."""
    texts = []
    for encoding in ("utf-16-be", "utf-8", "gb18030", "latin-1"):
        try:
            texts.append(chunk.decode(encoding))
        except UnicodeDecodeError:
            continue
    return "\x00".join(texts)


def _unfiltered(raw: bytes) -> list[bytes]:
    """A stream's bytes undone every way a writer may have filtered them (Flate, ASCII85)."""
    found = [raw]
    try:
        found.append(base64.a85decode(raw.strip().removesuffix(b"~>"), adobe=False))
    except ValueError:
        pass
    for candidate in list(found):
        try:
            found.append(zlib.decompress(candidate))
        except zlib.error:
            pass
    return found


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of the file decoded: by pypdf (object by object) and by hand."""
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    streams = []
    for raw in _STREAM.findall(data):
        streams.extend(_unfiltered(raw))
    reader = PdfReader(io.BytesIO(data))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            found = reader.get_object(number)
        except Exception:  # noqa: S112 - a free or broken entry: decoded by hand above
            continue
        if isinstance(found, StreamObject):
            streams.append(found.get_data())
    return streams


def pdf_strings(data: bytes) -> str:
    """Every literal and hex string of the file and of its streams, decoded, in order, joined
    without separators (a text split over two text operators is found)."""
    decoded_by_encoding = {encoding: [] for encoding in ("utf-16-be", "utf-8", "gb18030")}
    for source in [data, *pdf_streams(data)]:
        chunks = [_unescape_literal(m) for m in _LITERAL.findall(source)]
        for m in _HEX.findall(source):
            digits = re.sub(rb"\s", b"", m)
            if len(digits) % 2:
                digits += b"0"
            chunks.append(bytes.fromhex(digits.decode()))
        for encoding, parts in decoded_by_encoding.items():
            parts.extend(chunk.decode(encoding, errors="ignore") for chunk in chunks)
    return "\n".join("".join(parts) for parts in decoded_by_encoding.values())


def pdf_extracted(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    return "\n".join(page.extract_text() or "" for page in reader.pages) + "\n" + metadata


def found_in_pdf(data: bytes, text: str) -> list[str]:
    where = []
    for encoding in ENCODINGS:
        needle = text.encode(encoding)
        if needle in data:
            where.append(f"raw bytes ({encoding})")
        if any(needle in stream for stream in pdf_streams(data)):
            where.append(f"decompressed stream ({encoding})")
    if _squeeze(text) in _squeeze(pdf_strings(data)):
        where.append("PDF strings")
    if _squeeze(text) in _squeeze(pdf_extracted(data)):
        where.append("extracted text")
    return where


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def found_in_docx(data: bytes, text: str) -> list[str]:
    where = []
    for encoding in ENCODINGS:
        if text.encode(encoding) in data:
            where.append(f"raw bytes ({encoding})")
    escaped = html.escape(text, quote=True)
    for name, content in docx_parts(data).items():
        if text in name:
            where.append(f"part name {name}")
        decoded = content.decode("utf-8", errors="ignore")
        if text in decoded or escaped in decoded:
            where.append(name)
        stripped = html.unescape(re.sub(r"<[^>]+>", "", decoded))
        if _squeeze(text) in _squeeze(stripped):
            where.append(f"{name} (text without tags)")
    return where
