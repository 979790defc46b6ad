"""The site health inspector: the State Council's single-veto checks of government websites
computed every day, for every site of the group and every body's section, from the platform's
own data — with a score, what to fix, and warnings to the responsible editors before a limit
is crossed.

- ``rules.py``: the checks, their national limits, the district's deductions;
- ``snapshot.py``: what is read from the page tree (once for all sites);
- ``sources.py``: the interface through which interaction and services will report
  consultations and service guides (nothing is registered until those modules exist);
- ``checks.py``: the checks, score and verdict of one site or section (no writes);
- ``messages.py``: a finding as a sentence in the reader's language;
- ``services.py``: ``inspect_sites`` and ``notify_editors`` (the verbs);
- ``selectors.py``: who sees which reports; the reads of the dashboard.
"""
