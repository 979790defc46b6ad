"""Numbers are unique and gap-free per body, prefix and year when clerks register at the
same moment — on PostgreSQL, where the counter row is really locked."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from egov.oa import services_documents as docs

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_and_gap_free_under_concurrency(outgoing, people):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer; the row lock is tested on PostgreSQL")
    documents = [outgoing("checked") for _ in range(THREADS)]
    clerk = people["clerk"]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(document):
        try:
            barrier.wait()
            docs.register(document, by=clerk)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(type(d).objects.get(pk=d.pk).number_seq for d in documents)
    assert numbers == list(range(1, THREADS + 1))
