"""E-supervision (电子监察): every timer of the one clock watched, signals, scores.

Public surface: ``egov.supervision.sweep`` (the periodic, set-based sweep) and
``egov.supervision.check_timer`` (call it right after changing a timer). See
docs/supervision.md.
"""


def sweep(today=None, timers=None):
    from .services import sweep as _sweep

    return _sweep(today=today, timers=timers)


def check_timer(timer, today=None):
    from .services import check_timer as _check

    return _check(timer, today=today)
