"""The Yongchuan demo data: bodies, one staff member per role, citizens and an enterprise.

Everything here is fictional except the bodies and the district government's public facts.
Every account is marked ``is_demo`` (only those may print a TOTP code with ``demo_totp``) and
shares one documented password. ``seed_demo()`` is idempotent: running it again creates
nothing new, and it never touches an account that the demo did not create.
"""

from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.core.validators import id_check_char, uscc_check_char

from .models import Membership, Organisation, Role
from .services import ImportReport, import_organisations, read_organisations_csv

# One password for every demo account; printed by `manage.py demo_accounts`. Never use it
# for a real account.
DEMO_PASSWORD = "Yongchuan-demo-2026"  # noqa: S105 (documented demo password)
TOTP_DEVICE_NAME = "demo"
YONGCHUAN_AREA_CODE = "500118"  # GB/T 2260 code of 永川区


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    role: str  # Role.code
    body: str  # Organisation.code
    title: str = ""


@dataclass(frozen=True)
class DemoCitizen:
    username: str
    real_name: str
    birth_date: str  # YYYYMMDD
    sequence: str  # 3 digits; odd for men, even for women
    mobile: str
    email: str

    @property
    def id_number(self) -> str:
        first17 = YONGCHUAN_AREA_CODE + self.birth_date + self.sequence
        return first17 + id_check_char(first17)


@dataclass(frozen=True)
class DemoEnterprise:
    username: str
    name: str
    # 登记管理部门 9 (market regulation) + 机构类别 1 (enterprise) + area code + 9-character
    # organisation code; the check character is computed.
    uscc_first17: str
    legal_representative: str
    email: str

    @property
    def uscc(self) -> str:
        return self.uscc_first17 + uscc_check_char(self.uscc_first17)


SUPERUSER = DemoStaff("admin", "演示超级管理员", role="", body="")
# Where a demo staff member goes when their body is missing from the directory.
FALLBACK_BODY = "YC-ZF-BGS"

STAFF = [
    DemoStaff("clerk", "测试窗口员", "window_clerk", "YC-SCJG", "窗口受理"),
    DemoStaff("reviewer", "测试审核员", "reviewer", "YC-SCJG", "审核"),
    DemoStaff("approver", "测试审批员", "approver", "YC-SCJG", "审批"),
    DemoStaff("head", "测试科长", "office_head", "YC-SCJG", "科室负责人"),
    DemoStaff("supervisor", "测试监察员", "supervisor", "YC-JW", "电子监察"),
    DemoStaff("editor", "测试编辑", "editor", "YC-ZF-BGS", "网站编辑"),
    DemoStaff("siteadmin", "测试网站管理员", "site_admin", "YC-ZF-BGS", "网站管理"),
    DemoStaff("sysadmin", "测试系统管理员", "system_admin", "YC-DSJ", "系统管理"),
    # Two towns, so that data scoping can be shown: neither sees the other's records.
    DemoStaff("qingfeng", "测试青峰镇窗口员", "window_clerk", "YC-QF", "便民服务中心"),
    DemoStaff("jinlong", "测试金龙镇窗口员", "window_clerk", "YC-JL", "便民服务中心"),
]

CITIZENS = [
    DemoCitizen("zhangsan", "测试张三", "19850312", "031", "19900000001", "zhangsan@example.com"),
    DemoCitizen("lisi", "测试李四", "19920708", "042", "19900000002", "lisi@example.com"),
    DemoCitizen("wangwu", "测试王五", "19580125", "013", "19900000003", "wangwu@example.com"),
]

ENTERPRISES = [
    DemoEnterprise(
        "enterprise",
        "测试永川示例科技有限公司",
        "91" + YONGCHUAN_AREA_CODE + "MA60DEM01",
        "测试赵六",
        "enterprise@example.com",
    ),
]

# Public facts of the district government, filled in only where the field is still empty.
DISTRICT_GOVERNMENT = "YC-ZF"
DISTRICT_GOVERNMENT_FACTS = {
    "uscc": "11500383009338112H",
    "functions": (
        "执行区人民代表大会及其常务委员会的决议和上级国家行政机关的决定、命令；"
        "领导区政府工作部门和镇人民政府、街道办事处的工作；"
        "管理本区经济、教育、科学、文化、卫生、民政、公安、司法行政等行政工作。"
    ),
    "address": "重庆市永川区人民大道",
    "office_hours": "工作日 9:00–12:00, 14:00–18:00",
    "phone": "023-49800000（演示号码）",
}


