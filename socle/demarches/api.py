"""The démarches API, for a member's business software: `/api/v1/demarches/<member>/…`.

- `GET <member>`: the member's procedures and the form of their published version;
- `GET <member>/dossiers`: its filed dossiers (never drafts), without personal data, filtered
  (`demarche`, `statut`, `depose_depuis`, `modifie_depuis`) and cut by a cursor (`curseur`,
  `page_size` 1–200, default 50) in a stable order (filing time, then id);
- `GET <member>/dossiers/<reference>`: one dossier with its answers, history and attachments;
- `GET <member>/dossiers/<reference>/pieces/<id>`: an attachment, decrypted;
- `POST <member>/dossiers/<reference>/statut`: a decision (`{"statut": "...", "motif": "..."}`)
  through the workflow, with the scope `demarches.decider` standing for an agent's role.

Keys are the member's or the platform's (`keyed_endpoint`: a member's key on another member's
address is a 403). A dossier the member does not instruct is a 404, as an unknown one. Every read
of a dossier's personal data (a dossier, an attachment) is written in the personal-data journal
in the name of the key's creator; a key without one (made by the command line) cannot read them.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from socle.api import http
from socle.api.http import api_error, json_response, keyed_endpoint
from socle.api.models import ApiKey
from socle.api.openapi import (
    CORS_HEADER,
    error_response,
    keyed_error_responses,
    keyed_security,
)
from socle.citoyen.chiffrement import FichierIllisible, fichier_read
from socle.core.fichiers import bytes_response
from socle.demarches import formulaire
from socle.demarches import workflow as wf
from socle.demarches.models import (
    Demarche,
    Dossier,
    Evenement,
    PieceJointe,
)
from socle.demarches.selectors import (
    demarches_on,
    dossier_decisions,
    dossier_pieces_jointes,
    dossiers_filed,
    get_dossier_filed,
    get_piece_jointe_filed,
    latest_versions,
)
from socle.demarches.services import dossier_read_journal, dossier_transition_by_api
from socle.membres.models import Membre
from socle.membres.selectors import membre_public

logger = logging.getLogger(__name__)

SCOPE_LIRE = "demarches.lire"
SCOPE_DECIDER = "demarches.decider"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# Error codes of this API (documented in `openapi()` below).
MEMBRE_INCONNU = "membre_inconnu"
DOSSIER_INCONNU = "dossier_inconnu"
PIECE_INCONNUE = "piece_inconnue"
PARAMETRE_INVALIDE = "parametre_invalide"
JSON_INVALIDE = "json_invalide"
TRANSITION_IMPOSSIBLE = "transition_impossible"
MOTIF_OBLIGATOIRE = "motif_obligatoire"
CLE_SANS_RESPONSABLE = "cle_sans_responsable"
FICHIER_ILLISIBLE = "fichier_illisible"


class BadRequest(Exception):
    """A parameter the API cannot answer."""

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


# --- Reads (the member is always explicit) -----------------------------------------------------


def _membre(slug: str) -> Membre | None:
    membre = membre_public(slug)
    if not demarches_on(membre):
        return None
    return membre


def _membre_unknown(slug: str) -> HttpResponse:
    return api_error(
        404,
        MEMBRE_INCONNU,
        _("Aucun membre « %(slug)s » ne propose de démarches en ligne.") % {"slug": slug[:80]},
    )


def _dossier_unknown(reference: str) -> HttpResponse:
    return api_error(
        404,
        DOSSIER_INCONNU,
        _("Aucun dossier déposé « %(reference)s » pour ce membre.") % {"reference": reference[:20]},
    )


def _when(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _dossier_url(dossier: Dossier) -> str:
    return settings.SITE_URL + reverse(
        "api-demarches:dossier",
        kwargs={"slug": dossier.membre.slug, "reference": dossier.reference},
    )


def _answers(dossier: Dossier) -> list[dict[str, Any]]:
    """Return the shown answers page by page, labelled, as the dossier's page reads them."""

    def line(ligne: formulaire.Ligne) -> dict[str, Any]:
        found: dict[str, Any] = {"chemin": ligne.chemin, "libelle": ligne.libelle}
        if ligne.type == "bloc":
            found["elements"] = [[line(sub) for sub in row] for row in ligne.lignes]
        else:
            found["texte"] = ligne.texte
        if ligne.piece_jointe:
            found["piece"] = ligne.piece_jointe
        return found

    return [
        {"page": page.titre, "champs": [line(ligne) for ligne in lignes]}
        for page, lignes in formulaire.answers_display(dossier.version.formulaire, dossier.donnees)
    ]


