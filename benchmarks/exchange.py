"""End-to-end speed of the exchange over the spool transport, beside the raw Ed25519 and
fsync rates measured in the same run.

    .venv/bin/python benchmarks/exchange.py [--count 100000] [--postgres [URL]] [--profile DIR]

Two deployments run as separate processes, as in production (tests/exchange/zone_harness.py):
an external and an internal zone, each with its own database, keys generated and
cross-trusted, a gap directory between them. Stages, each timed on its own:

1. publish: ``--count`` messages with 1 KB payloads on the external zone (transactions of
   1,000, each message allocating its per-key sequence number; 1,000 keys);
2. export: ``exchange_ferry export`` seals them in batches (one signature per batch) and
   writes them durably into the gap (temporary name, fsync, rename, fsync of the directory);
3. import: ``exchange_ferry import`` on the internal zone reads each batch, verifies every
   envelope, checks policy, applies it once (inbox row + the handler's row, one audit entry,
   in one transaction per message or batch, as services.receive_batch does), makes the
   database durable and writes the acknowledgement;
4. acknowledge: ``exchange_ferry import`` on the external zone marks the batches acknowledged.

Two end-to-end figures, each ``--count`` divided by seconds:

- stages in turn: the sum of the four stage times above (nothing overlaps);
- pipelined: fresh zones, both ferries running ``exchange_ferry both --loop`` while the
  publisher publishes, as in production; from the first publish to the last acknowledgement.

Process start-up (about one second per command) is included. SQLite always; PostgreSQL too
with ``--postgres`` (or when DATABASE_URL is PostgreSQL): the zones' databases are created on
that server and dropped afterwards.

Baselines measured in the same run: Ed25519 sign + verify of a 1 KB message, and writing
4 KB + fsync per operation in a directory beside the gap (the disk the spool uses).

``--profile DIR`` runs each ferry stage under cProfile and prints where its time goes.
Not part of the test suite.
"""

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from egov.exchange.signing import Ed25519Signer, TrustedKey  # noqa: E402

GOAL = 5000  # messages per second end to end (issue 3)
PAYLOAD_TEXT_BYTES = 990  # with "number", the payload's canonical form is about 1 KB
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/egov_bench"


def measure(work, seconds: float) -> float:
    """Operations per second: ``work()`` does some and returns how many; repeated ≥ seconds."""
    work()
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += work()
    return done / elapsed


def ed25519_rate(seconds: float) -> float:
    import datetime

    signer = Ed25519Signer.generate()
    key = TrustedKey.from_pem(
        signer.public_key_pem(),
        zone="external",
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    message = os.urandom(1024)

    def sign_and_verify():
        if not key.verify_signature(message, signer.sign(message)):
            raise AssertionError("signature check failed")
        return 1

    return measure(sign_and_verify, seconds)


def fsync_rate(directory: Path, seconds: float) -> float:
    """Write 4 KB and fsync, each operation a new file's worth of a batch on that disk."""
    path = directory / "fsync-probe"
    block = os.urandom(4096)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:

        def write_and_sync():
            os.write(descriptor, block)
            os.fsync(descriptor)
            return 1

        return measure(write_and_sync, seconds)
    finally:
        os.close(descriptor)
        path.unlink()


def run_stage(zone, label: str, args: list[str], profile_dir: Path | None) -> float:
    """Run ``manage.py args`` in ``zone`` (under cProfile with a profile directory) and
    return the seconds it took."""
    start = time.perf_counter()
    if profile_dir is None:
        zone.manage(*args)
    else:
        output = profile_dir / f"{label}.prof"
        result = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(output), "manage.py", *args],
            cwd=REPO,
            env=zone.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - start


def _publish_args(count: int) -> list[str]:
    return [
        "zone_publish",
        "test.zone.ping",
        "--count",
        str(count),
        "--keys",
        "1000",
        "--per-transaction",
        "1000",
        "--text-bytes",
        str(PAYLOAD_TEXT_BYTES),
    ]


def _check_delivered(external, internal, count: int) -> None:
    received, sent = internal.report(), external.report()
    if received["effects"] != count or sent["outbox"] != {"acked": count}:
        raise SystemExit(
            f"the run did not deliver every message exactly once: internal {received}, "
            f"external {sent}"
        )


