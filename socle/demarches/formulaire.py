"""A procedure's form: its JSON schema (pages of fields), checking a schema, walking its fields,
deciding which are shown, and displaying answers. The schema is documented in docs/demarches.md.

Validating a citizen's answers field by field is ``saisie.py``'s (the filing part).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Field types, with the name the form builder shows.
TYPES: dict[str, Any] = {
    "titre_section": gettext_lazy("Titre de section"),
    "texte_explicatif": gettext_lazy("Texte explicatif"),
    "texte": gettext_lazy("Texte court"),
    "texte_long": gettext_lazy("Texte long"),
    "nombre": gettext_lazy("Nombre"),
    "date": gettext_lazy("Date"),
    "email": gettext_lazy("Adresse électronique"),
    "telephone": gettext_lazy("Téléphone"),
    "oui_non": gettext_lazy("Oui ou non"),
    "choix_unique": gettext_lazy("Choix unique (boutons)"),
    "choix_multiple": gettext_lazy("Choix multiple (cases à cocher)"),
    "liste": gettext_lazy("Liste déroulante"),
    "adresse": gettext_lazy("Adresse"),
    "commune": gettext_lazy("Commune"),
    "fichier": gettext_lazy("Fichier"),
    "bloc": gettext_lazy("Bloc répété"),
    "iban": gettext_lazy("IBAN"),
    "siret": gettext_lazy("SIRET"),
}
# Types that hold no answer (layout).
LAYOUT_TYPES = frozenset({"titre_section", "texte_explicatif"})
CHOICE_TYPES = frozenset({"choix_unique", "choix_multiple", "liste"})
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
DEFAULT_FORMATS = ("pdf", "jpeg", "png")
DEFAULT_FILE_MAX_MO = 10
MAX_REPETITIONS = 50


@dataclass(frozen=True)
class Champ:
    """A field of the form (or of a repeated block)."""

    cle: str
    type: str
    libelle: str
    raw: dict[str, Any]
    enfants: tuple[Champ, ...] = ()

    @property
    def obligatoire(self) -> bool:
        return bool(self.raw.get("obligatoire"))

    @property
    def aide(self) -> str:
        return str(self.raw.get("aide") or "")

    @property
    def condition(self) -> dict[str, Any] | None:
        condition = self.raw.get("condition")
        return condition if isinstance(condition, dict) and condition.get("champ") else None

    @property
    def file_formats(self) -> tuple[str, ...]:
        """The formats a file field accepts (codes of socle.core.fichiers)."""
        return tuple(self.raw.get("formats") or DEFAULT_FORMATS)

    @property
    def file_limit(self) -> int:
        """The size in bytes a file field accepts."""
        return int(float(self.raw.get("taille_max_mo") or DEFAULT_FILE_MAX_MO) * 1024 * 1024)

    @property
    def choix(self) -> list[tuple[str, str]]:
        return [
            (str(c.get("valeur")), str(c.get("libelle") or c.get("valeur")))
            for c in self.raw.get("choix") or []
            if isinstance(c, dict)
        ]

    @property
    def prerempli(self) -> str:
        return str(self.raw.get("prerempli") or "")

    @property
    def a_reponse(self) -> bool:
        return self.type not in LAYOUT_TYPES


@dataclass(frozen=True)
class Page:
    """A page of the form."""

    numero: int
    titre: str
    texte: str
    champs: tuple[Champ, ...] = field(default_factory=tuple)


def _champ(raw: dict[str, Any]) -> Champ:
    enfants = tuple(_champ(sub) for sub in raw.get("champs") or [] if isinstance(sub, dict))
    return Champ(
        cle=str(raw.get("cle") or ""),
        type=str(raw.get("type") or ""),
        libelle=str(raw.get("libelle") or ""),
        raw=raw,
        enfants=enfants if raw.get("type") == "bloc" else (),
    )


def pages(schema: dict[str, Any]) -> list[Page]:
    """Return the form's pages with their fields."""
    found = []
    for number, raw in enumerate((schema or {}).get("pages") or []):
        found.append(
            Page(
                numero=number,
                titre=str(raw.get("titre") or ""),
                texte=str(raw.get("texte") or ""),
                champs=tuple(_champ(c) for c in raw.get("champs") or [] if isinstance(c, dict)),
            )
        )
    return found


def fields(schema: dict[str, Any]) -> list[Champ]:
    """Return the top-level fields of every page, in order."""
    return [champ for page in pages(schema) for champ in page.champs]


def field_by_key(schema: dict[str, Any], cle: str) -> Champ | None:
    """Return a top-level field by its key."""
    return next((c for c in fields(schema) if c.cle == cle), None)


