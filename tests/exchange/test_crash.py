"""Crash test: ferries killed with SIGKILL at random points lose no effect and apply none
twice.

10,000 messages are published on the external zone while both zones run ``exchange_ferry
both --loop``; one of the two ferries (the exporter with its acknowledgement reader, or the
importer) is killed with SIGKILL at a random moment and started again, at least 20 times.
After a last clean run, the internal zone's handler EFFECTS (one row per application of a
message, written by the handler in tests/exchange/zoneapp/handlers.py) are counted: each of
the 10,000 messages exactly once. The seed is printed; EGOV_CRASH_SEED replays a run's choice of moments.
"""

import os
import random
import signal
import time

import pytest

from tests.exchange.zone_harness import make_zones

pytestmark = pytest.mark.slow

MESSAGES = 10_000
KILLS = 20
PING = "test.zone.ping"


def test_killed_ferries_lose_no_effect_and_apply_none_twice(tmp_path):
    seed = int(os.environ.get("EGOV_CRASH_SEED", random.SystemRandom().randrange(1 << 32)))
    print(f"crash test seed: {seed} (EGOV_CRASH_SEED={seed} replays it)")
    rng = random.Random(seed)
    external, internal, cleanup = make_zones(tmp_path, EGOV_EXCHANGE_BATCH_SIZE="200")
    try:
        # The publisher runs through the whole test, so the ferries are killed while working.
        publisher = external.start(
            "zone_publish", PING, "--count", str(MESSAGES), "--keys", "997",
            "--per-transaction", "100", "--pause", "0.3",
        )  # fmt: skip
        ferry = ("exchange_ferry", "both", "--loop", "--interval", "0.05", "-v", "0")
        running = {"external": external.start(*ferry), "internal": internal.start(*ferry)}
        zones = {"external": external, "internal": internal}
        kills = {"external": 0, "internal": 0}
        while sum(kills.values()) < KILLS:
            time.sleep(rng.uniform(0.4, 2.5))  # a Django start takes about one second
            name = rng.choice(sorted(running))
            process = running[name]
            if process.poll() is not None:
                pytest.fail(f"the {name} ferry stopped by itself:\n{zones[name].log_text()}")
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills[name] += 1
            running[name] = zones[name].start(*ferry)
        assert min(kills.values()) >= 1, kills
        assert publisher.wait(timeout=300) == 0, external.log_text()
        for process in running.values():
            process.send_signal(signal.SIGKILL)
            process.wait()

        # The last clean runs: until everything is acknowledged.
        for _ in range(10):
            external.ferry("both")
            internal.ferry("both")
            external.ferry("import")
            if external.report()["outbox"] == {"acked": MESSAGES}:
                break

        received = internal.report()
        sent = external.report()
        print(f"kills: {kills}; internal: {received}; external: {sent}")
        assert received["distinct_effects"] == MESSAGES, "effects were lost"
        assert received["effects"] == MESSAGES, "effects were applied twice"
        assert received["inbox"] == {"applied": MESSAGES}
        # a batch sent again after a kill may arrive twice: refused as a replay, never applied
        assert set(received["quarantine"]) <= {"replayed"}, received["quarantine"]
        assert sent["outbox"] == {"acked": MESSAGES}
    finally:
        cleanup()