def sequential(count: int, label: str, profile_dir: Path | None) -> dict:
    """The four stages one after the other, each timed."""
    from tests.exchange.zone_harness import make_zones

    with tempfile.TemporaryDirectory(prefix="egov-bench-exchange-") as root:
        external, internal, cleanup = make_zones(Path(root))
        try:
            stages = {}
            stages["publish"] = run_stage(
                external, f"{label}-publish", _publish_args(count), profile_dir
            )
            stages["export"] = run_stage(
                external, f"{label}-export", ["exchange_ferry", "export", "-v", "0"], profile_dir
            )
            batch_files = list((Path(root) / "gap" / "to-internal").glob("*.batch"))
            gap_bytes = sum(path.stat().st_size for path in batch_files)
            stages["import"] = run_stage(
                internal, f"{label}-import", ["exchange_ferry", "import", "-v", "0"], profile_dir
            )
            stages["acknowledge"] = run_stage(
                external, f"{label}-ack", ["exchange_ferry", "import", "-v", "0"], profile_dir
            )
            _check_delivered(external, internal, count)
            return {
                "stages": stages,
                "batches": len(batch_files),
                "bytes_per_message": gap_bytes / count if count else 0,
            }
        finally:
            cleanup()


def pipelined(count: int) -> float:
    """Publisher and both ferries running at once, as in production: the seconds from the
    start of publishing until the last message is acknowledged."""
    from tests.exchange.zone_harness import make_zones

    with tempfile.TemporaryDirectory(prefix="egov-bench-exchange-") as root:
        external, internal, cleanup = make_zones(Path(root))
        try:
            ferry = ("exchange_ferry", "both", "--loop", "--interval", "0.05", "-v", "0")
            external.start(*ferry)
            internal.start(*ferry)
            time.sleep(3)  # let the ferries start
            start = time.perf_counter()
            publisher = external.start(*_publish_args(count))
            external.manage("zone_wait", str(count), "--timeout", "3600", timeout=3700)
            elapsed = time.perf_counter() - start
            if publisher.wait() != 0:
                raise SystemExit(f"publishing failed:\n{external.log_text()}")
            external.stop_all()
            internal.stop_all()
            _check_delivered(external, internal, count)
            return elapsed
        finally:
            cleanup()


def print_profile(path: Path, lines: int = 18) -> None:
    print(f"  --- {path.name}: cumulative time, top {lines} ---")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="messages (default 100,000)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_POSTGRES,
        default=None,
        help=f"also run on PostgreSQL (default URL {DEFAULT_POSTGRES}; the zones' databases are "
        "created beside it and dropped)",
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="time per raw measurement")
    parser.add_argument("--profile", type=Path, help="write cProfile files here and summarise")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.exchange.zone_settings")
    postgres = options.postgres
    if postgres is None and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        postgres = os.environ["DATABASE_URL"]
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)

    print(
        f"egov exchange, end to end over the spool (Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, {options.count:,} messages with 1 KB payloads)"
    )
    with tempfile.TemporaryDirectory(prefix="egov-bench-fsync-") as probe:
        raw_fsync = fsync_rate(Path(probe), options.seconds)
    raw_crypto = ed25519_rate(options.seconds)
    print(f"  raw Ed25519 sign + verify (1 KB)         {raw_crypto:>10,.0f} /s")
    print(f"  raw write 4 KB + fsync (spool's disk)    {raw_fsync:>10,.0f} /s")

    databases = [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else [])
    for name, url in databases:
        if url:
            os.environ["DATABASE_URL"] = url
        else:
            os.environ.pop("DATABASE_URL", None)
        result = sequential(options.count, name.lower(), options.profile)
        stages = result["stages"]
        total = sum(stages.values())
        rate = options.count / total
        print(
            f"{name}: {result['batches']} batches, {result['bytes_per_message']:,.0f} bytes per "
            "message in the gap"
        )
        for stage, seconds in stages.items():
            print(f"  {stage:<12} {seconds:>8.2f} s   {options.count / seconds:>10,.0f} messages/s")
        print(
            f"  stages in turn {total:>6.2f} s   {rate:>10,.0f} messages/s end to end   "
            f"(goal {GOAL:,}: ×{rate / GOAL:.2f}; raw Ed25519 ×{rate / raw_crypto:.3f}, "
            f"raw fsync ×{rate / raw_fsync:.2f})"
        )
        if not options.profile:
            elapsed = pipelined(options.count)
            rate = options.count / elapsed
            print(
                f"  pipelined    {elapsed:>8.2f} s   {rate:>10,.0f} messages/s end to end   "
                f"(goal {GOAL:,}: ×{rate / GOAL:.2f}; raw Ed25519 ×{rate / raw_crypto:.3f}, "
                f"raw fsync ×{rate / raw_fsync:.2f})"
            )
    if options.profile:
        for path in sorted(options.profile.glob("*.prof")):
            print_profile(path)


if __name__ == "__main__":
    main()
