"""End-to-end speed of the exchange over the spool transport, beside the raw Ed25519 and
fsync rates measured in the same run.

    .venv/bin/python benchmarks/exchange.py [--count 100000] [--postgres [URL]] [--profile DIR]

Two deployments run as separate processes, as in production (tests/exchange/zone_harness.py):
an external and an internal zone, each with its own database, keys generated and
cross-trusted, a gap directory between them. Stages, each timed on its own:

1. publish: ``--count`` messages with 1 KB payloads on the external zone, to 1,000 keys, in
   caller transactions of ``--per-transaction`` messages (default 1,000), each transaction
   one ``services.publish_many`` call (``--publish each``: one ``exchange.publish`` call per
   message); every message gets its per-key sequence number, its schema check and its
   outbox row;
2. export: ``exchange_ferry export`` seals them in batches of 1,000 (one signature per batch)
   and writes them durably into the gap (temporary name, fsync, rename, fsync of the
   directory);
3. import: ``exchange_ferry import`` on the internal zone reads each batch, verifies every
   envelope, checks policy, applies it once (inbox row, the handler — a batch handler that
   writes one row per message with ``bulk_create`` — per-key order, one audit entry per
   chunk and verdict, in one transaction per chunk of 1,000), makes the database durable and
   writes the acknowledgement;
4. acknowledge: ``exchange_ferry import`` on the external zone marks the batches acknowledged.

Two end-to-end figures, each ``--count`` divided by seconds:

- stages in turn: the sum of the four stage times above (nothing overlaps);
- all at once: fresh zones, both ferries running ``exchange_ferry both --loop`` while the
  publisher publishes, as in production; from the first publish (the publisher's own
  start-up not counted) to the last message applied on the internal zone (its effect row
  committed; counted every 0.1 s), and to the last acknowledgement back on the external
  zone (which follows the fsync that makes the applied messages durable).

In the stages, process start-up (about one second per command) is included. SQLite always; PostgreSQL too
with ``--postgres`` (or when DATABASE_URL is PostgreSQL): the zones' databases are created on
that server and dropped afterwards. Durability is as configured: SQLite in WAL mode with
synchronous=NORMAL (egov's setting), PostgreSQL with its synchronous_commit (printed).

With the stages, the CPU each stage used per message: its process (with the checking worker)
less the start-up of a command that does nothing, and on PostgreSQL the zones' backends
(sampled from /proc; Linux). On a shared machine this is the figure to compare: the
seconds vary with other work, the CPU much less.

Baselines measured in the same run: Ed25519 sign + verify of a 1 KB message, and writing
4 KB + fsync per operation in a directory beside the gap (the disk the spool uses). The load
average of the machine is printed beside each figure: on a shared machine, expect a few tens
of percent of noise.

``--profile DIR`` runs each stage under cProfile and prints where its time goes.
Not part of the test suite.
"""

import argparse
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from egov.exchange.signing import Ed25519Signer, TrustedKey  # noqa: E402

GOAL = 5000  # messages per second end to end (issue 3)
PAYLOAD_TEXT_BYTES = 990  # with "number", the payload's canonical form is about 1 KB
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/egov_bench"


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


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