def _matches(answer: Any, expected: Any) -> bool:
    expected = str(expected)
    if isinstance(answer, bool):
        return expected in (("oui", "true", "1") if answer else ("non", "false", "0"))
    if isinstance(answer, list):
        return expected in [str(a) for a in answer]
    return answer is not None and str(answer) == expected


def is_shown(champ: Champ, scope: dict[str, Any], top: dict[str, Any] | None = None) -> bool:
    """Say whether a field is shown given the answers (of its block row, then of the form)."""
    condition = champ.condition
    if condition is None:
        return True
    key = str(condition["champ"])
    answers = scope if key in scope else (top or {})
    return _matches(answers.get(key), condition.get("valeur"))


# --- Checking a schema (the form builder, templates) ------------------------------------------


def _check_fields(
    raw_fields: list, *, where: str, errors: list[str], in_block: bool, top_seen: list[str]
) -> None:
    """Check fields of a page (or a block); append top-level keys met to ``top_seen``."""
    seen: list[str] = []
    for raw in raw_fields:
        if not isinstance(raw, dict):
            errors.append(_("%(where)s : un champ mal formé.") % {"where": where})
            continue
        cle, kind = str(raw.get("cle") or ""), str(raw.get("type") or "")
        label = raw.get("libelle") or cle
        if kind not in TYPES:
            errors.append(
                _("%(where)s, « %(champ)s » : type inconnu « %(type)s ».")
                % {"where": where, "champ": label, "type": kind}
            )
            continue
        if not KEY_RE.match(cle):
            errors.append(
                _(
                    "%(where)s, « %(champ)s » : la clé doit commencer par une lettre minuscule, "
                    "sans espace ni accent (50 caractères au plus)."
                )
                % {"where": where, "champ": label}
            )
        elif cle in seen:
            errors.append(
                _("%(where)s : la clé « %(cle)s » est en double.") % {"where": where, "cle": cle}
            )
        seen.append(cle)
        if kind not in LAYOUT_TYPES and not str(raw.get("libelle") or "").strip():
            errors.append(
                _("%(where)s, « %(cle)s » : le libellé est obligatoire.")
                % {"where": where, "cle": cle}
            )
        if kind in CHOICE_TYPES:
            values = [str(c.get("valeur")) for c in raw.get("choix") or [] if isinstance(c, dict)]
            if not values:
                errors.append(
                    _("%(where)s, « %(champ)s » : donnez au moins un choix.")
                    % {"where": where, "champ": label}
                )
            elif len(set(values)) != len(values):
                errors.append(
                    _("%(where)s, « %(champ)s » : deux choix ont la même valeur.")
                    % {"where": where, "champ": label}
                )
        if kind == "bloc":
            if in_block:
                errors.append(
                    _("%(where)s, « %(champ)s » : un bloc répété ne peut pas en contenir un autre.")
                    % {"where": where, "champ": label}
                )
            else:
                _check_fields(
                    list(raw.get("champs") or []),
                    where=_("%(where)s, bloc « %(champ)s »") % {"where": where, "champ": label},
                    errors=errors,
                    in_block=True,
                    top_seen=top_seen,
                )
        if kind == "fichier":
            from socle.core.fichiers import TYPES as FILE_TYPES

            unknown = [f for f in raw.get("formats") or [] if f not in FILE_TYPES]
            if unknown:
                errors.append(
                    _("%(where)s, « %(champ)s » : format(s) inconnu(s) %(formats)s.")
                    % {"where": where, "champ": label, "formats": ", ".join(map(str, unknown))}
                )
        condition = raw.get("condition")
        if condition:
            target = str(condition.get("champ") or "") if isinstance(condition, dict) else ""
            if target not in seen[:-1] and target not in top_seen:
                errors.append(
                    _(
                        "%(where)s, « %(champ)s » : la condition doit porter sur un champ placé "
                        "avant lui."
                    )
                    % {"where": where, "champ": label}
                )
    if not in_block:
        top_seen.extend(seen)