def _summary(dossier: Dossier) -> dict[str, Any]:
    """A dossier in a list: what it is and where it stands, no personal data."""
    return {
        "reference": dossier.reference,
        "demarche": dossier.demarche.slug,
        "version": dossier.version.numero,
        "statut": dossier.statut,
        "statut_libelle": wf.status_label(dossier.version.workflow, dossier.statut),
        "service": dossier.service.nom if dossier.service is not None else None,
        "depose_le": _when(dossier.depose_le),
        "modifie_le": _when(dossier.modifie_le),
        "decide_le": _when(dossier.decide_le),
        "url": _dossier_url(dossier),
    }


def _journal(request: HttpRequest, key: ApiKey, dossier: Dossier, data: str) -> bool:
    """Journal a read of the dossier's personal data in the name of the key's creator; False
    when it cannot be (a key nobody answers for), and then nothing may be read."""
    if dossier.usager is None:
        return True  # no account left to account to: its personal data went with it
    if key.created_by is None:
        return False
    dossier_read_journal(
        agent=key.created_by,
        membre=dossier.membre,
        dossier=dossier,
        data=data,
        channel=_("API démarches (clé %(prefix)s)") % {"prefix": key.prefix},
        request=request,
    )
    return True


def _no_owner() -> HttpResponse:
    return api_error(
        403,
        CLE_SANS_RESPONSABLE,
        _(
            "Cette clé n’a pas de responsable : elle ne lit pas les données personnelles des "
            "dossiers, car chaque lecture est journalisée au nom de la personne qui a créé la clé."
        ),
    )


# --- Procedures --------------------------------------------------------------------------------


@keyed_endpoint(SCOPE_LIRE)
def demarches_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's procedures, with the form of their published version."""
    membre = _membre(slug)
    if membre is None:
        return _membre_unknown(slug)
    demarches = list(Demarche.objects.filter(membre=membre).order_by("slug"))
    published = latest_versions(demarches)
    results = []
    for demarche in demarches:
        version = published.get(demarche.pk)
        results.append(
            {
                "code": demarche.slug,
                "titre": demarche.titre,
                "etat": demarche.etat,
                "version": demarche.version or None,
                "publiee_le": _when(demarche.publiee_le),
                "formulaire": version.formulaire if version is not None else None,
            }
        )
    return json_response({"results": results})


# --- Dossiers ----------------------------------------------------------------------------------


