"""Data scoping: which bodies' records a staff member may see.

Every module that lists records owned by bodies filters them through ``visible_to``; nothing
else decides who sees what. The rules (docs/decisions/0004-directory-and-scoping.md):

- a superuser sees everything;
- a membership whose role has scope "all" (the supervisor) sees everything;
- scope "subtree" sees the member's body and every body under it (tree-path prefix);
- scope "own" sees the member's body only;
- anyone else (anonymous, inactive, citizens, enterprises, staff without a membership)
  sees nothing.

The result is one lazy queryset: the memberships are read inside the same SQL statement as
the records (EXISTS sub-queries), so no Python loop runs over records or memberships.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from .models import Membership, Organisation, Role


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_staff_member(user) -> bool:
    return _is_active(user) and getattr(user, "kind", None) == "staff"


def _sees_everything(user) -> Exists:
    """True inside SQL if one of the user's roles has the scope "all"."""
    return Exists(Membership.objects.filter(user=user.pk, role__scope=Role.Scope.ALL))


def _member_bodies(user) -> QuerySet[Organisation]:
    """The user's own bodies, and the bodies under those held with a "subtree" role."""
    memberships = Membership.objects.filter(user=user.pk)
    own_body = memberships.filter(organisation=OuterRef("pk"))
    # The candidate body lies under the membership's body if its path starts with that
    # body's path (paths end with "/", so YC-SCJG never matches YC-SCJGX).
    body_under_membership = memberships.filter(role__scope=Role.Scope.SUBTREE).filter(
        StartsWith(OuterRef("path"), F("organisation__path"))
    )
    return Organisation.objects.filter(Exists(own_body) | Exists(body_under_membership))


def visible_bodies(user) -> QuerySet[Organisation]:
    """The bodies whose records ``user`` may see."""
    if _is_active(user) and user.is_superuser:
        return Organisation.objects.all()
    if not _is_staff_member(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(_sees_everything(user)) | Q(pk__in=_member_bodies(user).values("pk"))
    )


def visible_to(user, queryset: QuerySet, body_field: str = "body") -> QuerySet:
    """Only the records of ``queryset`` that ``user`` may see.

    ``body_field`` names the field (or lookup path, e.g. ``"case__body"``) that points to
    the owning Organisation. Records without an owning body are visible only to those who
    see everything."""
    if _is_active(user) and user.is_superuser:
        return queryset
    if not _is_staff_member(user):
        return queryset.none()
    return queryset.filter(
        Q(_sees_everything(user)) | Q(**{f"{body_field}__in": _member_bodies(user).values("pk")})
    )
