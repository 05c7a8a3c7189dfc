"""A procedure's workflow: its statuses, who may move a dossier where, and what each move does.

Stored as JSON on the procedure (and frozen in each published version)::

    {
      "statuts": [{"code": "depose", "libelle": "Déposé", "final": false}, ...],
      "transitions": [
        {"de": "depose", "vers": "en_instruction", "roles": ["agent", "administrateur"],
         "libelle": "Commencer l’instruction", "motif": "facultatif",
         "courriel": {"objet": "…", "texte": "…"}, "document": ""},
        ...
      ]
    }

- ``statuts``: the six statuses every workflow has (brouillon, déposé, en instruction, accepté,
  refusé, sans suite) plus the administrator's own; ``final`` closes the dossier (the retention
  period starts).
- ``transitions``: ``roles`` are member role kinds (agent, administrateur) allowed to make the
  move; the citizen's only move is filing (brouillon → déposé), made by the platform.
  ``motif``: "non" (none asked), "facultatif", "obligatoire" (a refusal must say why).
  ``courriel``: the mail to the citizen (placeholders ``{reference}``, ``{demarche}``,
  ``{statut}``, ``{motif}``, ``{collectivite}``, ``{lien}``); empty: no mail. The default
  texts leave ``{motif}`` out (the motif is read on the site, not sent by mail).
  ``document``: "attestation" to issue the signed attestation, "" for none.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from socle.demarches.models import ACCEPTE, BROUILLON, DEPOSE, EN_INSTRUCTION, REFUSE, SANS_SUITE

BUILT_IN = (BROUILLON, DEPOSE, EN_INSTRUCTION, ACCEPTE, REFUSE, SANS_SUITE)
MOTIF_CHOICES = ("non", "facultatif", "obligatoire")
DOCUMENT_CHOICES = ("", "attestation")
ROLE_CHOICES = ("agent", "administrateur")

_MAIL_TEXT = (
    "Bonjour,\n\nVotre dossier {reference} ({demarche}) est maintenant : {statut}.\n"
    "Suivez-le ici : {lien}\n\n{collectivite}"
)
# A decision's mail says where to read it, not why: the motif may hold personal data, and mail
# is neither private nor authenticated. The citizen reads it on their space.
_DECISION_TEXT = (
    "Bonjour,\n\nUne décision est disponible sur votre dossier {reference} ({demarche}) : "
    "{statut}.\nVous en trouverez le détail sur votre espace : {lien}\n\n{collectivite}"
)


def default_workflow() -> dict[str, Any]:
    """Return the workflow a new procedure starts with."""
    return {
        "statuts": [
            {"code": BROUILLON, "libelle": "Brouillon", "final": False},
            {"code": DEPOSE, "libelle": "Déposé", "final": False},
            {"code": EN_INSTRUCTION, "libelle": "En instruction", "final": False},
            {"code": ACCEPTE, "libelle": "Accepté", "final": True},
            {"code": REFUSE, "libelle": "Refusé", "final": True},
            {"code": SANS_SUITE, "libelle": "Classé sans suite", "final": True},
        ],
        "transitions": [
            {
                "de": DEPOSE,
                "vers": EN_INSTRUCTION,
                "roles": list(ROLE_CHOICES),
                "libelle": "Commencer l’instruction",
                "motif": "non",
                "courriel": {
                    "objet": "Votre dossier {reference} est en cours d’instruction",
                    "texte": _MAIL_TEXT,
                },
                "document": "",
            },
            *[
                {
                    "de": de,
                    "vers": ACCEPTE,
                    "roles": list(ROLE_CHOICES),
                    "libelle": "Accepter",
                    "motif": "facultatif",
                    "courriel": {
                        "objet": "Votre dossier {reference} est accepté",
                        "texte": _DECISION_TEXT,
                    },
                    "document": "attestation",
                }
                for de in (DEPOSE, EN_INSTRUCTION)
            ],
            *[
                {
                    "de": de,
                    "vers": vers,
                    "roles": list(ROLE_CHOICES),
                    "libelle": libelle,
                    "motif": "obligatoire",
                    "courriel": {
                        "objet": "Votre dossier {reference} : décision",
                        "texte": _DECISION_TEXT,
                    },
                    "document": "",
                }
                for de in (DEPOSE, EN_INSTRUCTION)
                for vers, libelle in ((REFUSE, "Refuser"), (SANS_SUITE, "Classer sans suite"))
            ],
        ],
    }


@dataclass(frozen=True)
class Transition:
    """A move a workflow allows."""

    de: str
    vers: str
    roles: tuple[str, ...]
    libelle: str
    motif: str
    courriel_objet: str
    courriel_texte: str
    document: str


def statuses(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the workflow's statuses, in order."""
    return list(workflow.get("statuts") or [])