class ServerCPU:
    """CPU seconds used by the PostgreSQL backends of the zones' databases (Linux: /proc),
    sampled every 50 ms in a thread; a backend's time counts up to its last sample."""

    def __init__(self, marker: str):
        self.marker = marker.encode()
        self.seen: dict[tuple[str, str], float] = {}
        self.tick = os.sysconf("SC_CLK_TCK")
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as file:
                        if self.marker not in file.read():
                            continue
                    with open(f"/proc/{pid}/stat") as file:
                        fields = file.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                # utime, stime; the start time tells a reused pid apart
                self.seen[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / self.tick
            time.sleep(0.05)

    def seconds(self) -> float:
        time.sleep(0.1)  # one more sample
        return sum(self.seen.values())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_stage(zone, label: str, args: list[str], profile_dir: Path | None) -> float:
    """Run ``manage.py args`` in ``zone`` (under cProfile with a profile directory) and
    return the seconds it took."""
    start = time.perf_counter()
    if profile_dir is None:
        zone.manage(*args, timeout=3600)
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


def _publish_args(count: int, options) -> list[str]:
    args = [
        "zone_publish",
        "test.zone.ping",
        "--count",
        str(count),
        "--keys",
        "1000",
        "--per-transaction",
        str(options.per_transaction),
        "--text-bytes",
        str(PAYLOAD_TEXT_BYTES),
    ]
    return [*args, "--many"] if options.publish == "many" else args


def _check_delivered(external, internal, count: int) -> None:
    received, sent = internal.report(), external.report()
    if (
        received["effects"] != count
        or received["distinct_effects"] != count
        or received["quarantine"]
        or sent["outbox"] != {"acked": count}
    ):
        raise SystemExit(
            f"the run did not deliver every message exactly once: internal {received}, "
            f"external {sent}"
        )


def sequential(count: int, label: str, options) -> dict:
    """The four stages one after the other, each timed."""
    from tests.exchange.zone_harness import make_zones

    profile_dir = options.profile
    with tempfile.TemporaryDirectory(prefix="egov-bench-exchange-") as root:
        external, internal, cleanup = make_zones(Path(root))
        try:
            stages = {}
            loads = {}
            # CPU per stage: the stage's process (and its worker), and on PostgreSQL the
            # zones' backends. Start-up: a command that does nothing (manage.py check).
            server = None
            if external.database_url.startswith("postgres"):
                database = urlsplit(external.database_url).path.lstrip("/")
                server = ServerCPU(database.rsplit("_", 2)[0])  # <base>_zones_<pid>
            before = _children_cpu()
            internal.manage("check")
            startup = _children_cpu() - before
            cpu = {}
            steps = [
                ("publish", external, _publish_args(count, options)),
                ("export", external, ["exchange_ferry", "export", "-v", "0"]),
                ("import", internal, ["exchange_ferry", "import", "-v", "0"]),
                ("acknowledge", external, ["exchange_ferry", "import", "-v", "0"]),
            ]
            gap_bytes = batches = 0
            for stage, zone, args in steps:
                if stage == "import":
                    batch_files = list((Path(root) / "gap" / "to-internal").glob("*.batch"))
                    batches = len(batch_files)
                    gap_bytes = sum(path.stat().st_size for path in batch_files)
                before = os.getloadavg()[0]
                python_before = _children_cpu()
                server_before = server.seconds() if server else 0.0
                stages[stage] = run_stage(zone, f"{label}-{stage}", args, profile_dir)
                loads[stage] = (before, os.getloadavg()[0])
                cpu[stage] = (
                    _children_cpu() - python_before,
                    (server.seconds() - server_before) if server else None,
                )
            _check_delivered(external, internal, count)
            return {
                "stages": stages,
                "loads": loads,
                "cpu": cpu,
                "startup": startup,
                "batches": batches,
                "bytes_per_message": gap_bytes / count if count else 0,
            }
        finally:
            cleanup()


def _waiter(zone, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "zone_wait", str(count), "--timeout", "3600", *extra],
        cwd=REPO,
        env=zone.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reached_at(waiter: subprocess.Popen) -> float:
    out, err = waiter.communicate(timeout=3700)
    if waiter.returncode != 0:
        raise SystemExit(f"zone_wait failed:\n{out}\n{err}")
    return float(out.strip().split()[-1])


def all_at_once(count: int, options) -> dict:
    """Publisher and both ferries running at once, as in production: the seconds from the
    start of publishing until the last message is applied, and acknowledged."""
    from tests.exchange.zone_harness import make_zones

    with tempfile.TemporaryDirectory(prefix="egov-bench-exchange-") as root:
        external, internal, cleanup = make_zones(Path(root))
        try:
            ferry = ("exchange_ferry", "both", "--loop", "--interval", "0.05", "-v", "0")
            external.start(*ferry)
            internal.start(*ferry)
            applied = _waiter(internal, count, "--effects", "--interval", "0.1")
            # Counting acknowledged rows is costly (zone_wait): that waiter starts counting
            # when every message is applied (acknowledgements follow the apply).
            acked = _waiter(external, count, "--interval", "0.1", "--after-stdin")
            time.sleep(3)  # let the ferries and the waiters start
            before = os.getloadavg()[0]
            publisher = subprocess.Popen(
                [sys.executable, "manage.py", *_publish_args(count, options)],
                cwd=REPO,
                env=external.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            # From the first publish (the publisher prints the time; its start-up, about a
            # second, is not counted: in production the publishers are running already).
            start = float(publisher.stdout.readline().split()[-1])
            published = []
            threading.Thread(
                target=lambda: (publisher.wait(), published.append(time.time())), daemon=True
            ).start()
            applied_at = _reached_at(applied)
            acked.stdin.write("go\n")
            acked.stdin.flush()
            acked_at = _reached_at(acked)
            after = os.getloadavg()[0]
            out, err = publisher.communicate()
            if publisher.returncode != 0:
                raise SystemExit(f"publishing failed:\n{out}\n{err}")
            external.stop_all()
            internal.stop_all()
            _check_delivered(external, internal, count)
            return {
                "published": published[0] - start,
                "applied": applied_at - start,
                "acknowledged": acked_at - start,
                "loads": (before, after),
            }
        finally:
            cleanup()


def _postgres_settings(url: str) -> str:
    import psycopg

    from tests.exchange.zone_harness import _with_database

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        commit = conn.execute("SHOW synchronous_commit").fetchone()[0]
        fsync = conn.execute("SHOW fsync").fetchone()[0]
    return f"PostgreSQL {version}, synchronous_commit={commit}, fsync={fsync}"


def print_profile(path: Path, lines: int = 18) -> None:
    print(f"  --- {path.name}: cumulative time, top {lines} ---")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(lines)


def _rate(count: int, seconds: float) -> str:
    rate = count / seconds
    return f"{seconds:>8.2f} s   {rate:>10,.0f} messages/s   (goal {GOAL:,}: ×{rate / GOAL:.2f})"


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
    parser.add_argument(
        "--only-postgres", action="store_true", help="skip SQLite (with --postgres)"
    )
    parser.add_argument(
        "--per-transaction",
        type=int,
        default=1000,
        help="messages per caller transaction when publishing (default 1,000)",
    )
    parser.add_argument(
        "--publish",
        choices=["many", "each"],
        default="many",
        help="one publish_many call per transaction (default), or one publish per message",
    )
    parser.add_argument(
        "--mode",
        choices=["both", "stages", "all-at-once"],
        default="both",
        help="stages in turn, all at once, or both (default)",
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
        f"{os.cpu_count()} CPUs, {options.count:,} messages with 1 KB payloads; publishing "
        f"{'with publish_many' if options.publish == 'many' else 'with publish per message'} "
        f"in transactions of {options.per_transaction:,}; {load()})"
    )
    with tempfile.TemporaryDirectory(prefix="egov-bench-fsync-") as probe:
        raw_fsync = fsync_rate(Path(probe), options.seconds)
    raw_crypto = ed25519_rate(options.seconds)
    print(f"  raw Ed25519 sign + verify (1 KB)         {raw_crypto:>10,.0f} /s   ({load()})")
    print(f"  raw write 4 KB + fsync (spool's disk)    {raw_fsync:>10,.0f} /s   ({load()})")

    databases = [] if options.only_postgres and postgres else [("SQLite", None)]
    databases += [("PostgreSQL", postgres)] if postgres else []
    for name, url in databases:
        if url:
            os.environ["DATABASE_URL"] = url
            print(f"{name}: {_postgres_settings(url)}")
        else:
            os.environ.pop("DATABASE_URL", None)
            print(f"{name}: WAL, synchronous=NORMAL (egov's setting)")
        if options.mode in ("both", "stages"):
            result = sequential(options.count, name.lower(), options)
            stages = result["stages"]
            print(
                f"  {result['batches']} batches, {result['bytes_per_message']:,.0f} bytes per "
                "message in the gap"
            )
            for stage, seconds in stages.items():
                before, after = result["loads"][stage]
                print(
                    f"  {stage:<14} {seconds:>8.2f} s   {options.count / seconds:>10,.0f} "
                    f"messages/s   (load {before:.2f} → {after:.2f})"
                )
            if not options.profile:
                print(
                    "  CPU per message, start-up of each command "
                    f"({result['startup']:.2f} s, manage.py check) subtracted:"
                )
                for stage, (python, server) in result["cpu"].items():
                    own = max(python - result["startup"], 0.0) / options.count * 1e6
                    if server is None:
                        print(f"    {stage:<12} {own:>6.0f} µs")
                        continue
                    database = server / options.count * 1e6
                    print(
                        f"    {stage:<12} {own + database:>6.0f} µs   (Python {own:.0f}, "
                        f"PostgreSQL backends {database:.0f})"
                    )
            total = sum(stages.values())
            print(f"  stages in turn {_rate(options.count, total)}")
        if options.mode in ("both", "all-at-once") and not options.profile:
            result = all_at_once(options.count, options)
            before, after = result["loads"]
            print(
                f"  all at once: published in {result['published']:.2f} s; "
                f"(load {before:.2f} → {after:.2f})"
            )
            print(f"    to the last apply          {_rate(options.count, result['applied'])}")
            print(f"    to the last acknowledgement {_rate(options.count, result['acknowledged'])}")
    if options.profile:
        for path in sorted(options.profile.glob("*.prof")):
            print_profile(path)


if __name__ == "__main__":
    main()
