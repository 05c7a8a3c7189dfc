"""Months are calendar months everywhere (a document's validity, a report's retention, a
dossier's): the same day N months on, the month's last day when it is shorter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from socle.core.dates import months_shift

PARIS = ZoneInfo("Europe/Paris")


def test_it_keeps_the_day_or_takes_the_months_last():
    assert months_shift(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert months_shift(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert months_shift(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert months_shift(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert months_shift(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert months_shift(date(2026, 1, 15), -13) == date(2024, 12, 15)
    assert months_shift(date(2026, 5, 2), 0) == date(2026, 5, 2)


def test_it_shifts_an_aware_moment_keeping_its_time_and_zone():
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=PARIS)
    shifted = months_shift(moment, -6)
    assert shifted == datetime(2026, 2, 28, 23, 30, tzinfo=PARIS) and shifted.tzinfo is PARIS
