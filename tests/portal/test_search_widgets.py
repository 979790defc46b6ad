"""The search form's selects render in Python: the same HTML as Django's own Select, for
every value, escaped, with the attributes a bound field adds (aria-describedby,
aria-invalid, required)."""

import pytest
from django import forms
from django.test.html import parse_html

from egov.portal.views_search import PlainSelect

CHOICES = [("", "Any column"), (3, "要闻动态"), (7, "Notices & <news>"), ("x", '"quoted"')]


@pytest.mark.parametrize("value", [None, "", 3, "3", 7, "x", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_column"}, {"id": "id_column", "aria-invalid": "true", "required": True}],
)
def test_the_plain_select_is_djangos_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("column", value, attrs)
    rendered = PlainSelect(choices=CHOICES).render("column", value, attrs)
    assert parse_html(rendered) == parse_html(expected)
    assert "<news>" not in rendered


def test_a_bound_field_of_the_search_form_keeps_its_accessible_attributes():
    class Form(forms.Form):
        column = forms.TypedChoiceField(
            choices=CHOICES, coerce=int, help_text="help", widget=PlainSelect
        )

    form = Form({"column": "99"})
    assert not form.is_valid()
    html = str(form["column"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_column_helptext' in html
    assert '<option value="3">要闻动态</option>' in html
