"""The office system's models: official documents and their circulation (documents.py);
notices, meetings and tasks (office.py)."""

from .documents import *  # noqa: F403
from .office import *  # noqa: F403
