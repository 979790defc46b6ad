from django import template

from egov.core.masking import mask as mask_value

register = template.Library()


@register.filter(name="mask")
def mask(value, kind):
    """{{ value|mask:"mobile" }}: the one masking module, in templates."""
    return mask_value(kind, value)
