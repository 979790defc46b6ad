"""The portal's own views live beside their concern: views_search.py (the search page),
views_reports.py (error reports). Pages are served by Wagtail."""
