"""The loopback transport: combined mode, where both zones are one deployment.

Nothing crosses a gap: each pending batch is sealed, checked and applied like any other
(so a combined deployment exercises exactly the code a split one does), with attachments
read from the one attachment store, then marked sent and acknowledged at once.

Runs from the worker (tasks.py: every minute, and right after a publishing transaction
commits) or directly: ``loopback.deliver()``.
"""

from __future__ import annotations

import threading

from django.conf import settings

from .. import ZONES
from .. import attachments as store
from ..services import ReceiveReport, mark_acked, mark_sent, receive_batch, take_batch

_running = threading.Lock()


def deliver(*, limit: int | None = None) -> ReceiveReport | None:
    """Deliver everything pending, in batches of ``limit`` (default BATCH_SIZE), for both
    destinations. Returns the combined report, or None if another delivery is running in
    this process (it delivers until nothing is pending, so nothing is left behind)."""
    if settings.EGOV_ZONE != "combined":
        raise RuntimeError(
            "the loopback transport works only in combined mode (EGOV_ZONE=combined); a "
            "split deployment uses the spool or a broker (EGOV_EXCHANGE_TRANSPORT)"
        )
    size = limit or settings.EGOV_EXCHANGE["BATCH_SIZE"]
    if not _running.acquire(blocking=False):
        return None
    try:
        report = ReceiveReport()
        for destination in ZONES:
            while (batch := take_batch(destination, limit=size)) is not None:
                report.add(
                    receive_batch(
                        batch.envelopes,
                        batch_id=batch.id,
                        attachment=store.get,
                        source="loopback",
                    )
                )
                mark_sent(batch)
                mark_acked(batch.id)
        return report
    finally:
        _running.release()
