"""Reading an uploaded table (CSV or XLSX) into UTF-8, comma-separated CSV text.

What comes in: a CSV in UTF-8 (with or without BOM), UTF-16 (Excel's « texte Unicode ») or
Windows-1252/Latin-1, separated by `;`, `,` or tabs; or an XLSX workbook with one sheet used.
What goes out: a `Table` whose `csv_text` is UTF-8, comma-separated, `\\n` line ends, header
first, with the header and rows parsed once for the publication. Anything that cannot be read
is a `ValidationError` in French, raised before anything is written; the size limit is checked
before any parsing.

Cells that look like formulas (`=SOMME(A1)`) are data: nothing here evaluates them, and
`socle.core.tableur.csv_safe` neutralises them in the CSV files we serve (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# How many row numbers a message names before « et N autres ».
ROWS_NAMED = 10
# A workbook whose parts would inflate past this many times the size limit is refused unread.
XLSX_INFLATION_MAX = 10
SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class Table:
    """An uploaded table, normalised: UTF-8 CSV text with its header first."""

    csv_text: str
    colonnes: list[str] = field(default_factory=list)
    lignes: list[list[str]] = field(default_factory=list)
    # What the reading decided that the uploader should know (encoding, sheet), in French.
    avertissements: list[str] = field(default_factory=list)


def max_bytes() -> int:
    """Return the largest upload accepted, in bytes (settings.OPENDATA_MAX_BYTES)."""
    return int(getattr(settings, "OPENDATA_MAX_BYTES", 100 * 1024 * 1024))


def taille_lisible(nombre: int) -> str:
    """Return a size in French units (« 100 Mo »)."""
    if nombre >= 1024 * 1024:
        return _("%(n)s Mo") % {"n": f"{nombre / (1024 * 1024):.0f}"}
    if nombre >= 1024:
        return _("%(n)s ko") % {"n": f"{nombre / 1024:.0f}"}
    return _("%(n)d octets") % {"n": nombre}


def table_read(contenu: bytes, *, nom: str = "", feuille: str = "") -> Table:
    """Decode an uploaded table; raise ValidationError in French when it cannot be read.

    `feuille` names the sheet of an XLSX workbook to read (needed when several are filled).
    """
    limit = max_bytes()
    if len(contenu) > limit:
        raise ValidationError(
            _("Le fichier pèse %(taille)s : la limite est de %(limite)s.")
            % {"taille": taille_lisible(len(contenu)), "limite": taille_lisible(limit)},
            code="trop_gros",
        )
    if not contenu.strip():
        raise ValidationError(_("Le fichier est vide."), code="vide")
    lower = nom.lower()
    if contenu.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise ValidationError(
            _(
                "Les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez le fichier "
                "au format .xlsx ou CSV."
            ),
            code="format",
        )
    if contenu.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        header, rows, warnings = _xlsx_read(contenu, feuille=feuille, limit=limit)
    else:
        header, rows, warnings = _csv_read(contenu)
    header, rows = _table_check(header, rows)
    return Table(
        csv_text=_csv_write(header, rows), colonnes=header, lignes=rows, avertissements=warnings
    )


# --- CSV ---------------------------------------------------------------------------------------


def _decode(contenu: bytes) -> tuple[str, list[str]]:
    """Return the text and, when it was not UTF-8, a warning naming the encoding read."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return contenu.decode("utf-16"), [
                _("Le fichier a été lu comme du texte UTF-16 (« texte Unicode » d’Excel).")
            ]
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("Le fichier ne peut pas être lu : encodage UTF-16 invalide."), code="encodage"
            ) from exc
    if b"\x00" in contenu[:4096]:
        raise ValidationError(
            _("Le fichier n’est pas un tableau CSV ou XLSX lisible (fichier binaire ?)."),
            code="format",
        )
    try:
        return contenu.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = contenu.decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined: ISO-8859-1 reads every byte.
        text = contenu.decode("latin-1")
    return text, [
        _(
            "Le fichier n’est pas en UTF-8 : il a été lu comme du Windows-1252 (Latin-1). "
            "Vérifiez que les accents sont justes ; enregistrez-le de préférence en UTF-8."
        )
    ]


def _separator(first_line: str) -> str:
    """Return the separator that splits the header line into the most columns (`;` on a tie:
    French spreadsheets write it)."""
    best, best_count = ",", 1
    for separator in SEPARATORS:
        try:
            count = len(next(csv.reader([first_line], delimiter=separator), []))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = separator, count
    return best


def _csv_read(contenu: bytes) -> tuple[list[str], list[list[str]], list[str]]:
    text, warnings = _decode(contenu)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    separator = _separator(first_line)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise ValidationError(
            _("Le fichier CSV ne peut pas être lu : %(e)s.") % {"e": exc}, code="format"
        ) from exc
    if not records:
        raise ValidationError(_("Le fichier est vide."), code="vide")
    header = [cell.strip().lstrip("\ufeff") for cell in records[0]]
    rows = records[1:]
    ragged = [
        index + 2
        for index, row in enumerate(rows)
        if len(row) != len(header)
        # Cells past the header that are all empty are an exporter's habit, not data.
        and not (len(row) > len(header) and not any(c.strip() for c in row[len(header) :]))
        and any(cell.strip() for cell in row)
    ]
    if ragged:
        raise ValidationError(
            _(
                "Le nombre de cellules ne correspond pas à l’en-tête (%(n)d colonnes) "
                "%(lignes)s : vérifiez les séparateurs et les guillemets."
            )
            % {"n": len(header), "lignes": _rows_where(ragged)},
            code="lignes_irregulieres",
        )
    rows = [row[: len(header)] if len(row) >= len(header) else [""] * len(header) for row in rows]
    return header, rows, warnings


