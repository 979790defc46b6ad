"""Raw speed of the exchange's cryptographic core, each figure beside its baseline measured in
the same run.

    .venv/bin/python benchmarks/crypto_raw.py [--seconds 1.5]

Figures:
- Ed25519 sign and verify of 1 KB messages (the baseline of everything below);
- SHA-256 and SM3 throughput over 1 MiB buffers (SM3 against SHA-256);
- sealing batches of 1,000 envelopes with 1 KB payloads: one signature over a Merkle root
  against one signature per envelope (seal_batch of one envelope at a time); both include the
  canonical encoding and the building of the seals;
- verifying one envelope alone (proof + signature), against a raw Ed25519 verify; the same
  through a CachingVerifier (each batch signature checked once); and reading the envelope from
  its bytes first, as the importer does.

Runs in well under a minute on a 2-core machine; not part of the test suite.
"""

import argparse
import datetime
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes  # noqa: E402

from egov.exchange import merkle  # noqa: E402
from egov.exchange.canonical import canonical_bytes  # noqa: E402
from egov.exchange.envelope import Envelope, seal_batch, verify  # noqa: E402
from egov.exchange.signing import (  # noqa: E402
    CachingVerifier,
    Ed25519Signer,
    TrustedKey,
    TrustStore,
)

BATCH = 1000
T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def measure(work, seconds: float) -> float:
    """Items per second: ``work()`` does some items and returns how many; repeated ≥ seconds."""
    work()  # warm up
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += work()
    return done / elapsed


def payload_of_1kb(number: int) -> dict:
    """A payload whose canonical form is 1,024 bytes."""
    payload = {
        "application_no": f"YC-2026-{number:08d}",
        "applicant": {"name": "张三", "id_masked": "500383********1235", "phone": "138****0000"},
        "item": "500383-XK-0042",
        "remark": "",
    }
    payload["remark"] = "x" * (1024 - len(canonical_bytes(payload)))
    return payload


def fresh_envelopes(count: int) -> list[Envelope]:
    return [
        Envelope.new(
            "hall.application.submitted",
            payload_of_1kb(number),
            source_zone="external",
            key=f"hall.application:{number}",
            seq=1,
        )
        for number in range(count)
    ]


def line(label: str, value: float, unit: str, baseline: tuple[str, float] | None = None) -> None:
    text = f"  {label:<46} {value:>12,.0f} {unit}"
    if baseline:
        name, base = baseline
        text += f"   vs {name} {base:,.0f} {unit}: ×{value / base:.2f}"
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.5, help="time per measurement")
    seconds = parser.parse_args().seconds
    started = time.perf_counter()
    print(
        f"egov exchange: raw cryptography (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
    )

    signer = Ed25519Signer.generate()
    store = TrustStore(
        [TrustedKey.from_pem(signer.public_key_pem(), zone="external", valid_from=T0)]
    )
    key = store.get(signer.key_id)
    message = os.urandom(1024)
    signature = signer.sign(message)

    print("Ed25519, 1 KB messages (per second)")
    sign_rate = measure(lambda: (signer.sign(message), 1)[1], seconds)
    verify_rate = measure(lambda: (key.verify_signature(message, signature), 1)[1], seconds)

    def sign_and_verify():
        key.verify_signature(message, signer.sign(message))
        return 1

    pair_rate = measure(sign_and_verify, seconds)
    line("sign", sign_rate, "/s")
    line("verify", verify_rate, "/s")
    line("sign + verify", pair_rate, "/s")

    print("Hashing, 1 MiB buffers (MB/s)")
    buffer = os.urandom(1 << 20)

    def sm3_mib():
        context = hashes.Hash(hashes.SM3())
        context.update(buffer)
        context.finalize()
        return 1

    sha_rate = measure(lambda: (hashlib.sha256(buffer).digest(), 1)[1], seconds) * 1.048576
    sm3_rate = measure(sm3_mib, seconds) * 1.048576
    line("SHA-256 (hashlib)", sha_rate, "MB/s")
    line("SM3 (cryptography)", sm3_rate, "MB/s", ("SHA-256", sha_rate))

    print(f"Sealing batches of {BATCH} envelopes with 1 KB payloads (envelopes per second)")
    pool = [fresh_envelopes(BATCH) for _ in range(3)]
    print(
        f"  (payload {len(canonical_bytes(pool[0][0].payload))} B, "
        f"signed bytes {len(pool[0][0].signed_bytes())} B per envelope)"
    )
    turn = iter(range(10**9))

    def next_batch() -> list[Envelope]:
        # Envelopes cache their signed bytes; copies without the cache keep the encoding
        # inside the measurement.
        return [_uncached(envelope) for envelope in pool[next(turn) % 3]]

    def seal_one_batch():
        seal_batch(next_batch(), signer)
        return BATCH

    def seal_each():
        for envelope in next_batch():
            seal_batch([envelope], signer)
        return BATCH

    def merkle_only():
        merkle.MerkleTree([e.signed_bytes() for e in pool[0]]).proofs()
        return BATCH

    seal_each_rate = measure(seal_each, seconds)
    seal_rate = measure(seal_one_batch, seconds)
    merkle_rate = measure(merkle_only, seconds)
    line("one signature per envelope (batches of 1)", seal_each_rate, "/s")
    line("one signature per batch of 1,000", seal_rate, "/s", ("per envelope", seal_each_rate))
    line("  of which Merkle tree + proofs only", merkle_rate, "/s")

    print("Verifying one envelope alone (envelopes per second)")
    sealed = seal_batch(pool[0], signer)
    wire = [envelope.to_bytes() for envelope in sealed]
    print(
        f"  (wire size per envelope: {len(wire[0])} B, proof of {len(sealed[0].seal.proof)} steps)"
    )

    def verify_alone():
        for envelope in sealed[:100]:
            verify(envelope, store, at=T0)
        return 100

    caching = CachingVerifier(store)

    def verify_cached():
        for envelope in sealed:
            verify(envelope, caching, at=T0)
        return BATCH

    def read_and_verify_cached():
        for data in wire:
            verify(Envelope.from_bytes(data), caching, at=T0)
        return BATCH

    alone_rate = measure(verify_alone, seconds)
    cached_rate = measure(verify_cached, seconds)
    read_rate = measure(read_and_verify_cached, seconds)
    line("verify alone (proof + Ed25519)", alone_rate, "/s", ("raw verify", verify_rate))
    line("verify, batch signature cached", cached_rate, "/s", ("raw verify", verify_rate))
    line("from_bytes + verify, signature cached", read_rate, "/s", ("raw verify", verify_rate))

    print(f"done in {time.perf_counter() - started:.1f} s")


def _uncached(envelope: Envelope) -> Envelope:
    copy = object.__new__(Envelope)
    copy.__dict__.update(envelope.__dict__)
    copy.__dict__.pop("_signed_bytes", None)
    return copy


if __name__ == "__main__":
    main()
