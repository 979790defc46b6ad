"""An external and an internal deployment as separate processes, each with its own
database, with only a gap directory between them (tests/exchange/zone_harness.py)."""

import signal
import time

import pytest

from tests.exchange.zone_harness import make_zones

pytestmark = pytest.mark.slow

PING = "test.zone.ping"  # external → internal (tests/exchange/zoneapp/handlers.py)
PONG = "test.zone.pong"  # internal → external


@pytest.fixture
def zones(tmp_path):
    external, internal, cleanup = make_zones(tmp_path)
    yield external, internal
    cleanup()


def _files(directory):
    """The files in the gap, less the ferries' lock files."""
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and not path.name.endswith(".lock")
    )


def test_a_message_crosses_once_each_way_and_its_acknowledgement_comes_back(zones):
    external, internal = zones
    gap = external.gap

    external.publish(PING, 3, "--keys", "2")
    external.publish(PING, 1, "--start", "3", "--attachment")
    assert external.report()["outbox"] == {"pending": 4}

    external.ferry("export")
    batches = [name for name in _files(gap) if name.endswith(".batch")]
    assert len(batches) == 1 and batches[0].startswith("to-internal/")
    assert any(".att/" in name for name in _files(gap))  # the PNG travels beside its batch
    assert external.report()["outbox"] == {"sent": 4}

    internal.ferry("import")
    received = internal.report()
    assert received["effects"] == received["distinct_effects"] == 4
    assert received["inbox"] == {"applied": 4}
    assert received["quarantine"] == {}
    # the batch is gone from the gap; its acknowledgement waits for the sender
    batch_id = batches[0].removeprefix("to-internal/").removesuffix(".batch")
    assert _files(gap) == [f"to-external/acks/{batch_id}.ack"]

    internal.ferry("import")  # nothing new: applied exactly once
    assert internal.report()["effects"] == 4

    external.ferry("import")
    assert external.report()["outbox"] == {"acked": 4}
    assert _files(gap) == []

    # and the other way round
    internal.publish(PONG, 2)
    internal.ferry("both")
    external.ferry("both")
    internal.ferry("both")
    assert internal.report()["outbox"] == {"acked": 2}
    back = external.report()
    assert back["effects"] == back["distinct_effects"] == 2
    assert back["inbox"] == {"applied": 2}
    assert internal.report()["effects"] == 4  # nothing echoed


def test_a_zone_that_does_not_trust_the_sender_applies_nothing(tmp_path):
    external, internal, cleanup = make_zones(tmp_path)
    try:
        # the internal zone forgets the external zone's key
        internal.manage("exchange_trust", "remove", _trusted_key_id(internal))
        external.publish(PING, 2)
        # the ferry as a worker runs it: in a loop, until SIGTERM stops it cleanly
        ferry = external.start("exchange_ferry", "export", "--loop", "--interval", "0.2")
        deadline = time.monotonic() + 60
        while not list(external.gap.glob("to-internal/*.batch")):
            assert ferry.poll() is None, external.log_text()
            assert time.monotonic() < deadline, external.log_text()
            time.sleep(0.2)
        ferry.send_signal(signal.SIGTERM)
        assert ferry.wait(timeout=30) == 0, external.log_text()
        internal.ferry("import")
        refused = internal.report()
        assert refused["effects"] == 0
        assert refused["quarantine"] == {"unknown_key": 2}
    finally:
        cleanup()


def _trusted_key_id(zone) -> str:
    listing = zone.manage("exchange_trust", "list").stdout.split()
    return listing[0]
