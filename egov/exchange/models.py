"""What the exchange keeps in each zone's database: the outbox (what this zone sends), the
inbox (what it has applied, once), per-key sequence counters, quarantine, alerts and the
archive chain. The wire format lives in envelope.py; the verbs in services.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxSequence(models.Model):
    """The last sequence number given out per aggregate key (locked while allocating)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("outbox sequence")

    def __str__(self) -> str:
        return f"{self.key} #{self.last_seq}"


class OutboxMessage(models.Model):
    """A message written in the caller's transaction, waiting to be sealed and sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        ACKED = "acked", _("acknowledged")

    id = models.UUIDField(primary_key=True)  # the envelope id, a UUIDv7: sorts by creation
    type = models.CharField(_("type"), max_length=100)
    key = models.CharField(_("key"), max_length=200)
    seq = models.PositiveBigIntegerField(_("sequence number"))
    destination = models.CharField(_("destination zone"), max_length=10)
    envelope = models.BinaryField(_("envelope (unsealed)"))
    size = models.PositiveIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acked_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(fields=["key", "seq"], name="exchange_outbox_key_seq")
        ]
        indexes = [
            models.Index(fields=["status", "id"], name="exchange_outbox_status"),
            models.Index(fields=["batch"], name="exchange_outbox_batch"),
            models.Index(fields=["sent_at"], name="exchange_outbox_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class InboxMessage(models.Model):
    """A message received from the other zone. Unique on (source, id): applied once."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        WAITING = "waiting", _("waiting for an earlier message")

    source_zone = models.CharField(_("source zone"), max_length=10)
    message_id = models.UUIDField(_("message id"))
    type = models.CharField(_("type"), max_length=100)
    key = models.CharField(_("key"), max_length=200)
    seq = models.PositiveBigIntegerField(_("sequence number"))
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    envelope = models.BinaryField(_("envelope"), null=True, blank=True)  # kept while waiting
    sha256 = models.CharField(_("SHA-256 of the envelope"), max_length=64)
    received_at = models.DateTimeField(_("received at"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("inbox")
        constraints = [
            models.UniqueConstraint(
                fields=["source_zone", "message_id"], name="exchange_inbox_source_id"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "source_zone", "key", "seq"], name="exchange_inbox_wait"
            ),
            models.Index(fields=["applied_at"], name="exchange_inbox_applied_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.message_id}"


class InboxSequence(models.Model):
    """The last sequence number applied per source zone and key (per-key ordering)."""

    source_zone = models.CharField(_("source zone"), max_length=10)
    key = models.CharField(_("key"), max_length=200)
    last_seq = models.PositiveBigIntegerField(_("last applied sequence number"), default=0)
    waiting_since = models.DateTimeField(
        _("waiting for a missing message since"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("inbox sequence")
        constraints = [
            models.UniqueConstraint(fields=["source_zone", "key"], name="exchange_inbox_seq")
        ]

    def __str__(self) -> str:
        return f"{self.source_zone}:{self.key} #{self.last_seq}"


class QuarantinedMessage(models.Model):
    """Anything that failed a check on arrival: kept with its reason, never deleted silently;
    re-processable after a fix (``exchange_requeue``)."""

    class Status(models.TextChoices):
        HELD = "held", _("held")
        REQUEUED = "requeued", _("re-processed")
        DISMISSED = "dismissed", _("dismissed with a reason")

    reason = models.CharField(_("reason"), max_length=40, db_index=True)
    detail = models.TextField(_("detail"), blank=True)
    source_zone = models.CharField(_("source zone"), max_length=10, blank=True)
    message_id = models.UUIDField(_("message id"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=100, blank=True)
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    raw = models.BinaryField(_("bytes as received"))
    sha256 = models.CharField(_("SHA-256 of the bytes"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)

    class Meta:
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantine")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "message_id"], name="exchange_quarantine_msg"),
            models.Index(fields=["batch", "sha256"], name="exchange_quarantine_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.type or self.sha256[:12]}"


class ExchangeAlert(models.Model):
    """A condition an operator must see: a sequence gap open too long, a backlog …"""

    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=250)
    detail = models.TextField(_("detail"), blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange alert")
        verbose_name_plural = _("exchange alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(resolved_at__isnull=True),
                name="exchange_alert_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class ArchiveFile(models.Model):
    """One day's message archive file; each file's hash chains to the day before."""

    day = models.DateField(_("day"), unique=True)
    path = models.CharField(_("path"), max_length=500)
    count = models.PositiveIntegerField(_("messages"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    prev_sha256 = models.CharField(_("SHA-256 of the day before"), max_length=64)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive file")
        verbose_name_plural = _("message archive")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.count})"
