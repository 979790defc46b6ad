from .audit import AuditEntry, AuditHead
from .calendar import CalendarDay
from .counters import YearlyCounter
from .timers import Timer, TimerPause

__all__ = ["AuditEntry", "AuditHead", "CalendarDay", "Timer", "TimerPause", "YearlyCounter"]