# --- XLSX --------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """Return a spreadsheet value as CSV text: dates in ISO 8601, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _xlsx_read(
    contenu: bytes, *, feuille: str, limit: int
) -> tuple[list[str], list[list[str]], list[str]]:
    from openpyxl import load_workbook

    unreadable = _(
        "Le classeur XLSX ne peut pas être lu : enregistrez-le à nouveau depuis votre tableur, "
        "ou exportez la feuille en CSV."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ValidationError(unreadable, code="format") from exc
    if inflated > XLSX_INFLATION_MAX * limit:
        raise ValidationError(
            _("Le classeur XLSX est trop volumineux une fois décompressé."), code="trop_gros"
        )
    try:
        workbook = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or foreign file
        raise ValidationError(unreadable, code="format") from exc
    try:
        names = list(workbook.sheetnames)
        if feuille:
            if feuille not in names:
                raise ValidationError(
                    _("Le classeur n’a pas de feuille « %(f)s » : ses feuilles sont %(noms)s.")
                    % {"f": feuille, "noms": _names(names)},
                    code="feuille",
                )
            chosen = feuille
            records = _sheet_records(workbook[chosen])
        else:
            filled = {}
            for name in names:
                records = _sheet_records(workbook[name])
                if records:
                    filled[name] = records
            if not filled:
                raise ValidationError(_("Le classeur est vide."), code="vide")
            if len(filled) > 1:
                raise ValidationError(
                    _(
                        "Le classeur a plusieurs feuilles remplies (%(noms)s) : gardez-en une "
                        "seule, ou indiquez laquelle publier."
                    )
                    % {"noms": _names(list(filled))},
                    code="feuilles",
                )
            chosen, records = next(iter(filled.items()))
    finally:
        workbook.close()
    if not records:
        raise ValidationError(_("La feuille « %(f)s » est vide.") % {"f": chosen}, code="vide")
    warnings = []
    if len(names) > 1:
        warnings.append(_("Feuille lue : « %(f)s ».") % {"f": chosen})
    header = [cell.strip() for cell in records[0]]
    width = len(header)
    outside = [
        index + 2 for index, row in enumerate(records[1:]) if any(c.strip() for c in row[width:])
    ]
    if outside:
        raise ValidationError(
            _("Des cellules sont remplies hors des colonnes de l’en-tête %(l)s.")
            % {"l": _rows_where(outside)},
            code="lignes_irregulieres",
        )
    rows = [(row + [""] * width)[:width] for row in records[1:]]
    return header, rows, warnings


def _sheet_records(sheet) -> list[list[str]]:
    """Return a sheet's rows as text, without the empty rows and columns at its end."""
    records = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    for row in records:
        while row and not row[-1].strip():
            row.pop()
    return records


# --- Checks common to both ---------------------------------------------------------------------


def _table_check(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    # Unnamed columns at the end with nothing in them: a spreadsheet's leftovers.
    while header and not header[-1] and not any(row[len(header) - 1].strip() for row in rows):
        header = header[:-1]
        rows = [row[: len(header)] for row in rows]
    # Empty lines at the end (numbers of the lines before stay true).
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not any(header):
        raise ValidationError(_("Le fichier n’a pas de ligne d’en-tête."), code="entete")
    blank = [str(index + 1) for index, name in enumerate(header) if not name]
    if blank:
        raise ValidationError(
            _("L’en-tête a des colonnes sans nom (colonne %(c)s).") % {"c": ", ".join(blank)},
            code="entete",
        )
    duplicated = [name for name, count in Counter(header).items() if count > 1]
    if duplicated:
        raise ValidationError(
            _("L’en-tête nomme plusieurs fois la même colonne : %(noms)s.")
            % {"noms": _names(duplicated)},
            code="entete_doublons",
        )
    if not rows:
        raise ValidationError(
            _("Le fichier ne contient que la ligne d’en-tête : aucune donnée à publier."),
            code="vide",
        )
    return header, rows


def _csv_write(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _names(names: list[str]) -> str:
    return ", ".join(f"« {name} »" for name in names)


def _rows_where(numbers: list[int]) -> str:
    """Return « à la ligne 3 » or « aux lignes 3, 5 et 2 autres »."""
    if len(numbers) == 1:
        return _("à la ligne %(n)d") % {"n": numbers[0]}
    return _("aux lignes %(lignes)s") % {"lignes": _row_list(numbers)}


def _row_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:ROWS_NAMED])
    if len(numbers) > ROWS_NAMED:
        return _("%(lignes)s et %(n)d autres") % {
            "lignes": shown,
            "n": len(numbers) - ROWS_NAMED,
        }
    return shown
