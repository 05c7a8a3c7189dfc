"""Calendar arithmetic shared by the modules."""

from __future__ import annotations

import calendar
from datetime import date
from typing import TypeVar

Day = TypeVar("Day", bound=date)  # a date or a datetime


def months_shift(day: Day, months: int) -> Day:
    """Return the same day (or moment) `months` calendar months later, earlier when negative;
    the month's last day when it is shorter: « 12 months » is a year, not 365.28 days."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
