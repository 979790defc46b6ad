from .audit import AuditEntry, AuditHead
from .calendar import CalendarDay
from .counters import YearlyCounter
from .records import KeptAsWritten, RecordKeptError, StepEvent
from .timers import Timer, TimerPause

__all__ = [
    "AuditEntry",
    "AuditHead",
    "CalendarDay",
    "KeptAsWritten",
    "RecordKeptError",
    "StepEvent",
    "Timer",
    "TimerPause",
    "YearlyCounter",
]
