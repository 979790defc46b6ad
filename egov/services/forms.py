"""The online application form of a service item, defined as data (JSON), not code.

Staff edit a version's form in the back-office; the hall renders it and checks the answers
with :func:`check_answers`. A definition is checked twice before it is stored: its shape by
the JSON Schema :data:`FORM_DEFINITION_SCHEMA` (Draft 2020-12), its meaning by code (names
unique, conditions pointing at earlier fields, bounds in order, patterns that compile …).
:func:`validate_form_definition` does both and raises one ``ValidationError`` listing every
problem, each saying where it is (``field 3 (birth_date), validation.min: …``).

The format (docs/services.md, "The online form")::

    {"version": 1,
     "fields": [
       {"name": "applicant_name", "type": "text", "required": true,
        "label": {"zh-hans": "申请人姓名", "en": "Applicant's name"},
        "help": {"zh-hans": "与身份证一致"}, "prefill": "real_name",
        "validation": {"max_length": 50}},
       {"name": "married_before", "type": "boolean",
        "label": {"zh-hans": "是否有过婚史"}},
       {"name": "divorce_date", "type": "date", "required": true,
        "label": {"zh-hans": "离婚日期"}, "validation": {"max": "today"},
        "shown_if": {"field": "married_before", "equals": true}}
     ]}

Field types: ``text``, ``textarea``, ``number``, ``date``, ``choice`` (with ``choices`` and
optionally ``multiple``), ``boolean``, ``id-number`` (身份证号, GB 11643), ``mobile``,
``uscc`` (统一社会信用代码, GB 32100), ``email``. Numbers in a definition are whole numbers:
a definition travels through the exchange, whose canonical JSON carries no floats.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from jsonschema import Draft202012Validator

from egov.core.validators import validate_id_number, validate_mobile, validate_uscc

FORMAT_VERSION = 1
MAX_FIELDS = 100
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "date",
    "choice",
    "boolean",
    "id-number",
    "mobile",
    "uscc",
    "email",
)
# Where the hall may take a value from the applicant's real-name data, and the field types
# each source fits.
PREFILL_SOURCES = {
    "real_name": ("text",),
    "id_number": ("id-number",),
    "mobile": ("mobile",),
    "email": ("email",),
    "enterprise_name": ("text",),
    "uscc": ("uscc",),
    "legal_representative": ("text",),
}
# Which validation keys each type takes.
VALIDATION_KEYS = {
    "text": {"min_length", "max_length", "pattern", "pattern_message"},
    "textarea": {"min_length", "max_length"},
    "number": {"min", "max", "decimal_places"},
    "date": {"min", "max"},
}
LANGUAGES = ("zh-hans", "en")

_TEXT = {
    "type": "object",
    "required": ["zh-hans"],
    "properties": {
        "zh-hans": {"type": "string", "minLength": 1, "maxLength": 1000},
        "en": {"type": "string", "maxLength": 1000},
    },
    "additionalProperties": False,
}
_SCALAR = {"type": ["string", "integer", "boolean"]}
_DATE_BOUND = {"type": "string", "pattern": r"^(today|\d{4}-\d{2}-\d{2})$"}

FORM_DEFINITION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "egov online application form",
    "type": "object",
    "required": ["version", "fields"],
    "properties": {
        "version": {"const": FORMAT_VERSION},
        "fields": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_FIELDS,
            "items": {
                "type": "object",
                "required": ["name", "type", "label"],
                "properties": {
                    "name": {"type": "string", "pattern": NAME_PATTERN},
                    "type": {"enum": list(FIELD_TYPES)},
                    "label": _TEXT,
                    "help": _TEXT,
                    "required": {"type": "boolean"},
                    "prefill": {"enum": list(PREFILL_SOURCES)},
                    "choices": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 200,
                        "items": {
                            "type": "object",
                            "required": ["value", "label"],
                            "properties": {
                                "value": {"type": "string", "minLength": 1, "maxLength": 100},
                                "label": _TEXT,
                            },
                            "additionalProperties": False,
                        },
                    },
                    "multiple": {"type": "boolean"},
                    "validation": {
                        "type": "object",
                        "properties": {
                            "min_length": {"type": "integer", "minimum": 0, "maximum": 10000},
                            "max_length": {"type": "integer", "minimum": 1, "maximum": 10000},
                            "pattern": {"type": "string", "minLength": 1, "maxLength": 500},
                            "pattern_message": _TEXT,
                            "min": {"anyOf": [{"type": "integer"}, _DATE_BOUND]},
                            "max": {"anyOf": [{"type": "integer"}, _DATE_BOUND]},
                            "decimal_places": {"type": "integer", "minimum": 0, "maximum": 6},
                        },
                        "additionalProperties": False,
                    },
                    "shown_if": {
                        "type": "object",
                        "required": ["field"],
                        "properties": {
                            "field": {"type": "string", "pattern": NAME_PATTERN},
                            "equals": _SCALAR,
                            "in": {"type": "array", "minItems": 1, "items": _SCALAR},
                            "filled": {"const": True},
                        },
                        "additionalProperties": False,
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

_validator = Draft202012Validator(FORM_DEFINITION_SCHEMA)

_TYPE_NAMES = {
    "object": gettext_noop("an object {…}"),
    "array": gettext_noop("a list […]"),
    "string": gettext_noop("text"),
    "integer": gettext_noop("a whole number"),
    "boolean": gettext_noop("true or false"),
}


# --- where a problem is ----------------------------------------------------------------


def _place(definition, path) -> str:
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "fields" and isinstance(parts[1], int):
        index = parts[1]
        fields = definition.get("fields") if isinstance(definition, dict) else None
        name = ""
        if isinstance(fields, list) and index < len(fields) and isinstance(fields[index], dict):
            name = fields[index].get("name") if isinstance(fields[index].get("name"), str) else ""
        head = gettext("field %(number)d (%(name)s)") % {"number": index + 1, "name": name or "?"}
        rest = parts[2:]
    else:
        head = gettext("the form")
        rest = parts
    tail = "".join(f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in rest)
    return head + (", " + tail.lstrip(".") if tail else "")


def _schema_problem(definition, error) -> str:
    place = _place(definition, error.absolute_path)
    kind = error.validator
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [key for key in error.validator_value if key not in present]
        return gettext("%(place)s: %(keys)s missing.") % {
            "place": place,
            "keys": ", ".join(missing),
        }
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(key for key in error.instance if key not in known)
        return gettext("%(place)s: unknown key %(keys)s; the keys are %(known)s.") % {
            "place": place,
            "keys": ", ".join(extra),
            "known": ", ".join(sorted(known)),
        }
    if kind == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        return gettext("%(place)s must be %(type)s.") % {
            "place": place,
            "type": gettext(" or ").join(gettext(_TYPE_NAMES.get(n, n)) for n in names),
        }
    if kind == "enum":
        return gettext("%(place)s: %(value)s is not one of %(choices)s.") % {
            "place": place,
            "value": repr(error.instance),
            "choices": ", ".join(str(choice) for choice in error.validator_value),
        }
    if kind == "const":
        return gettext("%(place)s must be %(value)s.") % {
            "place": place,
            "value": repr(error.validator_value),
        }
    if kind == "pattern" and error.validator_value == NAME_PATTERN:
        return gettext(
            "%(place)s: %(value)s is not a usable name: use lower-case letters, digits and _, "
            "starting with a letter, at most 40 characters."
        ) % {"place": place, "value": repr(error.instance)}
    if kind == "pattern":
        return gettext("%(place)s: %(value)s does not have the expected form.") % {
            "place": place,
            "value": repr(error.instance),
        }
    if kind in {"minItems", "minLength"}:
        return gettext("%(place)s needs at least %(count)s.") % {
            "place": place,
            "count": _count(kind, error.validator_value),
        }
    if kind in {"maxItems", "maxLength"}:
        return gettext("%(place)s has more than %(count)s.") % {
            "place": place,
            "count": _count(kind, error.validator_value),
        }
    if kind in {"minimum", "maximum"}:
        return gettext("%(place)s must be between the limits (%(limit)s).") % {
            "place": place,
            "limit": error.validator_value,
        }
    if kind == "anyOf" and error.absolute_path and error.absolute_path[-1] in {"min", "max"}:
        return gettext("%(place)s must be a whole number, a date written YYYY-MM-DD, or today.") % {
            "place": place
        }
    return f"{place}: {error.message}"


def _count(kind: str, value: int) -> str:
    if kind == "minItems" or kind == "maxItems":
        return ngettext("%(n)d item", "%(n)d items", value) % {"n": value}
    return ngettext("%(n)d character", "%(n)d characters", value) % {"n": value}


# --- the checks --------------------------------------------------------------------------


def form_definition_problems(definition) -> list[str]:
    """Every problem of ``definition``, as sentences (an empty list when it is usable)."""
    errors = sorted(_validator.iter_errors(definition), key=lambda e: list(map(str, e.path)))
    if errors:
        # The meaning is checked only once the shape is right (it relies on the shape).
        seen, problems = set(), []
        for error in errors:
            problem = _schema_problem(definition, error)
            if problem not in seen:
                seen.add(problem)
                problems.append(problem)
        return problems
    return _meaning_problems(definition)


def _meaning_problems(definition: dict) -> list[str]:
    problems: list[str] = []
    fields = definition["fields"]
    earlier: dict[str, dict] = {}
    for index, field in enumerate(fields):

        def say(message: str, key: str = "", _index=index) -> None:
            path = ["fields", _index, *([key] if key else [])]
            problems.append(f"{_place(definition, path)}: {message}")

        name, kind = field["name"], field["type"]
        if name in earlier:
            say(gettext("the name %(name)s is used by an earlier field.") % {"name": name})
        if "choices" in field or "multiple" in field:
            if kind != "choice":
                say(gettext("only a choice field has choices."), "choices")
        if kind == "choice":
            choices = field.get("choices")
            if not choices:
                say(gettext("a choice field needs its choices."), "choices")
            else:
                values = [choice["value"] for choice in choices]
                doubled = sorted({value for value in values if values.count(value) > 1})
                if doubled:
                    say(
                        gettext("the values %(values)s are listed twice.")
                        % {"values": ", ".join(doubled)},
                        "choices",
                    )
        validation = field.get("validation", {})
        allowed = VALIDATION_KEYS.get(kind, set())
        extra = sorted(set(validation) - allowed)
        if extra:
            say(
                gettext("%(keys)s do not apply to a %(type)s field.")
                % {"keys": ", ".join(extra), "type": kind},
                "validation",
            )
        else:
            for message in _validation_problems(kind, validation):
                say(message, "validation")
        prefill = field.get("prefill")
        if prefill and kind not in PREFILL_SOURCES[prefill]:
            say(
                gettext("%(source)s can fill only a %(types)s field.")
                % {"source": prefill, "types": " / ".join(PREFILL_SOURCES[prefill])},
                "prefill",
            )
        condition = field.get("shown_if")
        if condition is not None:
            message = _condition_problem(name, condition, earlier)
            if message:
                say(message, "shown_if")
        earlier.setdefault(name, field)
    return problems


def _validation_problems(kind: str, validation: dict) -> list[str]:
    problems = []
    if kind in {"text", "textarea"}:
        low, high = validation.get("min_length"), validation.get("max_length")
        if low is not None and high is not None and low > high:
            problems.append(gettext("min_length is larger than max_length."))
        pattern = validation.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as error:
                problems.append(
                    gettext("the pattern is not a regular expression (%(error)s).")
                    % {"error": error}
                )
        if "pattern_message" in validation and pattern is None:
            problems.append(gettext("pattern_message needs a pattern."))
    if kind == "number":
        for key in ("min", "max"):
            if key in validation and not isinstance(validation[key], int):
                problems.append(gettext("%(key)s of a number is a whole number.") % {"key": key})
        low, high = validation.get("min"), validation.get("max")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.append(gettext("min is larger than max."))
    if kind == "date":
        bounds = {}
        for key in ("min", "max"):
            if key not in validation:
                continue
            value = validation[key]
            if not isinstance(value, str):
                problems.append(
                    gettext("%(key)s of a date is a date (YYYY-MM-DD) or today.") % {"key": key}
                )
                continue
            if value == "today":
                bounds[key] = value
                continue
            try:
                bounds[key] = datetime.date.fromisoformat(value)
            except ValueError:
                problems.append(
                    gettext("%(key)s: %(value)s is not a date.") % {"key": key, "value": value}
                )
        low, high = bounds.get("min"), bounds.get("max")
        if isinstance(low, datetime.date) and isinstance(high, datetime.date) and low > high:
            problems.append(gettext("min is later than max."))
    return problems


def _condition_problem(name: str, condition: dict, earlier: dict[str, dict]) -> str:
    tests = [key for key in ("equals", "in", "filled") if key in condition]
    if len(tests) != 1:
        return gettext("say exactly one of equals, in or filled.")
    target_name = condition["field"]
    if target_name == name:
        return gettext("a field cannot depend on itself.")
    target = earlier.get(target_name)
    if target is None:
        return gettext(
            "it depends on %(field)s, which is not a field before this one: a condition "
            "can only look at earlier fields."
        ) % {"field": target_name}
    if "filled" in condition:
        return ""
    values = condition["in"] if "in" in condition else [condition["equals"]]
    if target["type"] == "boolean":
        if any(not isinstance(value, bool) for value in values):
            return gettext("%(field)s is a yes/no field: compare it with true or false.") % {
                "field": target_name
            }
    elif target["type"] == "choice":
        known = {choice["value"] for choice in target.get("choices", [])}
        unknown = [str(value) for value in values if value not in known]
        if unknown:
            return gettext("%(values)s are not choices of %(field)s.") % {
                "values": ", ".join(unknown),
                "field": target_name,
            }
    elif any(isinstance(value, bool) for value in values):
        return gettext("%(field)s is not a yes/no field.") % {"field": target_name}
    return ""


def validate_form_definition(definition) -> None:
    """Raise ValidationError listing every problem of ``definition`` (None is no form)."""
    if definition is None:
        return
    problems = form_definition_problems(definition)
    if problems:
        raise ValidationError(problems, code="form_definition")


# --- using a definition ------------------------------------------------------------------


def localised(text: dict | None) -> str:
    """The current language's text of a ``{"zh-hans": …, "en": …}`` value (Chinese when the
    translation is missing)."""
    if not text:
        return ""
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    return text.get(language) or text.get("zh-hans", "")


def _empty(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def is_shown(field: dict, values: dict) -> bool:
    """Whether ``field`` is asked, given the cleaned values of the earlier fields."""
    condition = field.get("shown_if")
    if condition is None:
        return True
    value = values.get(condition["field"])
    if "filled" in condition:
        return not _empty(value)
    wanted = condition["in"] if "in" in condition else [condition["equals"]]
    if isinstance(value, list):
        return any(each in wanted for each in value)
    return value in wanted


def _date_bound(value, today: datetime.date) -> datetime.date:
    return today if value == "today" else datetime.date.fromisoformat(value)


def _clean_value(field: dict, value, today: datetime.date):
    """The cleaned (JSON-safe) value, or raise ValidationError with the message to show."""
    kind = field["type"]
    rules = field.get("validation", {})
    if kind in {"text", "textarea"}:
        text = str(value).strip()
        if "min_length" in rules and len(text) < rules["min_length"]:
            raise ValidationError(
                gettext("Enter at least %(n)d characters.") % {"n": rules["min_length"]}
            )
        if "max_length" in rules and len(text) > rules["max_length"]:
            raise ValidationError(
                gettext("Enter at most %(n)d characters.") % {"n": rules["max_length"]}
            )
        if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
            raise ValidationError(
                localised(rules.get("pattern_message")) or gettext("Check the format.")
            )
        return text
    if kind == "number":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(gettext("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(gettext("Enter a number."))
        places = rules.get("decimal_places", 0)
        if -number.as_tuple().exponent > places:
            raise ValidationError(
                gettext("Enter a whole number.")
                if places == 0
                else gettext("Use at most %(n)d decimal places.") % {"n": places}
            )
        if "min" in rules and number < rules["min"]:
            raise ValidationError(gettext("Enter %(n)s or more.") % {"n": rules["min"]})
        if "max" in rules and number > rules["max"]:
            raise ValidationError(gettext("Enter %(n)s or less.") % {"n": rules["max"]})
        return int(number) if places == 0 else f"{number:.{places}f}"
    if kind == "date":
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(gettext("Enter a date as YYYY-MM-DD.")) from None
        if "min" in rules and day < _date_bound(rules["min"], today):
            raise ValidationError(
                gettext("Enter %(date)s or later.")
                % {"date": _date_bound(rules["min"], today).isoformat()}
            )
        if "max" in rules and day > _date_bound(rules["max"], today):
            raise ValidationError(
                gettext("Enter %(date)s or earlier.")
                % {"date": _date_bound(rules["max"], today).isoformat()}
            )
        return day.isoformat()
    if kind == "choice":
        known = {choice["value"] for choice in field["choices"]}
        chosen = value if isinstance(value, list) else [value]
        if not field.get("multiple") and len(chosen) > 1:
            raise ValidationError(gettext("Choose one."))
        if any(each not in known for each in chosen):
            raise ValidationError(gettext("Choose from the list."))
        return chosen if field.get("multiple") else chosen[0]
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "on", "1", "yes"}:
            return True
        if text in {"false", "off", "0", "no"}:
            return False
        raise ValidationError(gettext("Answer yes or no."))
    if kind == "id-number":
        return validate_id_number(value)
    if kind == "mobile":
        return validate_mobile(value)
    if kind == "uscc":
        return validate_uscc(value)
    if kind == "email":
        text = str(value).strip()
        validate_email(text)
        return text
    raise ValueError(f"unknown field type {kind!r}")  # the definition was validated


def check_answers(
    definition: dict, answers: dict, *, today: datetime.date | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """Check an applicant's ``answers`` (name → value, as posted) against a valid
    ``definition``. Returns (cleaned values of the fields that are shown, errors per field
    name). A field hidden by its condition is neither required nor kept."""
    today = today or timezone.localdate()
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for field in definition["fields"]:
        name = field["name"]
        if not is_shown(field, cleaned):
            continue
        value = answers.get(name)
        if field["type"] == "boolean" and value is None:
            value = False  # an unticked box is not sent
        if _empty(value):
            if field.get("required"):
                errors[name] = [gettext("This field is required.")]
            continue
        try:
            cleaned[name] = _clean_value(field, value, today)
        except ValidationError as error:
            errors[name] = [str(message) for message in error.messages]
            continue
        if field["type"] == "boolean" and field.get("required") and not cleaned[name]:
            errors[name] = [gettext("Tick this box to go on.")]
    return cleaned, errors
