"""Validating a citizen's answers to a procedure's form (socle/demarches/formulaire.py).

Field names in the POST: ``f-`` + the field's path with dots as dashes. A top-level field
``prenom`` is ``f-prenom``; the field ``prenom`` of the second row of the block ``enfants`` is
``f-enfants-1-prenom`` (keys never hold a dash, so a name reads back unambiguously). Some types
post several parts, as ``f-<path>-<part>``:

- ``adresse``: ``-recherche`` (what was searched), ``-label``, ``-voie``, ``-complement``,
  ``-code_postal``, ``-commune``, ``-commune_code``, ``-lat``, ``-lon``. The script fills the
  hidden ones from a suggestion; without it, voie + code postal + commune are geocoded here.
- ``fichier``: the upload itself under ``f-<path>``; ``-garder`` (the pk of the file already
  answered, kept when nothing new comes) and ``-retirer`` (a checkbox: drop it).
- ``bloc``: ``-lignes`` (how many rows the page shows); rows are numbered from 0.
- ``choix_multiple``: ``f-<path>`` repeated (checkboxes).

``answers_clean`` returns the answers (``Dossier.donnees`` shape: ``{cle: answer}``, a block's
answer a list of ``{cle: answer}``) and the errors, one French message per field path
(``"enfants.1.prenom"``). A new upload's answer is a ``NouveauFichier`` (the checked document):
the caller stores it (``depot.py`` does, through ``services.piece_jointe_add``) and puts
``{"piece_jointe": pk, "nom": …, "taille": …}`` in its place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from socle.citoyen.services import phone_normalise
from socle.core.fichiers import (
    CheckedDocument,
    DocumentRefused,
    accepted_labels,
    document_check,
    document_type_of,
    size_label,
)
from socle.demarches.formulaire import (
    MAX_REPETITIONS,
    Champ,
    is_shown,
    pages,
)

# The raw text of answers that did not validate, kept in a draft so that nothing typed is lost
# (Dossier.donnees["_brouillon"] = {path: text}); never in a filed dossier.
RAW_KEY = "_brouillon"
ADDRESS_PARTS = ("label", "voie", "complement", "code_postal", "commune", "commune_code")
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DATE_FR_RE = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
LABEL_RE = re.compile(r"^(.*?)\s*(\d{5})\s+(.+)$")
COMMUNE_CODE_RE = re.compile(r"^(?:.*\()?\s*(\d[\dAB]\d{3})\s*\)?$")
# A number as typed: plain decimal text (no exponent), French comma or point; spaces removed.
NUMBER_RE = re.compile(r"([+-]?)([0-9]+)(?:[.,]([0-9]+))?")
NUMBER_TEXT_MAX = 40
NUMBER_DIGITS_MAX = 15
DEFAULT_TEXT_MAX = 200
DEFAULT_LONG_TEXT_MAX = 5000


@dataclass(frozen=True)
class NouveauFichier:
    """A checked upload waiting to be stored as the answer to a file field."""

    document: CheckedDocument

    @property
    def nom(self) -> str:
        return self.document.name


def small_int(text: str, digits: int = 18) -> int | None:
    """The number a short run of ASCII digits stands for; None for anything else (a huge one
    included: int() of thousands of digits is slow, then refused)."""
    return int(text) if re.fullmatch(f"[0-9]{{1,{digits}}}", text) else None


def field_path(path: str) -> str:
    """A field's key path without block rows: « enfants.1.certificat » → « enfants.certificat »."""
    return ".".join(part for part in path.split(".") if not part.isdigit())


@dataclass(frozen=True)
class FichierGarde:
    """A file already answering a field of the dossier, which a ``-garder`` may keep."""

    champ: str  # the field path it answers (block rows left out)
    reponse: dict
    type_mime: str | None = None  # known when the dossier's files were given
    taille: int | None = None


