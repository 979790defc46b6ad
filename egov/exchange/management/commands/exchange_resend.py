"""Send the unacknowledged messages of a batch again (after a ``batch_incomplete`` alert:
the other zone received the batch cut short): ``manage.py exchange_resend <batch id>``."""

from django.core.management.base import BaseCommand, CommandError

from egov.exchange import services


class Command(BaseCommand):
    help = (
        "Make the sent but unacknowledged messages of a batch pending again, so that the next "
        "export sends them; the receiver applies each message once. Resolves the batch's "
        "batch_incomplete alert."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", help="the batch id (the alert's subject)")

    def handle(self, *args, batch, **options):
        try:
            count = services.resend_batch(batch, purpose="manage.py exchange_resend")
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not count:
            raise CommandError(
                f"batch {batch} has no message that was sent and not acknowledged: nothing to "
                "send again (the batch ids are the subjects of the back-office alerts list)."
            )
        self.stdout.write(f"{count} messages of batch {batch} will go out with the next export")
