"""``case_changed``: sent once the transaction that changed a case commits (a transition, a
rating, a payment notice), so that e-supervision checks the case's history at once."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

case_changed = Signal()


def case_changed_on_commit(case) -> None:
    pk = case.pk
    transaction.on_commit(lambda: case_changed.send(sender=type(case), case_id=pk), robust=True)
