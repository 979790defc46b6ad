"""StreamField blocks: used only where editors arrange a free list of links (the home page's
entries to services and interaction)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


def _is_address(value: str) -> bool:
    return value.startswith("/") or value.startswith(("https://", "http://"))


class EntryValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.url or ""
        return self.get("address") or ""


class EntryBlock(blocks.StructBlock):
    """One entry: a label and either a page of the site group or an address (a path of the
    platform such as /hall/, or a full http(s) address)."""

    label = blocks.CharBlock(label=_("label"), max_length=40)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    address = blocks.CharBlock(
        label=_("address"),
        required=False,
        max_length=300,
        help_text=_("Instead of a page: a path such as /hall/ or a full https:// address."),
    )
    description = blocks.CharBlock(label=_("description"), required=False, max_length=100)

    class Meta:
        icon = "link"
        value_class = EntryValue

    def clean(self, value):
        value = super().clean(value)
        page, address = value.get("page"), (value.get("address") or "").strip()
        errors = {}
        if page is None and not address:
            errors["page"] = ValidationError(_("Choose a page or type an address."))
        elif page is not None and address:
            errors["address"] = ValidationError(
                _("Choose a page or type an address, not both; clear one of them.")
            )
        elif address and not _is_address(address):
            errors["address"] = ValidationError(
                _("An address starts with / (a path of this platform) or with https://.")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class EntriesBlock(blocks.StreamBlock):
    entry = EntryBlock()

    class Meta:
        block_counts = {"entry": {"max_num": 12}}
