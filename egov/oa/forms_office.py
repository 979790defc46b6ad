"""The forms of notices, meetings and tasks. Each message is shown next to its field (the
views render them with includes/field.html) and what was typed is kept on an error."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.directory.models import Organisation
from egov.services.uploads import HEAD_BYTES, check_content

from .models import Meeting, Notice, Task
from .services_meetings import meetings_visible_to
from .services_office import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    member_bodies,
    staff_users,
)
from .services_tasks import MAX_TASK_DAYS

MEETINGS_OFFERED_DAYS = 180  # a task may name a meeting of the last half year


def active_bodies():
    return Organisation.objects.filter(is_active=True).order_by("path")


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BodiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class UsersField(forms.CharField):
    """Staff named by their account names, separated by commas, spaces or new lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        value = super().clean(value)
        names = [name for name in re.split(r"[\s,，、;；]+", value or "") if name]
        if not names:
            return []
        found = {user.username: user for user in staff_users().filter(username__in=names)}
        missing = [name for name in names if name not in found]
        if missing:
            raise ValidationError(
                _("No active staff member has the account name %(names)s."),
                params={"names": "、".join(missing)},
            )
        return list(dict.fromkeys(found[name] for name in names))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def checked_upload(upload) -> tuple[str, str, bytes]:
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = check_content(
        upload.name,
        head,
        upload.size,
        allowed=ATTACHMENT_TYPES,
        max_bytes=MAX_ATTACHMENT_BYTES,
    )
    return upload.name, content_type, upload.read()


class AttachmentsField(forms.FileField):
    """Up to five files, each judged by its content (egov.services.uploads.check_content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(n)d files may go with a notice.") % {"n": MAX_ATTACHMENTS}
            )
        return [checked_upload(super(AttachmentsField, self).clean(f, initial)) for f in files]


class AttachmentField(forms.FileField):
    """One optional file, judged by its content."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return checked_upload(upload) if upload else None


FILE_HELP = _("PDF, Word, Excel, OpenDocument, JPEG or PNG; at most 20 MB each.")


class _BodyForm(forms.Form):
    """A form whose first field is the body the user acts for (one they belong to)."""

    body_field = "from_body"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = member_bodies(user).order_by("path")
        field = self.fields[self.body_field]
        field.queryset = bodies
        if len(bodies) == 1:
            field.initial = bodies[0].pk


# --- notices ------------------------------------------------------------------------------


class NoticeForm(_BodyForm):
    from_body = BodyChoiceField(label=_("Sending body"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Notice.Priority.choices,
        initial=Notice.Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    to_bodies = BodiesField(
        label=_("To the staff of these bodies"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Every staff member of a chosen body receives the notice."),
    )
    to_people = UsersField(
        label=_("To these people"),
        required=False,
        help_text=_("Account names, separated by commas or spaces, e.g. zhangsan, lisi."),
    )
    files = AttachmentsField(label=_("Attachments"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_bodies"].queryset = active_bodies()

    def clean(self):
        data = super().clean()
        if not data.get("to_bodies") and not data.get("to_people") and "to_people" in data:
            self.add_error("to_bodies", _("Choose at least one body or one person."))
        return data


class RemindForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the readers (optional)"), max_length=300, required=False
    )


# --- rooms and meetings -------------------------------------------------------------------


class RoomForm(forms.Form):
    body = BodyChoiceField(label=_("Managing body"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=5000)
    shared = forms.BooleanField(
        label=_("Shared with every body"),
        required=False,
        help_text=_("Meeting organisers of every body may book a shared room."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else active_bodies()


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(_BodyForm):
    body_field = "body"

    body = BodyChoiceField(label=_("Organising body"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line."),
    )
    day = forms.DateField(label=_("Day"), widget=DateInput(format="%Y-%m-%d"))
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput(format="%H:%M"))
    end = forms.TimeField(label=_("Ends at"), widget=TimeInput(format="%H:%M"))
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=None,
        required=False,
        empty_label=_("— no room: held elsewhere —"),
    )
    place = forms.CharField(
        label=_("Place, when not in a room"),
        max_length=200,
        required=False,
    )
    invitees = UsersField(
        label=_("Invitees"),
        required=False,
        help_text=_("Account names, separated by commas or spaces, e.g. zhangsan, lisi."),
    )

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda room: (
            _("%(name)s (%(body)s, %(seats)d seats)")
            % {"name": room.name, "body": room.body.name, "seats": room.capacity}
        )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=zone)
            data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=zone)
            if end <= start:
                self.add_error("end", _("The meeting must end after it starts."))
        if not data.get("room") and not (data.get("place") or "").strip() and "room" in data:
            self.add_error("room", _("Choose a room, or say where the meeting is held."))
        return data


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I will attend")), ("decline", _("I cannot attend"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Say why when you cannot attend."),
    )


class InviteForm(forms.Form):
    invitees = UsersField(
        label=_("Invite more people"),
        help_text=_("Account names, separated by commas or spaces, e.g. zhangsan, lisi."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes (纪要)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    file = AttachmentField(label=_("Minutes as a file"), required=False, help_text=FILE_HELP)


# --- tasks --------------------------------------------------------------------------------


class TaskForm(_BodyForm):
    from_body = BodyChoiceField(label=_("Assigning body"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 6})
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Task.Source.choices, widget=forms.RadioSelect
    )
    to_body = BodyChoiceField(
        label=_("Responsible body"),
        queryset=Organisation.objects.none(),
        empty_label=_("— choose a body —"),
    )
    to_person = UsersField(
        label=_("Responsible person (optional)"),
        required=False,
        widget=forms.TextInput,
        help_text=_("The account name of one staff member of the responsible body."),
    )
    unit = forms.ChoiceField(
        label=_("Deadline given in"),
        choices=Task.Unit.choices,
        initial=Task.Unit.WORKING_DAYS,
        widget=forms.RadioSelect,
    )
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=MAX_TASK_DAYS,
        required=False,
        help_text=_("Counted on the working-day calendar from tomorrow."),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    meeting = forms.ModelChoiceField(
        label=_("Decided at the meeting (optional)"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["to_body"].queryset = active_bodies()
        since = timezone.now() - datetime.timedelta(days=MEETINGS_OFFERED_DAYS)
        self.fields["meeting"].queryset = (
            meetings_visible_to(user)
            .exclude(status=Meeting.Status.CANCELLED)
            .filter(starts_at__gte=since)
            .order_by("-starts_at")
        )
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{timezone.localtime(meeting.starts_at):%Y-%m-%d} {meeting.title}"
        )

    def clean(self):
        data = super().clean()
        people = data.get("to_person") or []
        if len(people) > 1:
            self.add_error("to_person", _("Name one person only."))
        data["person"] = people[0] if people else None
        unit = data.get("unit")
        if unit == Task.Unit.WORKING_DAYS and not data.get("working_days"):
            if "working_days" not in self.errors:
                self.add_error("working_days", _("Give the number of working days."))
        if unit == Task.Unit.DATE and not data.get("due_date"):
            if "due_date" not in self.errors:
                self.add_error("due_date", _("Give the due date."))
        return data


class TextForm(forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 5}))
    file = AttachmentField(label=_("Attachment"), required=False, help_text=FILE_HELP)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class UrgeForm(forms.Form):
    note = forms.CharField(
        label=_("What to urge"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded on the task and shown to the responsible body."),
    )