def status_label(workflow: dict[str, Any], code: str) -> str:
    """Return a status's label (its code when the workflow does not know it)."""
    for status in statuses(workflow):
        if status.get("code") == code:
            return str(status.get("libelle") or code)
    return code


def is_final(workflow: dict[str, Any], code: str) -> bool:
    """Say whether a status closes the dossier."""
    return any(s.get("code") == code and s.get("final") for s in statuses(workflow))


def transitions(workflow: dict[str, Any]) -> list[Transition]:
    """Return every move the workflow allows."""
    found = []
    for raw in workflow.get("transitions") or []:
        courriel = raw.get("courriel") or {}
        found.append(
            Transition(
                de=str(raw["de"]),
                vers=str(raw["vers"]),
                roles=tuple(raw.get("roles") or ()),
                libelle=str(raw.get("libelle") or raw["vers"]),
                motif=str(raw.get("motif") or "non"),
                courriel_objet=str(courriel.get("objet") or ""),
                courriel_texte=str(courriel.get("texte") or ""),
                document=str(raw.get("document") or ""),
            )
        )
    return found


def transitions_from(
    workflow: dict[str, Any], statut: str, role_kinds: set[str] | None = None
) -> list[Transition]:
    """Return the moves from a status, those open to one of these role kinds when given."""
    return [
        t
        for t in transitions(workflow)
        if t.de == statut and (role_kinds is None or set(t.roles) & role_kinds)
    ]


def transition_find(workflow: dict[str, Any], de: str, vers: str) -> Transition | None:
    """Return the move from one status to another, None when the workflow has none."""
    return next((t for t in transitions(workflow) if t.de == de and t.vers == vers), None)


def workflow_check(workflow: dict[str, Any]) -> dict[str, Any]:
    """Return a checked, normalised copy of a workflow; raise ValidationError listing every
    problem (in French)."""
    errors: list[str] = []
    workflow = copy.deepcopy(workflow or {})
    codes: list[str] = []
    for status in workflow.get("statuts") or []:
        code = str(status.get("code") or "").strip()
        if not code or not code.replace("_", "").isalnum() or code != code.lower():
            errors.append(
                _("Le code de statut « %(code)s » doit être en minuscules, sans espace.")
                % {"code": code}
            )
        if code in codes:
            errors.append(_("Le statut « %(code)s » est en double.") % {"code": code})
        if not str(status.get("libelle") or "").strip():
            errors.append(_("Le statut « %(code)s » n’a pas de libellé.") % {"code": code})
        codes.append(code)
    for code in BUILT_IN:
        if code not in codes:
            errors.append(_("Le statut « %(code)s » ne peut pas être retiré.") % {"code": code})
    for raw in workflow.get("transitions") or []:
        de, vers = raw.get("de"), raw.get("vers")
        if de not in codes or vers not in codes:
            errors.append(
                _("La transition %(de)s → %(vers)s cite un statut inconnu.")
                % {"de": de, "vers": vers}
            )
        if vers == BROUILLON or de == BROUILLON:
            errors.append(_("Un dossier ne revient pas au brouillon et n’en sort qu’au dépôt."))
        if not set(raw.get("roles") or ()) <= set(ROLE_CHOICES) or not raw.get("roles"):
            errors.append(
                _(
                    "La transition %(de)s → %(vers)s doit être ouverte aux agents ou aux "
                    "administrateurs."
                )
                % {"de": de, "vers": vers}
            )
        if (raw.get("motif") or "non") not in MOTIF_CHOICES:
            errors.append(_("Motif : « non », « facultatif » ou « obligatoire »."))
        if (raw.get("document") or "") not in DOCUMENT_CHOICES:
            errors.append(_("Document : aucun ou « attestation »."))
    if errors:
        raise ValidationError({"workflow": errors})
    return workflow
