from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from egov.core.masking import mask as mask_value

register = template.Library()


@register.filter(name="mask")
def mask(value, kind):
    """{{ value|mask:"mobile" }}: the one masking module, in templates."""
    return mask_value(kind, value)


@register.simple_tag
def provisional_note(day):
    """{% provisional_note due_date %}: a short note after a date that lies on a provisional
    day of the working-day calendar (a year whose holidays are not yet published, decision
    0019), since it may still move; nothing otherwise."""
    from egov.core.calendar import is_provisional

    if not day:
        return ""
    try:
        provisional = is_provisional(day)
    except TypeError:  # not a date
        return ""
    if not provisional:
        return ""
    return format_html(
        ' <small class="provisional-date">{}</small>',
        gettext(
            "(provisional: next year's holidays are not yet published, so this date may "
            "still move by a few days)"
        ),
    )