def field_name(path: str, part: str = "") -> str:
    """Return the POST name of a field path (and of one of its parts)."""
    name = "f-" + path.replace(".", "-")
    return f"{name}-{part}" if part else name


# --- Reading the POST --------------------------------------------------------------------------


def _get(data, name: str) -> str:
    value = data.get(name, "") if data is not None else ""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value or "").replace("\x00", "").strip()


def _getlist(data, name: str) -> list[str]:
    if data is None:
        return []
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        values = data.get(name) or []
        values = values if isinstance(values, list) else [values]
    return [str(v).replace("\x00", "").strip() for v in values if str(v).strip()]


# --- One value per type -----------------------------------------------------------------------


class Invalid(Exception):
    """A value that does not validate; ``message`` says why, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _bound_date(value: Any) -> date | None:
    if not value:
        return None
    if value == "aujourdhui":
        return timezone.localdate()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def date_parse(text: str) -> date:
    """Read a date typed JJ/MM/AAAA or given by a date input (AAAA-MM-JJ); real dates only."""
    match = DATE_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = DATE_FR_RE.match(text)
        if not match:
            raise Invalid(_("Saisissez une date au format JJ/MM/AAAA, par exemple 14/07/2015."))
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(
            _("Cette date n’existe pas : vérifiez le jour et le mois (%(texte)s).")
            % {"texte": text}
        ) from None


def _fr(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _clean_date(champ: Champ, text: str) -> str:
    value = date_parse(text)
    low, high = _bound_date(champ.raw.get("min")), _bound_date(champ.raw.get("max"))
    if low is not None and value < low:
        if champ.raw.get("min") == "aujourdhui":
            raise Invalid(_("Cette date ne peut pas être passée."))
        raise Invalid(_("La date doit être le %(d)s ou après.") % {"d": _fr(low)})
    if high is not None and value > high:
        if champ.raw.get("max") == "aujourdhui":
            raise Invalid(_("Cette date ne peut pas être dans le futur."))
        raise Invalid(_("La date doit être le %(d)s ou avant.") % {"d": _fr(high)})
    return value.isoformat()


def _number_text(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def _clean_nombre(champ: Champ, text: str) -> int | float:
    compact = re.sub(r"[\s\u00a0\u202f]", "", text) if len(text) <= NUMBER_TEXT_MAX else ""
    match = NUMBER_RE.fullmatch(compact)
    if match is None:
        raise Invalid(_("Saisissez un nombre, par exemple 12 ou 12,5."))
    digits = (match.group(2) + (match.group(3) or "").rstrip("0")).lstrip("0")
    if len(digits) > NUMBER_DIGITS_MAX:
        raise Invalid(_("%(n)d chiffres significatifs au plus.") % {"n": NUMBER_DIGITS_MAX})
    value = Decimal(compact.replace(",", "."))
    decimales = int(champ.raw.get("decimales") or 0)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimales and value != value.to_integral():
        if decimales == 0:
            raise Invalid(_("Saisissez un nombre entier, sans virgule."))
        raise Invalid(_("%(n)d chiffre(s) après la virgule au plus.") % {"n": decimales})
    low, high = champ.raw.get("min"), champ.raw.get("max")
    if low is not None and low != "" and value < Decimal(str(low)):
        raise Invalid(
            _("Le nombre doit valoir %(n)s ou plus.") % {"n": _number_text(Decimal(str(low)))}
        )
    if high is not None and high != "" and value > Decimal(str(high)):
        raise Invalid(
            _("Le nombre doit valoir %(n)s ou moins.") % {"n": _number_text(Decimal(str(high)))}
        )
    if decimales == 0:
        return int(value)
    return float(value)


def phone_clean(text: str) -> str:
    """Return a French phone number (metropolitan or overseas) in E.164; Invalid otherwise
    (``citoyen.services.phone_normalise`` reads it: one rule for the file and the forms)."""
    try:
        return phone_normalise(text)
    except ValueError:
        pass
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        raise Invalid(_("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78.")) from None
    if phonenumbers.is_valid_number(number):  # valid, but not French
        raise Invalid(_("Donnez un numéro de téléphone français (métropole ou outre-mer)."))
    raise Invalid(_("Ce numéro de téléphone n’est pas valide : vérifiez-le."))


def _clean_choix(champ: Champ, text: str) -> str:
    if text not in dict(champ.choix):
        raise Invalid(_("Choisissez une des réponses proposées."))
    return text


def _clean_multiple(champ: Champ, values: list[str]) -> list[str]:
    offered = [value for value, _label in champ.choix]
    if any(value not in offered for value in values):
        raise Invalid(_("Choisissez parmi les réponses proposées."))
    chosen = [value for value in offered if value in values]
    low, high = champ.raw.get("min_choix"), champ.raw.get("max_choix")
    if low and len(chosen) < int(low):
        raise Invalid(_("Cochez au moins %(n)d réponse(s).") % {"n": int(low)})
    if high and len(chosen) > int(high):
        raise Invalid(_("Cochez au plus %(n)d réponse(s).") % {"n": int(high)})
    return chosen


def _clean_text(champ: Champ, text: str, default_max: int) -> str:
    longest = int(champ.raw.get("longueur_max") or default_max)
    if len(text) > longest:
        raise Invalid(
            _("%(n)d caractères au plus : vous en avez saisi %(m)d.")
            % {"n": longest, "m": len(text)}
        )
    motif = champ.raw.get("motif")
    if motif and champ.type == "texte":
        try:
            matches = re.fullmatch(str(motif), text) is not None
        except re.error:
            matches = True  # a broken pattern of the form builder must not block the citizen
        if not matches:
            raise Invalid(
                str(champ.raw.get("motif_message") or _("Ce texte n’a pas la forme attendue."))
            )
    return text


def iban_clean(text: str) -> str:
    """Return an IBAN compacted in capitals; Invalid when its check digits are wrong."""
    try:
        return stdnum_iban.validate(text).upper()
    except StdnumError:
        raise Invalid(_("Cet IBAN n’est pas valide : vérifiez-le (clé de contrôle)")) from None


def siret_clean(text: str) -> str:
    """Return a SIRET's 14 digits; Invalid when its length or check digit is wrong."""
    compact = re.sub(r"[\s.\-]", "", text)
    if not re.fullmatch(r"\d{14}", compact):
        raise Invalid(_("Un numéro SIRET compte 14 chiffres."))
    try:
        return str(stdnum_siret.validate(compact))
    except StdnumError:
        raise Invalid(
            _(
                "Ce numéro SIRET n’est pas valide : vérifiez-le (son chiffre de contrôle ne "
                "correspond pas)."
            )
        ) from None


