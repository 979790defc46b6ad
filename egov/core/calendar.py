"""The one working-day clock (to be completed)."""


def missing_next_year_warning(user):
    return None
