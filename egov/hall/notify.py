"""Telling applicants what happened to their applications: a ``Notification`` in the hall for
the steps that matter to them (accepted or not, correction asked, decided, closed,
delivered), and the same by e-mail and SMS (``egov.core.sms``) when the account has an
address or a number — sent by the worker after the transaction that recorded the step
commits, in Chinese (the applicant's pages show it in their language)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task

from egov.core.sms import send_sms

from .models import Application, Notification

NOTIFIED = {
    "accept": gettext_noop("has been accepted"),
    "refuse_acceptance": gettext_noop("was not accepted"),
    "request_correction": gettext_noop("needs a correction by %(deadline)s"),
    "decide": gettext_noop("has been decided"),
    "close": gettext_noop("is closed; the result is ready"),
    "deliver": gettext_noop("has been delivered"),
}


def text(notification: Notification) -> str:
    """The notification in the current language."""
    what = _(NOTIFIED.get(notification.action, notification.action))
    if "%(deadline)s" in what:
        what = what % {"deadline": notification.detail.get("deadline", "")}
    return _("Your application %(code)s (%(item)s) %(what)s.") % {
        "code": notification.query_code,
        "item": notification.item_name,
        "what": what,
    }


def record(query_code: str, action: str, detail: dict) -> Notification | None:
    """Note a step of an online application for its applicant (in the caller's transaction)
    and send it once that commits. Window cases and unnotified steps give None."""
    if action not in NOTIFIED:
        return None
    application = Application.objects.filter(query_code=query_code).first()
    if application is None:
        return None
    notification = Notification.objects.create(
        user_id=application.applicant_id,
        query_code=query_code,
        item_name=application.item_name,
        action=action,
        detail=detail,
    )
    transaction.on_commit(lambda: send(notification.pk))
    return notification


@db_task()
def send(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    user = notification.user
    with translation.override(settings.LANGUAGE_CODE):
        message = text(notification)
        footer = _("See the progress under “My applications” in the online service hall.")
        subject = _("Your application %(code)s") % {"code": notification.query_code}
    now = timezone.now()
    if user.email and notification.emailed_at is None:
        send_mail(subject, f"{message}\n\n{footer}", None, [user.email])
        notification.emailed_at = now
    if user.mobile and notification.texted_at is None:
        send_sms(user.mobile, f"{message}{footer}")
        notification.texted_at = now
    notification.save(update_fields=["emailed_at", "texted_at"])
