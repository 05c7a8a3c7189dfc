"""Opening hours, as the Annuaire de l'administration publishes them, in plain French."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _time_in_french(value: str) -> str:
    """Turn "08:30:00" into "8 h 30" and "12:00:00" into "12 h"."""
    parts = str(value).strip().split(":")
    hours = int(parts[0])
    minutes = int(parts[1]) if len(parts) > 1 and parts[1] else 0
    if minutes:
        return f"{hours} h {minutes:02d}"
    return f"{hours} h"


def _days_in_french(first: str, last: str) -> str:
    if first == last:
        return _("Le %(day)s") % {"day": first}
    if DAYS.index(last) - DAYS.index(first) == 1:
        return _("Le %(first)s et le %(last)s") % {"first": first, "last": last}
    return _("Du %(first)s au %(last)s") % {"first": first, "last": last}


def _slots_in_french(slots: Sequence[Sequence[str]]) -> str:
    texts = [
        _("de %(opens)s à %(closes)s")
        % {"opens": _time_in_french(opens), "closes": _time_in_french(closes)}
        for opens, closes in slots
    ]
    if len(texts) == 1:
        return texts[0]
    return _("%(first)s et %(last)s") % {"first": ", ".join(texts[:-1]), "last": texts[-1]}


def horaires_en_clair(horaires: Sequence[Any] | None) -> list[str]:
    """Describe opening hours in plain French, one line per group of days, Monday first.

    ``horaires`` is ``[[first_day, last_day, [[opens, closes], ...]], ...]``; a malformed
    entry is left out rather than shown wrong.
    """
    lines: list[tuple[int, str]] = []
    for entry in horaires or []:
        try:
            first, last, slots = entry
            first, last = str(first).strip().lower(), str(last).strip().lower()
            if first not in DAYS or last not in DAYS or not slots:
                continue
            text = _("%(days)s : %(slots)s") % {
                "days": _days_in_french(first, last),
                "slots": _slots_in_french(slots),
            }
        except (TypeError, ValueError):
            continue
        lines.append((DAYS.index(first), text))
    return [text for _index, text in sorted(lines, key=lambda line: line[0])]
