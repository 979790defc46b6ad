"""How batches travel between the zones.

A transport moves what ``services.take_batch`` returns to the other side and hands what
arrives to ``services.receive_batch``; everything else (sealing, checks, the idempotent
apply, quarantine) is the services' job, so every transport behaves the same:

- ``loopback`` — combined mode: both zones in one deployment; take, receive, acknowledge
  in one process (:mod:`egov.exchange.transports.loopback`);
- ``spool`` — a gap directory between two deployments (files written with a temporary name,
  fsync and an atomic rename; acknowledgements written back);
- ``rabbitmq`` / ``nats`` — a broker, for larger districts.

The contract of a sending transport: ``batch = take_batch(destination)``; write the batch
durably (its ``envelopes`` in order, its ``attachments`` files, its ``id``); then
``mark_sent(batch)``; when the other side acknowledges ``batch.id``, ``mark_acked``. A crash
before ``mark_sent`` takes the same batch again (same id), and the receiver counts what it
applied already as duplicates.

The contract of a receiving transport: ``receive_batch(items, batch_id=..., attachment=...)``
with the batch's own id, as many times as needed (it is idempotent), then acknowledge.
"""