@dataclass
class SeedReport:
    organisations: ImportReport
    created_users: list[str] = field(default_factory=list)
    skipped_users: list[str] = field(default_factory=list)  # exist, but not demo accounts


def account_rows() -> list[dict[str, str]]:
    """The demo accounts as rows for printing: user name, kind, role, body, password."""
    bodies = dict(Organisation.objects.values_list("code", "name_zh"))
    roles = dict(Role.objects.values_list("code", "name_zh"))
    rows = [
        {
            "username": SUPERUSER.username,
            "kind": "staff",
            "role": "superuser",
            "body": "",
        }
    ]
    for person in STAFF:
        rows.append(
            {
                "username": person.username,
                "kind": "staff",
                "role": f"{roles.get(person.role, '')} ({person.role})",
                "body": bodies.get(person.body, person.body),
            }
        )
    for citizen in CITIZENS:
        rows.append(
            {"username": citizen.username, "kind": "citizen", "role": "citizen", "body": ""}
        )
    for enterprise in ENTERPRISES:
        rows.append(
            {
                "username": enterprise.username,
                "kind": "enterprise",
                "role": "enterprise user",
                "body": "",
            }
        )
    for row in rows:
        row["password"] = DEMO_PASSWORD
    return rows


def _demo_user(report: SeedReport, username: str, **fields) -> User | None:
    """The demo account ``username``, created if missing. None if that name belongs to an
    account the demo did not create: such an account is never touched."""
    user = User.objects.filter(username=username).first()
    if user is not None and not user.is_demo:
        report.skipped_users.append(username)
        return None
    if user is None:
        user = User(username=username, is_demo=True, **fields)
        password_validation.validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()
        report.created_users.append(username)
    return user


def _ensure_totp(user: User) -> None:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=TOTP_DEVICE_NAME, defaults={"confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])


def _fill_public_facts() -> None:
    government = Organisation.objects.filter(code=DISTRICT_GOVERNMENT).first()
    if government is None:
        return
    empty = {k: v for k, v in DISTRICT_GOVERNMENT_FACTS.items() if not getattr(government, k)}
    if empty:
        for key, value in empty.items():
            setattr(government, key, value)
        government.full_clean()
        government.save()


@transaction.atomic
def seed_demo() -> SeedReport:
    """Load the demo data. Bodies that already exist are left as they are (edits made in
    the back-office survive); missing ones are created from the shipped CSV."""
    report = SeedReport(
        organisations=import_organisations(read_organisations_csv(), update_existing=False)
    )
    _fill_public_facts()
    bodies = {org.code: org for org in Organisation.objects.all()}
    roles = {role.code: role for role in Role.objects.all()}

    admin = _demo_user(
        report,
        SUPERUSER.username,
        kind=User.Kind.STAFF,
        display_name=SUPERUSER.display_name,
        is_staff=True,
        is_superuser=True,
    )
    if admin is not None:
        _ensure_totp(admin)

    for person in STAFF:
        user = _demo_user(
            report,
            person.username,
            kind=User.Kind.STAFF,
            display_name=person.display_name,
            is_staff=True,
        )
        if user is None:
            continue
        _ensure_totp(user)
        Membership.objects.get_or_create(
            user=user,
            organisation=bodies.get(person.body) or bodies[FALLBACK_BODY],
            role=roles[person.role],
            defaults={"title": person.title},
        )

    for citizen in CITIZENS:
        user = _demo_user(
            report,
            citizen.username,
            kind=User.Kind.CITIZEN,
            mobile=citizen.mobile,
            email=citizen.email,
        )
        if user is None:
            continue
        identity = accounts.set_citizen_identity(
            user, real_name=citizen.real_name, id_number=citizen.id_number
        )
        if identity.verified_at is None:
            accounts.mark_verified(identity)

    for enterprise in ENTERPRISES:
        user = _demo_user(
            report,
            enterprise.username,
            kind=User.Kind.ENTERPRISE,
            display_name=enterprise.name,
            email=enterprise.email,
        )
        if user is None:
            continue
        identity = accounts.set_enterprise_identity(
            user,
            name=enterprise.name,
            uscc=enterprise.uscc,
            legal_representative=enterprise.legal_representative,
        )
        if identity.verified_at is None:
            accounts.mark_verified(identity)
    return report