def schema_check(schema: dict[str, Any]) -> dict[str, Any]:
    """Return a checked copy of a form schema; raise ValidationError listing every problem."""
    schema = copy.deepcopy(schema or {})
    errors: list[str] = []
    raw_pages = schema.get("pages")
    if not isinstance(raw_pages, list) or not raw_pages:
        raise ValidationError({"formulaire": [_("Le formulaire doit avoir au moins une page.")]})
    top_seen: list[str] = []
    all_keys: list[str] = []
    page_keys: list[str] = []
    for number, page in enumerate(raw_pages, start=1):
        where = _("Page %(n)d") % {"n": number}
        if not isinstance(page, dict):
            errors.append(_("%(where)s est mal formée.") % {"where": where})
            continue
        if "cle" in page:  # a page's stable key (older schemas have none): unique, like fields'
            if not KEY_RE.match(str(page["cle"])) or str(page["cle"]) in page_keys:
                message = _("%(where)s : la clé de page est invalide ou en double.")
                errors.append(message % {"where": where})
            page_keys.append(str(page["cle"]))
        before = len(top_seen)
        _check_fields(
            list(page.get("champs") or []),
            where=where,
            errors=errors,
            in_block=False,
            top_seen=top_seen,
        )
        for key in top_seen[before:]:
            if key in all_keys:
                errors.append(
                    _("%(where)s : la clé « %(cle)s » existe déjà sur une autre page.")
                    % {"where": where, "cle": key}
                )
            all_keys.append(key)
    if errors:
        raise ValidationError({"formulaire": errors})
    return schema


# --- Displaying answers (the dossier's page, the receipt, the API, exports) -------------------


@dataclass(frozen=True)
class Ligne:
    """An answered field as people read it; a repeated block has rows of lines."""

    chemin: str
    cle: str
    libelle: str
    type: str
    texte: str
    # For a file: the PieceJointe's pk; for a bloc: its rows.
    piece_jointe: int | None = None
    lignes: tuple[tuple[Ligne, ...], ...] = ()


def _text(champ: Champ, answer: Any) -> str:
    if answer is None or answer == "" or answer == []:
        return "—"
    kind = champ.type
    if kind == "oui_non":
        return _("Oui") if answer else _("Non")
    if kind in ("choix_unique", "liste"):
        return dict(champ.choix).get(str(answer), str(answer))
    if kind == "choix_multiple":
        labels = dict(champ.choix)
        return ", ".join(labels.get(str(a), str(a)) for a in answer)
    if kind == "date":
        try:
            year, month, day = str(answer).split("-")
            return f"{day}/{month}/{year}"
        except ValueError:
            return str(answer)
    if kind == "adresse" and isinstance(answer, dict):
        return str(answer.get("label") or "")
    if kind == "commune" and isinstance(answer, dict):
        return f"{answer.get('nom', '')} ({answer.get('code', '')})"
    if kind == "fichier" and isinstance(answer, dict):
        return str(answer.get("nom") or "")
    if kind == "iban":
        compact = str(answer)
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    if kind == "siret":
        value = str(answer)
        return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
    if kind == "telephone":
        value = str(answer)
        if value.startswith("+33") and len(value) == 12:
            national = "0" + value[3:]
            return " ".join(national[i : i + 2] for i in range(0, 10, 2))
        return value
    return str(answer)


def _lines(champs: tuple[Champ, ...] | list[Champ], answers: dict, top: dict, prefix: str):
    found = []
    for champ in champs:
        if not champ.a_reponse or not is_shown(champ, answers, top):
            continue
        path = f"{prefix}{champ.cle}"
        answer = answers.get(champ.cle)
        if champ.type == "bloc":
            rows = []
            for index, row in enumerate(answer if isinstance(answer, list) else []):
                rows.append(tuple(_lines(champ.enfants, row or {}, top, f"{path}.{index}.")))
            found.append(
                Ligne(
                    chemin=path,
                    cle=champ.cle,
                    libelle=champ.libelle,
                    type=champ.type,
                    texte=str(len(rows)),
                    lignes=tuple(rows),
                )
            )
            continue
        piece = None
        if champ.type == "fichier" and isinstance(answer, dict):
            piece = answer.get("piece_jointe")
        found.append(
            Ligne(
                chemin=path,
                cle=champ.cle,
                libelle=champ.libelle,
                type=champ.type,
                texte=_text(champ, answer),
                piece_jointe=int(piece) if piece else None,
            )
        )
    return found


def answers_display(schema: dict[str, Any], donnees: dict[str, Any]) -> list[tuple[Page, list]]:
    """Return, page by page, the shown fields' answers as lines to read (hidden ones left out)."""
    donnees = donnees or {}
    return [(page, _lines(page.champs, donnees, donnees, "")) for page in pages(schema)]


def answers_flat(schema: dict[str, Any], donnees: dict[str, Any]) -> dict[str, str]:
    """Return the answers as {label path: text}, one column per field (exports); a repeated
    block's rows become « Enfants 1 — Prénom »."""
    flat: dict[str, str] = {}
    for _page, lines in answers_display(schema, donnees):
        for line in lines:
            if line.type == "bloc":
                for index, row in enumerate(line.lignes, start=1):
                    for sub in row:
                        flat[f"{line.libelle} {index} — {sub.libelle}"] = sub.texte
            else:
                flat[line.libelle] = line.texte
    return flat
