"""Importing the organisation tree, moving bodies, and the seeded roles."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.directory.models import Organisation, Role
from egov.directory.services import (
    import_organisations,
    move_organisation,
    read_organisations_csv,
)

pytestmark = pytest.mark.django_db

CSV_ROWS = read_organisations_csv()


def paths() -> dict[str, str]:
    return dict(Organisation.objects.values_list("code", "path"))


def assert_paths_consistent() -> None:
    for org in Organisation.objects.select_related("parent"):
        expected = (org.parent.path if org.parent else "/") + org.code + "/"
        assert org.path == expected, org.code


def test_the_shipped_csv_has_66_bodies_and_imports_them_with_paths():
    report = import_organisations(CSV_ROWS)

    assert len(report.created) == 66
    assert Organisation.objects.count() == 66
    assert report.unknown_kinds == {}
    found = paths()
    assert found["YC"] == "/YC/"
    assert found["YC-JW"] == "/YC/YC-DW/YC-JW/"
    assert found["YC-QF"] == "/YC/YC-ZF/YC-QF/"
    assert Organisation.objects.filter(kind="town").count() == 16
    assert Organisation.objects.filter(kind="subdistrict").count() == 7
    assert_paths_consistent()


def test_importing_twice_changes_nothing():
    import_organisations(CSV_ROWS)
    before = list(Organisation.objects.values().order_by("code"))

    report = import_organisations(CSV_ROWS)

    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 66)
    assert list(Organisation.objects.values().order_by("code")) == before


def test_children_listed_before_their_parents_are_imported_parents_first():
    import_organisations(list(reversed(CSV_ROWS)))

    assert Organisation.objects.count() == 66
    assert_paths_consistent()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_order_of_the_rows_does_not_matter(seed):
    rows = list(CSV_ROWS)
    random.Random(seed).shuffle(rows)
    with transaction.atomic():
        import_organisations(rows)
        assert Organisation.objects.count() == 66
        assert_paths_consistent()
        transaction.set_rollback(True)


def test_a_changed_row_updates_the_body_and_moves_its_subtree():
    import_organisations(CSV_ROWS)
    Organisation.objects.create(
        code="YC-SCJG-DJK",
        name_zh="登记注册科",
        kind="other",
        parent=Organisation.objects.get(code="YC-SCJG"),
    )
    rows = [dict(r) for r in CSV_ROWS]
    scjg = next(r for r in rows if r["code"] == "YC-SCJG")
    scjg["parent_code"] = "YC-ZWFW"
    scjg["name_en"] = "Market Regulation"

    report = import_organisations(rows)

    assert report.updated == ["YC-SCJG"]
    found = paths()
    assert found["YC-SCJG"] == "/YC/YC-ZF/YC-ZWFW/YC-SCJG/"
    assert found["YC-SCJG-DJK"] == "/YC/YC-ZF/YC-ZWFW/YC-SCJG/YC-SCJG-DJK/"
    assert Organisation.objects.get(code="YC-SCJG").name_en == "Market Regulation"


def test_update_existing_false_keeps_edits_made_in_the_back_office():
    import_organisations(CSV_ROWS)
    Organisation.objects.filter(code="YC-QF").update(name_zh="青峰镇人民政府")

    report = import_organisations(CSV_ROWS, update_existing=False)

    assert report.updated == []
    assert Organisation.objects.get(code="YC-QF").name_zh == "青峰镇人民政府"


def test_an_unknown_kind_becomes_other_and_is_reported():
    rows = [
        {"code": "X", "name_zh": "测试区", "name_en": "", "kind": "district", "parent_code": ""},
        {"code": "X-1", "name_zh": "测试中心", "name_en": "", "kind": "centre", "parent_code": "X"},
    ]

    report = import_organisations(rows)

    assert report.unknown_kinds == {"X-1": "centre"}
    assert Organisation.objects.get(code="X-1").kind == Organisation.Kind.OTHER


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"code": "A", "name_zh": "甲", "kind": "town", "parent_code": "NOWHERE"}],
            "NOWHERE is neither in the file nor in the directory",
        ),
        (
            [
                {"code": "A", "name_zh": "甲", "kind": "town", "parent_code": ""},
                {"code": "A", "name_zh": "乙", "kind": "town", "parent_code": ""},
            ],
            "repeats the code A",
        ),
        (
            [
                {"code": "A", "name_zh": "甲", "kind": "town", "parent_code": "B"},
                {"code": "B", "name_zh": "乙", "kind": "town", "parent_code": "A"},
            ],
            "cycle",
        ),
        ([{"code": "", "name_zh": "甲", "kind": "town", "parent_code": ""}], "has no code"),
        ([{"code": "A/B", "name_zh": "甲", "kind": "town", "parent_code": ""}], "contains '/'"),
        ([{"code": "A", "name_zh": "", "kind": "town", "parent_code": ""}], "no Chinese name"),
    ],
)
def test_bad_rows_are_refused_with_a_clear_message_and_nothing_is_imported(rows, message):
    good = {"code": "OK", "name_zh": "正常", "kind": "town", "parent_code": ""}

    with pytest.raises(ValidationError) as caught:
        import_organisations([good, *rows])

    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not Organisation.objects.exists()


def test_the_command_imports_the_shipped_file_by_default(capsys):
    call_command("import_orgs")
    call_command("import_orgs")

    out = capsys.readouterr().out
    assert "66 bodies: 66 created" in out
    assert "66 bodies: 0 created, 0 updated, 66 unchanged." in out


def test_the_command_reads_a_given_file_and_warns_about_unknown_kinds(tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "\ufeffcode,name_zh,name_en,kind,parent_code\nX,测试区,,district,\nX-1,测试中心,,centre,X\n",
        encoding="utf-8",
    )

    call_command("import_orgs", str(path))

    out = capsys.readouterr().out
    assert "2 bodies: 2 created" in out
    assert 'X-1 has the unknown kind "centre"' in out


def test_the_command_explains_a_missing_file_or_column(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_orgs", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name_zh\nX,测试\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks the column"):
        call_command("import_orgs", str(bad))
    assert not Organisation.objects.exists()


@pytest.fixture
def tree():
    import_organisations(CSV_ROWS)
    scjg = Organisation.objects.get(code="YC-SCJG")
    Organisation.objects.create(code="YC-SCJG-DJK", name_zh="登记注册科", kind="other", parent=scjg)
    return {org.code: org for org in Organisation.objects.all()}


def test_moving_a_body_moves_everything_under_it(tree):
    move_organisation(tree["YC-SCJG"], tree["YC-ZWFW"])

    found = paths()
    assert found["YC-SCJG"] == "/YC/YC-ZF/YC-ZWFW/YC-SCJG/"
    assert found["YC-SCJG-DJK"] == "/YC/YC-ZF/YC-ZWFW/YC-SCJG/YC-SCJG-DJK/"
    assert found["YC-FGW"] == "/YC/YC-ZF/YC-FGW/"
    assert_paths_consistent()


def test_moving_a_body_to_the_top_of_the_tree(tree):
    move_organisation(tree["YC-SCJG"], None)

    assert paths()["YC-SCJG-DJK"] == "/YC-SCJG/YC-SCJG-DJK/"


@pytest.mark.parametrize("target", ["YC-SCJG", "YC-SCJG-DJK"])
def test_moving_a_body_under_itself_or_its_sub_body_is_refused(tree, target):
    before = paths()

    with pytest.raises(ValidationError) as caught:
        move_organisation(tree["YC-SCJG"], tree[target])

    assert "choose a parent outside its subtree" in caught.value.messages[0]
    assert paths() == before


def test_moving_the_top_body_under_a_grandchild_is_refused(tree):
    with pytest.raises(ValidationError):
        move_organisation(tree["YC"], tree["YC-QF"])
    assert Organisation.objects.get(code="YC").parent is None


def test_the_model_refuses_a_cycle_even_without_the_service(tree):
    scjg = tree["YC-SCJG"]
    scjg.parent = tree["YC-SCJG-DJK"]

    with pytest.raises(ValidationError):
        scjg.full_clean()
    with pytest.raises(ValueError):
        scjg.save()


def test_a_stale_parent_object_still_gives_the_right_path(tree):
    zwfw = tree["YC-ZWFW"]  # loaded before it moves
    move_organisation(Organisation.objects.get(code="YC-ZWFW"), tree["YC-DW"])
    child = Organisation(code="YC-NEW", name_zh="新机构", kind="other", parent=zwfw)
    child.save()

    assert child.path == "/YC/YC-DW/YC-ZWFW/YC-NEW/"


def test_full_clean_normalises_the_uscc(tree):
    government = tree["YC-ZF"]
    government.uscc = "１１500383009338112h"  # full-width digits, lower case
    government.full_clean()

    assert government.uscc == "11500383009338112H"
    government.uscc = "11500383009338112A"
    with pytest.raises(ValidationError) as caught:
        government.full_clean()
    assert "uscc" in caught.value.message_dict


def test_the_eight_roles_are_seeded_with_their_scopes():
    scopes = dict(Role.objects.values_list("code", "scope"))

    assert scopes == {
        "window_clerk": "own",
        "reviewer": "own",
        "approver": "subtree",
        "office_head": "subtree",
        "supervisor": "all",
        "editor": "own",
        "site_admin": "own",
        "system_admin": "own",
    }
    assert Role.objects.get(code="window_clerk").name_zh == "窗口受理人员"
    assert Role.objects.get(code="system_admin").name_zh == "系统管理员"