def commune_clean(text: str) -> dict[str, str]:
    """Return {"code", "nom"} of an existing commune, typed as a name, « Nom (code) » or code."""
    from socle.territoires.models import Collectivite, search_key
    from socle.territoires.selectors import collectivite_by_key, collectivite_search

    match = COMMUNE_CODE_RE.match(text)
    if match:
        found = collectivite_by_key(f"{Collectivite.Kind.COMMUNE}:{match.group(1).upper()}")
        if found is not None:
            return {"code": found.code, "nom": found.nom}
    name = re.sub(r"\s*\(.*\)\s*$", "", text)
    key = search_key(name)
    candidates = [
        c for c in collectivite_search(name, limit=50) if c.kind == Collectivite.Kind.COMMUNE
    ]
    exact = [c for c in candidates if search_key(c.nom) == key]
    if len(exact) == 1:
        return {"code": exact[0].code, "nom": exact[0].nom}
    if len(exact) > 1:
        raise Invalid(
            _("Plusieurs communes portent ce nom : précisez son code, par exemple « %(exemple)s ».")
            % {"exemple": f"{exact[0].nom} ({exact[0].code})"}
        )
    raise Invalid(_("Nous ne connaissons pas cette commune : vérifiez son nom."))


def address_from_label(label: str) -> dict[str, str]:
    """Split an address API label « 1 Avenue Jean Jaurès 33600 Pessac » into its parts."""
    match = LABEL_RE.match(label.strip())
    if not match:
        return {"voie": label.strip(), "code_postal": "", "commune": ""}
    return {"voie": match.group(1), "code_postal": match.group(2), "commune": match.group(3)}


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if -180.0 <= value <= 180.0 else None


