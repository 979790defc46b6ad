"""The online form as data: good definitions pass, bad ones are refused with messages that
say where and what; answers are checked against a definition."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError

from egov.services.forms import (
    check_answers,
    form_definition_problems,
    localised,
    validate_form_definition,
)

from .conftest import FORM

TODAY = datetime.date(2026, 6, 1)


def definition(*fields) -> dict:
    return {"version": 1, "fields": list(fields)}


def field(name="a", kind="text", **options) -> dict:
    return {"name": name, "type": kind, "label": {"zh-hans": "字段"}, **options}


def problems_of(value) -> str:
    return "\n".join(form_definition_problems(value))


def test_a_good_definition_has_no_problems():
    assert form_definition_problems(FORM) == []
    validate_form_definition(FORM)
    validate_form_definition(None)  # an item without an online form


def test_every_field_type_and_option_is_accepted():
    good = definition(
        field("name", "text", required=True, prefill="real_name", help={"zh-hans": "帮助"},
              validation={"min_length": 2, "max_length": 20, "pattern": "[^0-9]+",
                          "pattern_message": {"zh-hans": "不能有数字", "en": "No digits"}}),
        field("note", "textarea", validation={"max_length": 500}),
        field("amount", "number", validation={"min": 0, "max": 100, "decimal_places": 2}),
        field("day", "date", validation={"min": "2020-01-01", "max": "today"}),
        field("kind", "choice", multiple=True, choices=[
            {"value": "a", "label": {"zh-hans": "甲", "en": "A"}},
            {"value": "b", "label": {"zh-hans": "乙"}},
        ]),
        field("agree", "boolean"),
        field("id", "id-number", prefill="id_number"),
        field("mobile", "mobile", prefill="mobile"),
        field("uscc", "uscc", prefill="uscc"),
        field("email", "email", prefill="email"),
        field("why", "text", shown_if={"field": "kind", "in": ["a"]}),
        field("when", "date", shown_if={"field": "agree", "equals": True}),
        field("more", "text", shown_if={"field": "note", "filled": True}),
    )  # fmt: skip
    assert form_definition_problems(good) == []


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ([], "the form must be an object"),
        ({"fields": [field()]}, "the form: version missing"),
        ({"version": 2, "fields": [field()]}, "the form, version must be 1"),
        (definition(), "the form, fields needs at least 1 item."),
        (definition(field(kind="slider")), "field 1 (a), type: 'slider' is not one of text"),
        (definition(field(name="Applicant Name")), "is not a usable name"),
        (definition({"name": "a", "type": "text"}), "field 1 (a): label missing"),
        (definition(field(colour="red")), "unknown key colour"),
        (definition(field(label={"en": "only English"})), "label: zh-hans missing"),
        (definition(field(required="yes")), "required must be true or false"),
        (definition(field("n", "number", validation={"min": 1.5})), "must be a whole number"),
        (definition(field(), field()), "the name a is used by an earlier field"),
        (definition(field("c", "choice")), "a choice field needs its choices"),
        (
            definition(field(choices=[{"value": "x", "label": {"zh-hans": "x"}}])),
            "only a choice field has choices",
        ),
        (
            definition(
                field("c", "choice", choices=[{"value": "x", "label": {"zh-hans": "x"}}] * 2)
            ),
            "the values x are listed twice",
        ),
        (definition(field("d", "date", validation={"min_length": 3})), "min_length do not apply"),
        (definition(field(validation={"min_length": 9, "max_length": 3})), "min_length is larger"),
        (
            definition(field("n", "number", validation={"min": 9, "max": 3})),
            "min is larger than max",
        ),
        (definition(field(validation={"pattern": "(unclosed"})), "not a regular expression"),
        (
            definition(field(validation={"pattern_message": {"zh-hans": "x"}})),
            "pattern_message needs a pattern",
        ),
        (definition(field("d", "date", validation={"max": "2026-02-30"})), "is not a date"),
        (definition(field("d", "date", validation={"min": "yesterday"})), "YYYY-MM-DD, or today"),
        (
            definition(field("d", "date", validation={"min": "2026-05-01", "max": "2026-01-01"})),
            "min is later than max",
        ),
        (definition(field("m", "mobile", prefill="real_name")), "real_name can fill only a text"),
        (
            definition(field("x", shown_if={"field": "y", "equals": "1"}), field("y")),
            "depends on y, which is not a field before this one",
        ),
        (
            definition(field("x", shown_if={"field": "x", "filled": True})),
            "cannot depend on itself",
        ),
        (
            definition(field("b", "boolean"), field("x", shown_if={"field": "b", "equals": "yes"})),
            "compare it with true or false",
        ),
        (
            definition(
                field("c", "choice", choices=[{"value": "a", "label": {"zh-hans": "a"}}]),
                field("x", shown_if={"field": "c", "in": ["a", "z"]}),
            ),
            "z are not choices of c",
        ),
        (
            definition(
                field("b"), field("x", shown_if={"field": "b", "equals": "1", "filled": True})
            ),
            "say exactly one of equals, in or filled",
        ),
    ],
)
def test_bad_definitions_are_refused_with_a_clear_message(bad, expected):
    found = problems_of(bad)
    assert expected in found, found
    with pytest.raises(ValidationError):
        validate_form_definition(bad)


def test_every_problem_is_reported_at_once():
    bad = copy.deepcopy(FORM)
    bad["fields"][0]["type"] = "slider"
    bad["fields"][1]["colour"] = "red"
    with pytest.raises(ValidationError) as refused:
        validate_form_definition(bad)
    messages = refused.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("field 1 (applicant_name), type:")
    assert messages[1].startswith("field 2 (applicant_id_number): unknown key colour")


def test_the_version_model_refuses_a_bad_form(make_item):
    draft = make_item().versions.get()
    draft.online_form = definition(field(kind="slider"))
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert "slider" in " ".join(refused.value.message_dict["online_form"])


# --- answers --------------------------------------------------------------------------


def test_answers_are_cleaned_and_conditions_decide_what_is_asked():
    answers = {
        "applicant_name": " 张三 ",
        "applicant_id_number": "11010519491231002X",
        "has_shop": "on",
        "shop_area": "35.5",
    }
    cleaned, errors = check_answers(FORM, answers, today=TODAY)
    assert errors == {}
    assert cleaned == {
        "applicant_name": "张三",
        "applicant_id_number": "11010519491231002X",
        "has_shop": True,
        "shop_area": "35.50",
    }
    # Without a shop the area is neither asked nor kept, even if sent.
    cleaned, errors = check_answers(FORM, {**answers, "has_shop": None}, today=TODAY)
    assert errors == {} and "shop_area" not in cleaned and cleaned["has_shop"] is False


def test_bad_answers_get_a_message_per_field():
    answers = {"applicant_name": "", "applicant_id_number": "110105194912310021", "has_shop": "1"}
    _, errors = check_answers(FORM, answers, today=TODAY)
    assert errors["applicant_name"] == ["This field is required."]
    assert "last character" in errors["applicant_id_number"][0]
    assert errors["shop_area"] == ["This field is required."]
    _, errors = check_answers(FORM, {**answers, "shop_area": "2000"}, today=TODAY)
    assert errors["shop_area"] == ["Enter 1000 or less."]
    _, errors = check_answers(FORM, {**answers, "shop_area": "1.555"}, today=TODAY)
    assert errors["shop_area"] == ["Use at most 2 decimal places."]


def test_answers_of_every_type():
    form = definition(
        field("day", "date", required=True, validation={"max": "today"}),
        field("kind", "choice", required=True, choices=[
            {"value": "a", "label": {"zh-hans": "甲"}}, {"value": "b", "label": {"zh-hans": "乙"}}
        ]),
        field("kinds", "choice", multiple=True, choices=[
            {"value": "a", "label": {"zh-hans": "甲"}}, {"value": "b", "label": {"zh-hans": "乙"}}
        ]),
        field("code", "text", validation={"pattern": "[A-Z]{3}",
                                          "pattern_message": {"zh-hans": "三个大写字母",
                                                              "en": "Three capital letters"}}),
        field("mobile", "mobile"),
        field("uscc", "uscc"),
        field("agree", "boolean", required=True),
    )  # fmt: skip
    good = {
        "day": "2026-05-31",
        "kind": "a",
        "kinds": ["a", "b"],
        "code": "ABC",
        "mobile": "138 0013 8000",
        "uscc": "11500383009338112H",
        "agree": True,
    }
    cleaned, errors = check_answers(form, good, today=TODAY)
    assert errors == {}
    assert (cleaned["mobile"], cleaned["kinds"]) == ("13800138000", ["a", "b"])
    bad = {
        "day": "2026-06-02",
        "kind": ["a", "b"],
        "kinds": ["c"],
        "code": "abc",
        "mobile": "12345",
        "uscc": "11500383009338112A",
        "agree": False,
    }
    _, errors = check_answers(form, bad, today=TODAY)
    assert errors["day"] == ["Enter 2026-06-01 or earlier."]
    assert errors["kind"] == ["Choose one."]
    assert errors["kinds"] == ["Choose from the list."]
    assert errors["code"] == ["Three capital letters"]
    assert "11-digit" in errors["mobile"][0]
    assert "last character" in errors["uscc"][0]
    assert errors["agree"] == ["Tick this box to go on."]


def test_labels_follow_the_language():
    from django.utils import translation

    label = {"zh-hans": "申请人姓名", "en": "Applicant's name"}
    with translation.override("zh-hans"):
        assert localised(label) == "申请人姓名"
    with translation.override("en"):
        assert localised(label) == "Applicant's name"
        assert localised({"zh-hans": "仅中文"}) == "仅中文"
