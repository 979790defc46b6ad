"""Case processing (办件, internal zone): one case per application, run through the steps of
its service item's version on the one clock. See docs/cases.md."""