def _address_key(text: str) -> str:
    return re.sub(r"[\s,]+", " ", text).strip().casefold()


def _same_address(label: str, parts: dict[str, str]) -> bool:
    """Whether the label (the chosen suggestion's, or the saved answer's) still says what the
    parts say."""
    typed = f"{parts['voie']} {parts['code_postal']} {parts['commune']}"
    return bool(label) and _address_key(label) == _address_key(typed)


def _clean_adresse(path: str, data) -> dict[str, Any] | None:
    """Return the address answer, None when nothing was given; Invalid when it is incomplete."""
    from socle.routage.adresse import AddressApiUnavailable, address_search

    parts = {part: _get(data, field_name(path, part))[:200] for part in ADDRESS_PARTS}
    lat, lon = (
        _float(_get(data, field_name(path, "lat"))),
        _float(_get(data, field_name(path, "lon"))),
    )
    if parts["label"] and not parts["voie"]:
        parts.update({k: v for k, v in address_from_label(parts["label"]).items() if v})
    if not any(parts[p] for p in ("voie", "code_postal", "commune")):
        if _get(data, field_name(path, "recherche")):
            raise Invalid(
                _(
                    "Choisissez une adresse parmi les suggestions, ou saisissez la voie, le code "
                    "postal et la commune."
                )
            )
        return None
    if not parts["voie"]:
        raise Invalid(_("Indiquez le numéro et la voie."))
    if not re.fullmatch(r"\d{5}", parts["code_postal"]):
        raise Invalid(_("Le code postal compte 5 chiffres."))
    if not parts["commune"]:
        raise Invalid(_("Indiquez la commune."))
    if not _same_address(parts["label"], parts):
        # Typed again since the point was found (or no label said where it was): the point
        # and the commune's code are stale; geocode what is typed now.
        lat = lon = None
        parts["commune_code"] = ""
    if lat is None or lon is None:
        # Typed by hand (no script): find the point and the commune's code.
        query = f"{parts['voie']} {parts['code_postal']} {parts['commune']}"
        try:
            places = address_search(query)
        except AddressApiUnavailable:
            places = []
        place = next((p for p in places if parts["code_postal"] in p.label), None)
        if place is not None:
            lat, lon = place.lat, place.lon
            parts["commune_code"] = place.citycode or parts["commune_code"]
    if not re.fullmatch(r"\d[\dAB]\d{3}", parts["commune_code"]):
        parts["commune_code"] = ""
    label = f"{parts['voie']}, {parts['code_postal']} {parts['commune']}"
    return {
        "label": label,
        "voie": parts["voie"],
        "complement": parts["complement"],
        "code_postal": parts["code_postal"],
        "commune": parts["commune"],
        "commune_code": parts["commune_code"],
        "lat": lat,
        "lon": lon,
    }


