"""zh-hans first: every interface text has a Chinese translation, and the committed .mo
file is the compiled form of the .po file (so a fresh machine needs no gettext tools)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "egov" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def parse_po(path: Path) -> dict[str, str]:
    """A small reader for the .po files makemessages writes (msgctxt, plurals included)."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None

    def flush():
        if "msgid" in current and current["msgid"]:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            entries[msgid] = current.get("msgstr", current.get("msgstr[0]", ""))

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and current:
                flush()
                current, key = {}, None
            continue
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    if current:
        flush()
    return entries


def test_every_message_is_translated():
    entries = parse_po(PO)
    assert len(entries) > 200
    missing = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert missing == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_the_compiled_file_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = parse_po(PO)
    stale = [
        msgid
        for msgid, msgstr in entries.items()
        if compiled._catalog.get(msgid, compiled._catalog.get((msgid, 0))) != msgstr
    ]
    assert stale == [], "run: cd egov && ../.venv/bin/python ../manage.py compilemessages"


@pytest.mark.parametrize(
    ("english", "chinese"), [("Log in", "登录"), ("Elder-friendly mode", "长者模式")]
)
def test_the_interface_speaks_chinese_by_default(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


@pytest.mark.django_db
def test_home_page_in_chinese_and_in_english(client):
    assert "登录" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in english and "登录" not in english
