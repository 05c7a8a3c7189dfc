"""Cells served in spreadsheets (CSV exports): the one rule against formula injection, shared
by open data, the observatory, the journal and the démarches."""

from __future__ import annotations

import re
from typing import Any

# A plain number (-12.5, +33, 1e-3): a spreadsheet reads it as a number, never as a formula.
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """Return a cell's text safe for a spreadsheet: a value that a spreadsheet would run as a
    formula (starting with =, +, -, @, tab or carriage return) gets a leading `'`.

    Plain numbers (-12.5, +33) are left alone: a spreadsheet reads them as numbers.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.match(text):
        return "'" + text
    return text
