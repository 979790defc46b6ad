from .audit import AuditEntry, AuditHead
from .calendar import CalendarDay
from .timers import Timer, TimerPause

__all__ = ["AuditEntry", "AuditHead", "CalendarDay", "Timer", "TimerPause"]