def _clean_fichier(
    champ: Champ, path: str, data, files, kept: dict[int, FichierGarde]
) -> dict | NouveauFichier | None:
    upload = files.get(field_name(path)) if files is not None else None
    if upload is not None and getattr(upload, "size", True):
        try:
            checked = document_check(upload, limit=champ.file_limit, accepted=champ.file_formats)
        except DocumentRefused as refused:
            raise Invalid(refused.message) from None
        return NouveauFichier(checked)
    if _get(data, field_name(path, "retirer")):
        return None
    pk = small_int(_get(data, field_name(path, "garder")))
    garde = kept.get(pk) if pk is not None else None
    if garde is None or garde.champ != field_path(path):
        return None  # only a file this very field answers (another field's rules differ)
    formats, limit = champ.file_formats, champ.file_limit
    if garde.type_mime is not None:
        kind = document_type_of(garde.type_mime)
        if kind is None or kind.code not in set(formats):
            raise Invalid(
                _("Ce document n’est pas dans un format accepté ici (%(formats)s) : remplacez-le.")
                % {"formats": accepted_labels(formats)}
            )
    if garde.taille is not None and garde.taille > limit:
        raise Invalid(
            _("Ce document dépasse la taille acceptée ici (%(taille)s) : remplacez-le.")
            % {"taille": size_label(limit)}
        )
    return garde.reponse


# --- The form ----------------------------------------------------------------------------------


