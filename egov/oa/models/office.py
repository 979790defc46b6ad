"""Internal notices, meetings and tasks (督查督办)."""
