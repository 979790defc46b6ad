"""Hostile input: each kind ends in quarantine with its own reason, nothing of it is applied,
and the importer keeps going with the rest of the batch."""

import base64
import hashlib
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.exchange import services
from egov.exchange.envelope import Envelope
from egov.exchange.models import InboxMessage, QuarantinedMessage
from egov.exchange.signing import Ed25519Signer

from .conftest import (
    BACKWARD,
    effect_count,
    effects,
    files_of,
    make_envelope,
    no_files,
    pdf_bytes,
    seal,
)

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"PE\x00\x00" + bytes(200)


def flip(data: bytes, at: int, mask: int = 0x01) -> bytes:
    return data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :]


def resealed(raw: bytes, **changes) -> bytes:
    """The wire bytes with members of the envelope object replaced (no new signature)."""
    data = json.loads(raw)
    data.update(changes)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class Case:
    """One hostile item: its wire bytes, the files beside it, the reason it must get."""

    def __init__(self, reason, raw, files=()):
        self.reason = reason
        self.raw = raw
        self.files = list(files)


def hostile_cases(signer) -> dict[str, Case]:
    """Every kind of hostile input, built around a valid batch of ``signer``."""
    pdf = pdf_bytes("hostile")
    stranger = Ed25519Signer.generate()
    cases = {}

    [raw] = seal([make_envelope({"n": 1, "note": "hello"}, key="payload")], signer)
    cases["flipped byte in a payload"] = Case("bad_proof", raw.replace(b"hello", b"hellp"))

    envelope = make_envelope(key="attached", attachments=[("a.pdf", "application/pdf", pdf)])
    [raw] = seal([envelope], signer)
    cases["flipped byte in an attachment"] = Case(
        "attachment_hash", raw, [(envelope.attachments[0].sha256, flip(pdf, 40))]
    )
    other_pdf = pdf_bytes("cut short")
    envelope = make_envelope(key="cut", attachments=[("a.pdf", "application/pdf", other_pdf)])
    [raw] = seal([envelope], signer)
    cases["an attachment cut short"] = Case(
        "attachment_size", raw, [(envelope.attachments[0].sha256, other_pdf[:-10])]
    )
    missing_pdf = pdf_bytes("never sent")
    [raw] = seal(
        [make_envelope(key="missing", attachments=[("a.pdf", "application/pdf", missing_pdf)])],
        signer,
    )
    cases["an attachment that did not arrive"] = Case("attachment_missing", raw)

    [raw] = seal([make_envelope(key="stranger")], stranger)
    cases["an unknown key"] = Case("unknown_key", raw)

    [raw] = seal([make_envelope(key="sig")], signer)
    data = json.loads(raw)
    forged = Ed25519Signer.generate().sign(b"anything else")
    data["seal"]["signature"] = base64.b64encode(forged).decode()
    cases["a forged signature"] = Case(
        "bad_signature", json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    )

    [raw] = seal([make_envelope(key="type", type="test.no.such")], signer)
    cases["an unknown type"] = Case("unknown_type", raw)

    [raw] = seal([make_envelope(key="direction", source_zone="internal")], signer)
    cases["a type in the wrong direction"] = Case("wrong_direction", raw)

    [raw] = seal([make_envelope({"n": 1, "note": "长" * 2000}, key="large")], signer)
    cases["an oversized message"] = Case("too_large", raw)
    cases["a huge file"] = Case("too_large", b'{"format":"egov-envelope/1",' + b" " * 2**20 + b"}")

    for name, content in (("ELF", ELF), ("Windows", WINDOWS_EXE)):
        envelope = make_envelope(
            key=f"exe-{name}", attachments=[("申请书.pdf", "application/pdf", content)]
        )
        [raw] = seal([envelope], signer)
        cases[f"a renamed {name} executable as a PDF"] = Case(
            "attachment_type", raw, [(envelope.attachments[0].sha256, content)]
        )

    [raw] = seal([make_envelope({"n": "seven"}, key="schema")], signer)
    cases["a payload against the schema"] = Case("schema_invalid", raw)

    [raw] = seal(
        [make_envelope(key="secret", type=BACKWARD, source_zone="internal", classification="机密")],
        signer,
    )
    cases["classified material bound for the external zone"] = Case("classified", raw)

    [raw] = seal([make_envelope(key="json")], signer)
    cases["malformed JSON"] = Case("malformed_json", raw.replace(b'"seq":1', b'"seq":1,,'))
    cases["duplicate keys"] = Case("malformed_json", raw[:-1] + b',"seq":2}')
    cases["a truncated file"] = Case("truncated", raw[: len(raw) // 2])
    cases["an empty file"] = Case("truncated", b"")
    cases["an extra member"] = Case("bad_field", resealed(raw, extra="x"))
    cases["a member of the wrong type"] = Case("bad_field", resealed(raw, seq="1"))

    cases["a PDF"] = Case("not_an_envelope", pdf)
    cases["an executable"] = Case("not_an_envelope", ELF)
    cases["a JSON array"] = Case("not_an_envelope", b"[1, 2, 3]")
    cases["another JSON object"] = Case("not_an_envelope", b'{"hello": "world"}')
    cases["a newer format"] = Case("not_an_envelope", b'{"format": "egov-envelope/9"}')
    cases["invalid UTF-8"] = Case("not_an_envelope", b"\xff\xfe\x00junk")
    return cases


def test_hostile_input_is_quarantined_with_its_reason_and_the_good_still_applies(exchange):
    cases = hostile_cases(exchange.signer)
    good = [make_envelope({"n": n}, key=f"good:{n}") for n in range(3)]
    good_items = seal(good, exchange.signer)
    items = [good_items[0]]
    files = {}
    for case in cases.values():
        items.append(case.raw)
        files.update(case.files)
    items += good_items[1:]

    report = services.receive_batch(items, batch_id="hostile", attachment=files.get)

    assert report.applied == 3
    assert effects() == [(f"good:{n}", 1) for n in range(3)]
    assert report.quarantined == len(cases)
    held = {bytes(row.raw): row for row in QuarantinedMessage.objects.all()}
    for name, case in cases.items():
        row = held.get(case.raw[: services.QUARANTINE_RAW_LIMIT])
        assert row is not None, name
        assert row.reason == case.reason, f"{name}: {row.reason} ({row.detail})"
        assert row.reason in services.REASONS
        assert row.detail, name
        assert row.status == "held"
        assert row.sha256 == hashlib.sha256(case.raw).hexdigest()
    assert InboxMessage.objects.count() == 3


@pytest.mark.parametrize("name", sorted(hostile_cases(Ed25519Signer.generate())))
def test_each_kind_alone_is_quarantined_with_its_own_reason(exchange, name):
    case = hostile_cases(exchange.signer)[name]
    report = services.receive_batch([case.raw], batch_id="alone", attachment=dict(case.files).get)
    assert (report.applied, report.quarantined) == (0, 1)
    assert report.reasons == {case.reason: 1}
    assert effect_count() == 0


def test_a_replayed_envelope_is_quarantined(exchange):
    [raw] = seal([make_envelope()], exchange.signer)
    assert services.receive_batch([raw], batch_id="first", attachment=no_files).applied == 1
    report = services.receive_batch([raw, raw], batch_id="second", attachment=no_files)
    assert report.reasons == {"replayed": 1}  # the second copy in the batch: held already
    assert report.duplicates == 1
    assert effect_count() == 1


def test_the_same_envelope_twice_in_one_batch_is_applied_once(exchange):
    [raw] = seal([make_envelope()], exchange.signer)
    report = services.receive_batch([raw, raw], batch_id="twice", attachment=no_files)
    assert (report.applied, report.reasons) == (1, {"replayed": 1})
    assert effect_count() == 1


def test_text_and_csv_attachments_are_recognised_by_their_content(exchange):
    csv = "名称,数量\n申请书,1\n".encode()
    envelope = make_envelope(
        attachments=[("list.csv", "text/csv", csv), ("readme.txt", "text/plain", b"hello\n")]
    )
    report = services.receive_batch(
        seal([envelope], exchange.signer),
        batch_id="text",
        attachment=files_of(("", "", csv), ("", "", b"hello\n")),
    )
    assert report.applied == 1
    binary = b"hello\x00world"
    envelope = make_envelope(key="binary", attachments=[("x.txt", "text/plain", binary)])
    report = services.receive_batch(
        seal([envelope], exchange.signer), batch_id="bin", attachment=files_of(("", "", binary))
    )
    assert report.reasons == {"attachment_type": 1}


def test_the_receiver_never_raises_for_strange_items(exchange):
    report = services.receive_batch(
        [None, "text", 42, bytearray(b"[]"), memoryview(b"{")],
        batch_id="strange",
        attachment=no_files,
    )
    assert report.quarantined == 5
    assert report.applied == 0


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_single_bit_flip_is_applied_as_something_else(exchange, data):
    pdf = pdf_bytes()
    envelope = make_envelope(
        {"n": 5, "note": "金额 12.50"},
        key=f"flip:{uuid.uuid4().hex}",
        attachments=[("a.pdf", "application/pdf", pdf)],
    )
    [raw] = seal([envelope], exchange.signer)
    at = data.draw(st.integers(0, len(raw) - 1))
    mask = 1 << data.draw(st.integers(0, 7))
    flipped = flip(raw, at, mask)
    report = services.receive_batch(
        [flipped], batch_id=uuid.uuid4().hex, attachment=files_of(("", "", pdf))
    )
    if report.applied:
        # Only a flip that leaves the same signed content may pass (e.g. a hex digit's case
        # in an escape): the message applied is exactly the one that was signed.
        assert Envelope.from_bytes(flipped).signed_bytes() == envelope.signed_bytes()
    else:
        assert report.quarantined == 1
    assert effect_count(envelope.id) == report.applied