def _files_kept(value: Any, path: str, found: dict[int, FichierGarde]) -> None:
    """Collect the file answers of existing answers with the field path they answer."""
    if isinstance(value, dict):
        pk = small_int(str(value.get("piece_jointe", "")))
        if pk is not None:
            found[pk] = FichierGarde(champ=field_path(path), reponse=value)
            return
        for key, sub in value.items():
            _files_kept(sub, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _files_kept(sub, f"{path}.{index}", found)


def _answers_only(donnees: dict[str, Any] | None) -> dict[str, Any]:
    """Drop the keys that are not answers (``_``-prefixed, as the draft's raw text)."""
    return {k: v for k, v in (donnees or {}).items() if not k.startswith("_")}


def files_answered(donnees: dict[str, Any] | None) -> dict[int, dict]:
    """Return the file answers among a dossier's answers, by PieceJointe pk."""
    found: dict[int, FichierGarde] = {}
    _files_kept(_answers_only(donnees), "", found)
    return {pk: garde.reponse for pk, garde in found.items()}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean_value(champ: Champ, path: str, data, files, kept: dict[int, FichierGarde]) -> Any:
    """Return the clean answer of one non-block field (None when unanswered)."""
    kind = champ.type
    name = field_name(path)
    if kind == "choix_multiple":
        values = _getlist(data, name)
        return _clean_multiple(champ, values) if values else None
    if kind == "adresse":
        return _clean_adresse(path, data)
    if kind == "fichier":
        return _clean_fichier(champ, path, data, files, kept)
    text = _get(data, name)
    if kind == "texte_long":
        # Keep the lines typed; only strip the ends.
        raw = data.get(name, "") if data is not None else ""
        text = str(raw or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if text == "":
        return None
    if kind == "texte":
        return _clean_text(champ, text, DEFAULT_TEXT_MAX)
    if kind == "texte_long":
        return _clean_text(champ, text, DEFAULT_LONG_TEXT_MAX)
    if kind == "nombre":
        return _clean_nombre(champ, text)
    if kind == "date":
        return _clean_date(champ, text)
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise Invalid(
                _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.")
            ) from None
        return text
    if kind == "telephone":
        return phone_clean(text)
    if kind == "oui_non":
        if text not in ("oui", "non"):
            raise Invalid(_("Répondez par oui ou par non."))
        return text == "oui"
    if kind in ("choix_unique", "liste"):
        return _clean_choix(champ, text)
    if kind == "commune":
        return commune_clean(text)
    if kind == "iban":
        return iban_clean(text)
    if kind == "siret":
        return siret_clean(text)
    return text


def _required_message(champ: Champ) -> str:
    if champ.type == "fichier":
        return _("Joignez ce document.")
    if champ.type in ("choix_unique", "liste", "oui_non", "choix_multiple"):
        return _("Choisissez une réponse.")
    return _("Ce champ est obligatoire.")


def _clean_fields(
    champs: tuple[Champ, ...],
    data,
    files,
    *,
    prefix: str,
    scope: dict[str, Any],
    top: dict[str, Any],
    errors: dict[str, str],
    kept: dict[int, FichierGarde],
    draft: bool = False,
) -> None:
    """Validate fields into ``scope`` (the answers of their level), dropping hidden ones (but,
    in a draft, the files of hidden file fields)."""
    for champ in champs:
        if not champ.a_reponse:
            continue
        path = f"{prefix}{champ.cle}"
        if not is_shown(champ, scope, top):
            hidden_file = None
            if draft and champ.type == "fichier":
                # A draft keeps the file of a field its condition hides (shown again, it is
                # there); filing drops it.
                try:
                    hidden_file = _clean_fichier(champ, path, data, None, kept)
                except Invalid:
                    hidden_file = None
            if hidden_file is None:
                scope.pop(champ.cle, None)
            else:
                scope[champ.cle] = hidden_file
            continue
        if champ.type == "bloc":
            scope[champ.cle] = _clean_bloc(champ, path, data, files, top, errors, kept, draft)
            continue
        try:
            value = _clean_value(champ, path, data, files, kept)
        except Invalid as invalid:
            errors[path] = invalid.message
            scope.pop(champ.cle, None)
            continue
        if _empty(value):
            scope.pop(champ.cle, None)
            if champ.obligatoire:
                errors[path] = _required_message(champ)
            continue
        scope[champ.cle] = value


def block_rows_raw(data, path: str) -> int:
    """Return the row count a block's ``-lignes`` field says (unbounded)."""
    count = small_int(_get(data, field_name(path, "lignes")), 4) or 0
    return min(count, MAX_REPETITIONS)


def block_rows(champ: Champ, path: str, data) -> int:
    """Return how many rows of a block the POST holds."""
    count = small_int(_get(data, field_name(path, "lignes")), 4) or 0
    return min(count, int(champ.raw.get("max_repetitions") or 10), MAX_REPETITIONS)


def _clean_bloc(
    champ: Champ,
    path: str,
    data,
    files,
    top: dict[str, Any],
    errors: dict[str, str],
    kept: dict[int, FichierGarde],
    draft: bool = False,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index in range(block_rows(champ, path, data)):
        row: dict[str, Any] = {}
        _clean_fields(
            champ.enfants,
            data,
            files,
            prefix=f"{path}.{index}.",
            scope=row,
            top=top,
            errors=errors,
            kept=kept,
            draft=draft,
        )
        rows.append(row)
    low = int(champ.raw.get("min_repetitions") or 0)
    high = min(int(champ.raw.get("max_repetitions") or 10), MAX_REPETITIONS)
    element = str(champ.raw.get("libelle_element") or _("élément")).lower()
    if champ.obligatoire:
        low = max(low, 1)
    if len(rows) < low:
        errors[path] = _("Ajoutez au moins %(n)d %(quoi)s.") % {"n": low, "quoi": element}
    elif len(rows) > high:
        errors[path] = _("%(n)d %(quoi)s au plus.") % {"n": high, "quoi": element}
    return rows


def answers_clean(
    schema: dict[str, Any],
    data,
    *,
    files=None,
    page: int | None = None,
    existing: dict[str, Any] | None = None,
    pieces: Mapping[int, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the POSTed answers of one page (or of every page when ``page`` is None).

    Return ``(donnees, errors)``: with a page, the existing answers with that page's replaced
    (its hidden fields dropped, but the files of hidden file fields, kept until filing);
    without, only what ``data`` holds. ``errors`` maps each field path in error to one French
    message. ``existing`` gives the files already answered and the answers of other pages
    conditions refer to: a ``-garder`` pk must be a file answering the same field (rows aside).
    ``pieces`` (the dossier's ``PieceJointe`` by pk, with their ``fichier``), when given, must
    hold it too, and its type and size are checked again against the field.
    """
    existing = _answers_only(existing)
    kept: dict[int, FichierGarde] = {}
    _files_kept(existing, "", kept)
    if pieces is not None:
        kept = {
            pk: FichierGarde(
                champ=garde.champ,
                reponse=garde.reponse,
                type_mime=pieces[pk].fichier.type_mime,
                taille=pieces[pk].fichier.taille,
            )
            for pk, garde in kept.items()
            if pk in pieces and field_path(pieces[pk].champ) == garde.champ
        }
    donnees: dict[str, Any] = dict(existing) if page is not None else {}
    errors: dict[str, str] = {}
    for each in pages(schema):
        if page is not None and each.numero != page:
            continue
        _clean_fields(
            each.champs,
            data,
            files,
            prefix="",
            scope=donnees,
            top=donnees,
            errors=errors,
            kept=kept,
            draft=page is not None,
        )
    return donnees, errors


# --- Answers back to form data (showing a draft, re-validating at filing) ------------------------


def _value_as_data(champ: Champ, path: str, value: Any, out: dict[str, list[str]]) -> None:
    name = field_name(path)
    kind = champ.type
    if value is None:
        return
    if kind == "bloc":
        rows = value if isinstance(value, list) else []
        out[field_name(path, "lignes")] = [str(len(rows))]
        for index, row in enumerate(rows):
            for sub in champ.enfants:
                if sub.a_reponse and isinstance(row, dict) and sub.cle in row:
                    _value_as_data(sub, f"{path}.{index}.{sub.cle}", row[sub.cle], out)
        return
    if kind == "choix_multiple":
        out[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    elif kind == "adresse" and isinstance(value, dict):
        for part in (*ADDRESS_PARTS, "lat", "lon"):
            part_value = value.get(part)
            out[field_name(path, part)] = ["" if part_value is None else str(part_value)]
    elif kind == "commune" and isinstance(value, dict):
        out[name] = [f"{value.get('nom', '')} ({value.get('code', '')})"]
    elif kind == "fichier" and isinstance(value, dict):
        out[field_name(path, "garder")] = [str(value.get("piece_jointe", ""))]
    elif kind == "oui_non":
        out[name] = ["oui" if value is True else "non" if value is False else str(value)]
    elif kind == "date" and DATE_RE.match(str(value)):
        year, month, day = str(value).split("-")
        out[name] = [f"{day}/{month}/{year}"]
    elif kind == "nombre" and isinstance(value, (int, float)):
        out[name] = [_number_text(Decimal(str(value)))]
    else:
        out[name] = [str(value)]


def answers_as_data(schema: dict[str, Any], donnees: dict[str, Any]) -> dict[str, list[str]]:
    """Return the answers as the form would post them (a draft's raw text overlaid), to fill
    the form again or to re-validate everything at filing."""
    out: dict[str, list[str]] = {}
    donnees = donnees or {}
    for champ in (c for page in pages(schema) for c in page.champs):
        if champ.a_reponse and champ.cle in donnees:
            _value_as_data(champ, champ.cle, donnees[champ.cle], out)
    for path, raw in (donnees.get(RAW_KEY) or {}).items():
        if isinstance(raw, list):
            out[field_name(path)] = [str(v) for v in raw]
        else:
            out[field_name(path)] = [str(raw)]
    return out


class FormData(dict):
    """A dict of lists that answers ``get`` (last value) and ``getlist`` like a QueryDict."""

    def get(self, key, default=None):  # type: ignore[override]
        values = super().get(key)
        if not values:
            return default
        return values[-1]

    def getlist(self, key) -> list[str]:
        return list(super().get(key) or [])


def raw_texts(data, errors: dict[str, str]) -> dict[str, Any]:
    """Return what was typed in the fields in error, by path (kept in the draft)."""
    raw: dict[str, Any] = {}
    for path in errors:
        name = field_name(path)
        values = _getlist(data, name)
        if len(values) > 1:
            raw[path] = values[:50]
        elif values:
            raw[path] = values[0][:10000]
    return raw


def file_limit_label(champ: Champ) -> str:
    """The size a file field accepts, « 10 Mo »."""
    return size_label(champ.file_limit)