def _moment(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(
            _("« %(name)s » doit être une date et heure ISO 8601 (2026-05-01T08:00:00+02:00).")
            % {"name": name},
            {"parametre": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("page_size", "").strip()
    if not raw:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise BadRequest(
            _("« page_size » est un nombre de 1 à %(max)s.") % {"max": MAX_PAGE_SIZE},
            {"parametre": "page_size"},
        )
    return int(raw)


def _cursor_encode(dossier: Dossier) -> str:
    assert dossier.depose_le is not None
    raw = f"{dossier.depose_le.isoformat()}|{dossier.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(raw: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        moment_text, _sep, pk_text = text.partition("|")
        moment = parse_datetime(moment_text)
        pk = int(pk_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        moment = None
        pk = 0
    if moment is None or timezone.is_naive(moment):
        raise BadRequest(
            _("Curseur invalide : reprenez l’adresse « next »."), {"parametre": "curseur"}
        )
    return moment, pk


@keyed_endpoint(SCOPE_LIRE)
def dossiers_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's filed dossiers, oldest filing first, one page after the cursor."""
    membre = _membre(slug)
    if membre is None:
        return _membre_unknown(slug)
    try:
        page_size = _page_size(request)
        depose_depuis = _moment(request, "depose_depuis")
        modifie_depuis = _moment(request, "modifie_depuis")
        cursor = request.GET.get("curseur", "").strip()
        after = _cursor_decode(cursor) if cursor else None
    except BadRequest as bad:
        return api_error(400, PARAMETRE_INVALIDE, bad.message, bad.details)
    dossiers = dossiers_filed(membre=membre)
    if demarche := request.GET.get("demarche", "").strip():
        dossiers = dossiers.filter(demarche__slug=demarche)
    if statut := request.GET.get("statut", "").strip():
        dossiers = dossiers.filter(statut=statut)
    if depose_depuis is not None:
        dossiers = dossiers.filter(depose_le__gte=depose_depuis)
    if modifie_depuis is not None:
        dossiers = dossiers.filter(modifie_le__gte=modifie_depuis)
    if after is not None:
        moment, pk = after
        dossiers = dossiers.filter(Q(depose_le__gt=moment) | Q(depose_le=moment, pk__gt=pk))
    # One more than the page says whether there is a next one, without a COUNT.
    window = list(dossiers.order_by("depose_le", "pk")[: page_size + 1])
    page = window[:page_size]
    next_url = None
    if len(window) > page_size:
        params = request.GET.copy()
        params["curseur"] = _cursor_encode(page[-1])
        next_url = settings.SITE_URL + request.path + "?" + params.urlencode()
    return json_response(
        {
            "page_size": page_size,
            "results": [_summary(dossier) for dossier in page],
            "next": next_url,
        }
    )


def _history(dossier: Dossier) -> list[dict[str, Any]]:
    workflow = dossier.version.workflow
    events = dossier_decisions(dossier)
    return [
        {
            "date": _when(event.cree_le),
            "statut_avant": event.statut_avant or None,
            "statut": event.statut_apres or None,
            "statut_libelle": (
                wf.status_label(workflow, event.statut_apres) if event.statut_apres else None
            ),
            "motif": event.texte if event.kind == Evenement.Kind.STATUT else "",
            "par_cle_api": bool((event.details or {}).get("cle_api")),
        }
        for event in events
    ]


def _piece(dossier: Dossier, piece: PieceJointe) -> dict[str, Any]:
    return {
        "id": piece.pk,
        "nom": piece.fichier.nom,
        "type_mime": piece.fichier.type_mime,
        "taille": piece.fichier.taille,
        "champ": piece.champ or None,
        "message": piece.message_id is not None,
        "demande": piece.demande_id is not None,
        "cree_le": _when(piece.cree_le),
        "url": settings.SITE_URL
        + reverse(
            "api-demarches:dossier-piece",
            kwargs={"slug": dossier.membre.slug, "reference": dossier.reference, "pk": piece.pk},
        ),
    }


@keyed_endpoint(SCOPE_LIRE)
def dossier_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """One filed dossier of the member: answers, history, attachments (journaled)."""
    membre = _membre(slug)
    if membre is None:
        return _membre_unknown(slug)
    dossier = get_dossier_filed(membre=membre, reference=reference)
    if dossier is None:
        return _dossier_unknown(reference)
    key: ApiKey = request.api_key  # type: ignore[attr-defined]
    if not _journal(request, key, dossier, _("Dossier de démarche (réponses, pièces, historique)")):
        return _no_owner()
    workflow = dossier.version.workflow
    pieces = dossier_pieces_jointes(dossier)
    body = {
        **_summary(dossier),
        "demarche_titre": dossier.version.titre,
        "motif": dossier.motif,
        "usager": {
            "nom": dossier.usager_nom,
            "email": dossier.usager.email if dossier.usager is not None else None,
        },
        # The answers by field key (as the form's schema names them) and as people read them.
        "donnees": {k: v for k, v in dossier.donnees.items() if not k.startswith("_")},
        "reponses": _answers(dossier),
        "historique": _history(dossier),
        "pieces": [_piece(dossier, piece) for piece in pieces],
        "transitions": [
            {"vers": t.vers, "libelle": t.libelle, "motif": t.motif}
            for t in wf.transitions_from(workflow, dossier.statut)
        ],
    }
    return json_response(body)


@keyed_endpoint(SCOPE_LIRE)
def dossier_piece(request: HttpRequest, slug: str, reference: str, pk: int) -> HttpResponse:
    """An attachment of a filed dossier, decrypted (journaled)."""
    membre = _membre(slug)
    if membre is None:
        return _membre_unknown(slug)
    dossier = get_dossier_filed(membre=membre, reference=reference)
    if dossier is None:
        return _dossier_unknown(reference)
    piece = get_piece_jointe_filed(dossier=dossier, pk=pk)
    if piece is None:
        return api_error(
            404, PIECE_INCONNUE, _("Ce dossier n’a pas de pièce n° %(pk)s.") % {"pk": pk}
        )
    key: ApiKey = request.api_key  # type: ignore[attr-defined]
    data = _("Pièce jointe « %(nom)s »") % {"nom": piece.fichier.nom[:150]}
    if not _journal(request, key, dossier, data):
        return _no_owner()
    try:
        content = fichier_read(piece.fichier)
    except FichierIllisible:
        logger.exception("attachment %s of %s cannot be decrypted", piece.pk, dossier.reference)
        return api_error(
            500, FICHIER_ILLISIBLE, _("Cette pièce ne peut pas être lue ; l’opérateur est prévenu.")
        )
    return bytes_response(content, name=piece.fichier.nom, type_mime=piece.fichier.type_mime)


# --- Decisions ---------------------------------------------------------------------------------


def _decision_body(request: HttpRequest) -> tuple[str, str]:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(_("Le corps doit être un objet JSON.")) from error
    if not isinstance(data, dict):
        raise BadRequest(_("Le corps doit être un objet JSON."))
    statut = data.get("statut")
    motif = data.get("motif", "")
    if not isinstance(statut, str) or not statut.strip():
        raise BadRequest(
            _("« statut » (le code du statut visé) est obligatoire."), {"champ": "statut"}
        )
    if motif is None:
        motif = ""
    if not isinstance(motif, str):
        raise BadRequest(_("« motif » doit être un texte."), {"champ": "motif"})
    return statut.strip()[:40], motif


@keyed_endpoint(SCOPE_DECIDER, methods=("POST",))
def dossier_statut(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """Move a filed dossier through its workflow (a decision), as the key."""
    membre = _membre(slug)
    if membre is None:
        return _membre_unknown(slug)
    try:
        vers, motif = _decision_body(request)
    except BadRequest as bad:
        return api_error(400, JSON_INVALIDE, bad.message, bad.details)
    dossier = get_dossier_filed(membre=membre, reference=reference)
    if dossier is None:
        return _dossier_unknown(reference)
    key: ApiKey = request.api_key  # type: ignore[attr-defined]
    try:
        dossier_transition_by_api(api_key=key, dossier=dossier, vers=vers, motif=motif)
    except PermissionDenied:
        return api_error(
            403,
            http.PORTEE_INSUFFISANTE,
            _("Cette clé d'API n'a pas la portée « %(scope)s ».") % {"scope": SCOPE_DECIDER},
            {"portee_requise": SCOPE_DECIDER},
        )
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {}
        if "motif" in messages:
            return api_error(422, MOTIF_OBLIGATOIRE, " ".join(messages["motif"]))
        workflow = dossier.version.workflow
        return api_error(
            409,
            TRANSITION_IMPOSSIBLE,
            " ".join(messages.get("statut", error.messages)),
            {
                "statut_actuel": dossier.statut,
                "transitions_possibles": [
                    t.vers for t in wf.transitions_from(workflow, dossier.statut)
                ],
            },
        )
    dossier.refresh_from_db()
    return json_response(_summary(dossier) | {"motif": dossier.motif})


# --- OpenAPI -----------------------------------------------------------------------------------

SLUG_PARAMETER = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "Adresse du membre (celui de la clé, pour une clé de membre).",
    "schema": {"type": "string"},
}
REFERENCE_PARAMETER = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "Référence du dossier (« D-7K3M-Q9TZ »).",
    "schema": {"type": "string"},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {"application/json": {"schema": schema}},
    }


def _membre_404(*more: tuple[str, str]) -> dict[str, Any]:
    examples = {MEMBRE_INCONNU: "Aucun membre « x » ne propose de démarches en ligne."}
    examples.update(dict(more))
    return error_response(
        "Membre inconnu ou sans les démarches ; dossier inconnu, brouillon ou d'un autre membre ; "
        "pièce inconnue.",
        examples,
    )


def _no_owner_403() -> dict[str, Any]:
    response = keyed_error_responses()["403"]
    examples = response["content"]["application/json"]["examples"]
    examples[CLE_SANS_RESPONSABLE] = {
        "value": {
            "error": {
                "code": CLE_SANS_RESPONSABLE,
                "message": "Cette clé n’a pas de responsable : elle ne lit pas les données "
                "personnelles des dossiers.",
                "details": {},
            }
        }
    }
    response["description"] += (
        " Une clé sans responsable (créée en ligne de commande) ne lit pas les données "
        "personnelles (cle_sans_responsable)."
    )
    return response


def _bad_parameter() -> dict[str, Any]:
    return error_response(
        "Paramètre invalide (date, page_size, curseur).",
        {PARAMETRE_INVALIDE: "« page_size » est un nombre de 1 à 200."},
    )


def _post_errors() -> dict[str, Any]:
    responses = keyed_error_responses()
    responses["405"] = error_response(
        "Méthode autre que POST.",
        {
            http.METHODE_NON_AUTORISEE: (
                "Méthode « GET » non autorisée : cette API ne répond qu'à POST."
            )
        },
    )
    return responses


def openapi() -> dict[str, Any]:
    """This module's part of the OpenAPI document (socle.api.openapi)."""
    read = keyed_security(SCOPE_LIRE)
    date_param = {
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "date-time"},
    }
    paths = {
        "/{slug}": {
            "get": {
                "operationId": "demarches_liste",
                "summary": "Les démarches du membre et le formulaire de leur version publiée.",
                "security": read,
                "parameters": [SLUG_PARAMETER],
                "responses": {
                    "200": _ok(
                        "Les démarches.",
                        {
                            "type": "object",
                            "required": ["results"],
                            "properties": {"results": {"type": "array", "items": _ref("Demarche")}},
                        },
                    ),
                    **keyed_error_responses(),
                    "404": _membre_404(),
                },
            }
        },
        "/{slug}/dossiers": {
            "get": {
                "operationId": "demarches_dossiers",
                "summary": "Les dossiers déposés que le membre instruit (jamais les brouillons), "
                "sans données personnelles, du plus ancien dépôt au plus récent.",
                "security": read,
                "parameters": [
                    SLUG_PARAMETER,
                    {
                        "name": "demarche",
                        "in": "query",
                        "required": False,
                        "description": "Code de la démarche.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "statut",
                        "in": "query",
                        "required": False,
                        "description": "Code du statut.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "depose_depuis",
                        "description": "Déposés à partir de ce moment (ISO 8601).",
                        **date_param,
                    },
                    {
                        "name": "modifie_depuis",
                        "description": "Modifiés à partir de ce moment (ISO 8601).",
                        **date_param,
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE_SIZE,
                            "default": DEFAULT_PAGE_SIZE,
                        },
                    },
                    {
                        "name": "curseur",
                        "in": "query",
                        "required": False,
                        "description": "Où reprendre : suivez l'adresse « next ».",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": _ok(
                        "Une page de dossiers.",
                        {
                            "type": "object",
                            "required": ["page_size", "results", "next"],
                            "properties": {
                                "page_size": {"type": "integer"},
                                "results": {"type": "array", "items": _ref("DossierResume")},
                                "next": {
                                    "type": ["string", "null"],
                                    "description": "La page suivante, null à la fin.",
                                },
                            },
                        },
                    ),
                    **keyed_error_responses(),
                    "400": _bad_parameter(),
                    "404": _membre_404(),
                },
            }
        },
        "/{slug}/dossiers/{reference}": {
            "get": {
                "operationId": "demarches_dossier",
                "summary": "Un dossier déposé : réponses, historique des statuts, pièces. "
                "Chaque lecture est inscrite au journal des accès aux données personnelles.",
                "security": read,
                "parameters": [SLUG_PARAMETER, REFERENCE_PARAMETER],
                "responses": {
                    "200": _ok("Le dossier.", _ref("Dossier")),
                    **keyed_error_responses(),
                    "403": _no_owner_403(),
                    "404": _membre_404(
                        (DOSSIER_INCONNU, "Aucun dossier déposé « D-… »."),
                    ),
                },
            }
        },
        "/{slug}/dossiers/{reference}/pieces/{id}": {
            "get": {
                "operationId": "demarches_dossier_piece",
                "summary": "Une pièce jointe du dossier, déchiffrée (journalisé).",
                "security": read,
                "parameters": [
                    SLUG_PARAMETER,
                    REFERENCE_PARAMETER,
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "Le fichier, en pièce jointe, avec son type.",
                        "headers": CORS_HEADER,
                        "content": {
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    },
                    **keyed_error_responses(),
                    "403": _no_owner_403(),
                    "404": _membre_404(
                        (DOSSIER_INCONNU, "Aucun dossier déposé « D-… »."),
                        (PIECE_INCONNUE, "Ce dossier n’a pas de pièce n° 12."),
                    ),
                    "500": error_response(
                        "Le fichier chiffré ne peut pas être lu.",
                        {FICHIER_ILLISIBLE: "Cette pièce ne peut pas être lue."},
                    ),
                },
            }
        },
        "/{slug}/dossiers/{reference}/statut": {
            "post": {
                "operationId": "demarches_dossier_statut",
                "summary": "Faire passer le dossier à un autre statut par une transition de son "
                "circuit (une décision) ; le motif suit la règle de la transition.",
                "security": keyed_security(SCOPE_DECIDER),
                "parameters": [SLUG_PARAMETER, REFERENCE_PARAMETER],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Decision")}},
                },
                "responses": {
                    "200": _ok("Le dossier, à son nouveau statut.", _ref("DossierResume")),
                    **_post_errors(),
                    "400": error_response(
                        "Corps absent, pas un objet JSON, « statut » manquant ou « motif » pas "
                        "un texte.",
                        {JSON_INVALIDE: "Le corps doit être un objet JSON."},
                    ),
                    "404": _membre_404(
                        (DOSSIER_INCONNU, "Aucun dossier déposé « D-… »."),
                    ),
                    "409": error_response(
                        "Aucune transition du statut actuel vers ce statut (statut inconnu ou "
                        "passage impossible) ; details : statut_actuel, transitions_possibles.",
                        {
                            TRANSITION_IMPOSSIBLE: "Ce dossier ne peut pas passer de « Refusé » à "
                            "« Accepté »."
                        },
                    ),
                    "422": error_response(
                        "La transition exige un motif (envoyé à l'usager).",
                        {
                            MOTIF_OBLIGATOIRE: "Motivez cette décision : le motif est envoyé à "
                            "l’usager."
                        },
                    ),
                },
            }
        },
    }
    moment = {"type": ["string", "null"], "format": "date-time"}
    summary_properties: dict[str, Any] = {
        "reference": {"type": "string"},
        "demarche": {"type": "string", "description": "Code de la démarche."},
        "version": {"type": "integer", "description": "Version de la démarche au dépôt."},
        "statut": {"type": "string"},
        "statut_libelle": {"type": "string"},
        "service": {"type": ["string", "null"]},
        "depose_le": moment,
        "modifie_le": moment,
        "decide_le": moment,
        "url": {"type": "string", "format": "uri"},
    }
    schemas = {
        "Demarche": {
            "type": "object",
            "required": ["code", "titre", "etat", "version", "formulaire"],
            "properties": {
                "code": {"type": "string"},
                "titre": {"type": "string"},
                "etat": {"type": "string", "enum": list(Demarche.Etat.values)},
                "version": {"type": ["integer", "null"], "description": "Dernière publiée."},
                "publiee_le": moment,
                "formulaire": {
                    "type": ["object", "null"],
                    "description": "Le formulaire de la version publiée (pages, champs).",
                },
            },
        },
        "DossierResume": {
            "type": "object",
            "required": list(summary_properties),
            "properties": summary_properties,
        },
        "Dossier": {
            "type": "object",
            "required": [
                *summary_properties,
                "usager",
                "donnees",
                "historique",
                "pieces",
                "transitions",
            ],
            "properties": {
                **summary_properties,
                "demarche_titre": {"type": "string"},
                "motif": {"type": "string"},
                "usager": {
                    "type": "object",
                    "properties": {
                        "nom": {"type": "string"},
                        "email": {"type": ["string", "null"]},
                    },
                },
                "donnees": {
                    "type": "object",
                    "description": "Les réponses, par clé de champ (un bloc : une liste).",
                    "additionalProperties": True,
                },
                "historique": {"type": "array", "items": _ref("DossierHistorique")},
                "pieces": {"type": "array", "items": _ref("DossierPiece")},
                "transitions": {
                    "type": "array",
                    "description": "Les décisions possibles depuis le statut actuel.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "vers": {"type": "string"},
                            "libelle": {"type": "string"},
                            "motif": {"type": "string", "enum": list(wf.MOTIF_CHOICES)},
                        },
                    },
                },
            },
        },
        "DossierHistorique": {
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date-time"},
                "statut_avant": {"type": ["string", "null"]},
                "statut": {"type": ["string", "null"]},
                "statut_libelle": {"type": ["string", "null"]},
                "motif": {"type": "string"},
                "par_cle_api": {"type": "boolean"},
            },
        },
        "DossierPiece": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "nom": {"type": "string"},
                "type_mime": {"type": "string"},
                "taille": {"type": "integer"},
                "champ": {"type": ["string", "null"]},
                "message": {"type": "boolean"},
                "demande": {"type": "boolean"},
                "cree_le": {"type": "string", "format": "date-time"},
                "url": {"type": "string", "format": "uri"},
            },
        },
        "Decision": {
            "type": "object",
            "required": ["statut"],
            "properties": {
                "statut": {"type": "string", "description": "Code du statut visé."},
                "motif": {"type": "string", "description": "Envoyé à l'usager."},
            },
        },
    }
    return {"paths": paths, "schemas": schemas}
