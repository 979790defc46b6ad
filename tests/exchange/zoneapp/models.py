from django.db import models


class Effect(models.Model):
    """One row per application of a test message: what the tests count. Deliberately not
    unique on the message id, so that a message applied twice shows as two rows."""

    message_id = models.UUIDField()
    type = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    seq = models.PositiveBigIntegerField()
    number = models.BigIntegerField()
    attachments = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.type} {self.message_id}"
