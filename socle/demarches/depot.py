"""The citizen's writes: start a draft (pre-filled from the citizen's file), save it page by page,
attach a document of the file, file it (once, whatever the clicks), delete a draft; then, on a
filed dossier, write to the service and provide a requested document.

The citizen acts only on his or her own dossiers: every function checks it (a 404 otherwise,
as the views' ``get_dossier_for_usager``). Every write is one transaction; mail goes through
the outbox and documents through a task, so a filed dossier is never lost to a failing mail
server or a restart.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.citoyen.chiffrement import fichier_read, fichiers_delete
from socle.citoyen.models import Piece
from socle.citoyen.selectors import (
    address_answer,
    adresses_of,
    franceconnect_identity,
    prefill_sources,
)
from socle.comptes.models import User
from socle.core.fichiers import DocumentRefused, document_check
from socle.core.tasks import task_enqueue
from socle.demarches import instruction, saisie
from socle.demarches.codes import reference_new
from socle.demarches.documents import document_request
from socle.demarches.formulaire import Champ, field_by_key, fields, pages
from socle.demarches.models import (
    BROUILLON,
    DEPOSE,
    DemandePiece,
    Demarche,
    DemarcheVersion,
    Dossier,
    Envoi,
    Evenement,
    Message,
    PieceJointe,
)
from socle.demarches.selectors import demarches_on
from socle.demarches.services import (
    ATTACHMENT_FORMATS,
    ATTACHMENT_MAX_BYTES,
    attachment_check,
    dossier_locked,
    dossiers_locking,
    event_add,
    mail_send,
    message_add,
    message_check,
    piece_jointe_add,
    placement_for,
)
from socle.demarches.webhooks import webhooks_notify

TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-]{32,43}$")


def token_new() -> str:
    """Return a one-time filing token for the summary page's form."""
    return secrets.token_urlsafe(32)


def _own(usager: User, dossier: Dossier) -> None:
    if usager is None or not usager.is_authenticated or dossier.usager_id != usager.pk:
        raise Http404


def _locked_own(usager: User, dossier: Dossier) -> Dossier:
    _own(usager, dossier)
    locked = dossier_locked(dossier)
    _own(usager, locked)
    return locked


def _draft_locked(usager: User, dossier: Dossier) -> Dossier:
    locked = _locked_own(usager, dossier)
    if locked.statut != BROUILLON:
        raise ValidationError(_("Ce dossier est déjà déposé : il ne peut plus être modifié."))
    return locked


# --- Pre-filling -------------------------------------------------------------------------------


def _prefill_value(champ: Champ, value: Any) -> Any:
    """Fit a source's value to a field; None when it does not fit."""
    if value in (None, "", []):
        return None
    try:
        if champ.type == "telephone":
            return saisie.phone_clean(str(value))
        if champ.type == "date":
            return saisie.date_parse(str(value)).isoformat()
    except saisie.Invalid:
        return None
    if champ.type == "adresse" and not isinstance(value, dict):
        return None
    if champ.type == "commune" and not isinstance(value, dict):
        return None
    if champ.type in ("texte", "texte_long", "email") and not isinstance(value, str):
        return None
    return value


def prefill_answers(
    schema: dict[str, Any], values: dict[str, Any], verified: set[str]
) -> tuple[dict[str, Any], dict[str, bool]]:
    """Return the answers pre-filled from the citizen's file and {path: verified}."""
    donnees: dict[str, Any] = {}
    marks: dict[str, bool] = {}
    for champ in fields(schema):
        source = champ.prerempli
        if not source or source not in values or not champ.a_reponse:
            continue
        if champ.type == "bloc":
            items = values[source] if isinstance(values[source], list) else []
            rows = []
            limit = int(champ.raw.get("max_repetitions") or 10)
            for index, item in enumerate(items[:limit]):
                row: dict[str, Any] = {}
                for sub in champ.enfants:
                    value = _prefill_value(sub, item.get(sub.prerempli)) if sub.prerempli else None
                    if value is not None:
                        row[sub.cle] = value
                        marks[f"{champ.cle}.{index}.{sub.cle}"] = source in verified
                rows.append(row)
            if rows:
                donnees[champ.cle] = rows
            continue
        value = _prefill_value(champ, values[source])
        if value is not None:
            donnees[champ.cle] = value
            marks[champ.cle] = source in verified
    return donnees, marks


def _value_at(donnees: dict[str, Any], path: str) -> Any:
    parts = path.split(".")
    if len(parts) == 3:
        rows = donnees.get(parts[0])
        index = int(parts[1]) if parts[1].isdigit() else -1
        if not isinstance(rows, list) or not 0 <= index < len(rows):
            return None
        return (rows[index] or {}).get(parts[2])
    return donnees.get(path)


def prefill_marks(dossier: Dossier) -> dict[str, bool]:
    """Return the dossier's pre-filled paths still holding what the file gave: {path: verified}
    (verified: FranceConnect gave it, as recorded when the draft started)."""
    start = (
        Evenement.objects.filter(dossier=dossier, kind=Evenement.Kind.CREE).order_by("pk").first()
    )
    verified = set((start.details or {}).get("verifies") or []) if start is not None else set()
    return {path: path in verified for path in dossier.preremplis or []}


# --- Starting, saving, attaching ------------------------------------------------------------------


def published_version(demarche: Demarche) -> DemarcheVersion:
    """Return the procedure's published version; ValidationError when it is not open."""
    version = (
        DemarcheVersion.objects.filter(demarche=demarche, numero=demarche.version).first()
        if demarche.etat == Demarche.Etat.PUBLIEE and demarche.version
        else None
    )
    if version is None or not demarches_on(demarche.membre):
        raise ValidationError(_("Cette démarche n’est pas ouverte en ligne."))
    return version


def _applicant_name(usager: User) -> str:
    identity = franceconnect_identity(usager)
    if identity is not None and (identity.given_name or identity.family_name):
        return f"{identity.given_name} {identity.family_name}".strip()[:200]
    return (usager.get_full_name() or usager.email or "").strip()[:200]


@transaction.atomic
def dossier_start(*, usager: User, demarche: Demarche) -> Dossier:
    """Start a draft on the procedure's published version, pre-filled from the citizen's file
    (the citizen's draft of that procedure when there is one already)."""
    if usager is None or not usager.is_authenticated:
        raise Http404
    version = published_version(demarche)
    existing = (
        Dossier.objects.filter(usager=usager, demarche=demarche, statut=BROUILLON)
        .order_by("-modifie_le", "-pk")
        .first()
    )
    if existing is not None:
        return existing
    values, verified = prefill_sources(usager)
    donnees, marks = prefill_answers(version.formulaire, values, verified)
    now = timezone.now()
    usager_nom = _applicant_name(usager)
    for _attempt in range(10):
        try:
            with transaction.atomic():
                dossier = Dossier.objects.create(
                    reference=reference_new(),
                    demarche=demarche,
                    version=version,
                    membre=demarche.membre,
                    usager=usager,
                    usager_nom=usager_nom,
                    statut=BROUILLON,
                    donnees=donnees,
                    preremplis=list(marks),
                    cree_le=now,
                    modifie_le=now,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - ten colliding references out of 31^8
        raise RuntimeError("no free dossier reference")
    event_add(
        dossier,
        Evenement.Kind.CREE,
        acteur=usager,
        visible_usager=True,
        details={"preremplis": list(marks), "verifies": [p for p, v in marks.items() if v]},
    )
    return dossier


@dataclass(frozen=True)
class Enregistrement:
    """A saved page: the dossier and the errors of what was typed (path → message)."""

    dossier: Dossier
    errors: dict[str, str]


def _store_new_files(dossier: Dossier, value: Any, prefix: str = "") -> Any:
    """Store the new uploads among answers and put their file answers in their place."""
    if isinstance(value, saisie.NouveauFichier):
        document = value.document
        piece = piece_jointe_add(
            dossier=dossier,
            content=document.content,
            nom=document.name,
            type_mime=document.mime,
            champ=prefix,
        )
        return {"piece_jointe": piece.pk, "nom": document.name, "taille": len(document.content)}
    if isinstance(value, dict):
        return {
            k: _store_new_files(dossier, v, f"{prefix}.{k}" if prefix else k)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_store_new_files(dossier, v, f"{prefix}.{i}") for i, v in enumerate(value)]
    return value


def _field_pieces(dossier: Dossier):
    """The dossier's files answering form fields (not messages' nor requests')."""
    return (
        PieceJointe.objects.filter(dossier=dossier, message=None, demande=None)
        .exclude(champ="")
        .select_related("fichier")
    )


def _field_pieces_by_pk(dossier: Dossier) -> dict[int, PieceJointe]:
    return {piece.pk: piece for piece in _field_pieces(dossier)}


def _drop_unanswered_files(dossier: Dossier, pieces: dict[int, PieceJointe] | None = None) -> None:
    """Delete the field files no answer names any more (replaced, removed, or at filing those
    of fields hidden by their condition); ``pieces``: the field files, when already read."""
    kept = set(saisie.files_answered(dossier.donnees))
    if pieces is None:
        stale = list(_field_pieces(dossier).exclude(pk__in=kept))
    else:
        stale = [piece for pk, piece in pieces.items() if pk not in kept]
    PieceJointe.objects.filter(pk__in=[piece.pk for piece in stale]).delete()
    fichiers_delete(piece.fichier for piece in stale)


def _page_keys(schema: dict[str, Any], page: int | None) -> set[str]:
    return {c.cle for p in pages(schema) if page is None or p.numero == page for c in p.champs}


def _prefill_still(usager: User, dossier: Dossier, donnees: dict[str, Any]) -> list[str]:
    """Return the pre-filled paths whose answer is still what the citizen's file gave."""
    if not dossier.preremplis:
        return []
    values, verified = prefill_sources(usager)
    expected, _marks = prefill_answers(dossier.version.formulaire, values, verified)
    return [
        path
        for path in dossier.preremplis
        if _value_at(donnees, path) is not None
        and _value_at(donnees, path) == _value_at(expected, path)
    ]


@transaction.atomic
def dossier_draft_save(
    *, usager: User, dossier: Dossier, page: int, data, files=None
) -> Enregistrement:
    """Save a page of a draft as typed: valid answers as answers, invalid ones as their raw
    text (nothing typed is lost), new files stored; remember the page."""
    dossier = _draft_locked(usager, dossier)
    schema = dossier.version.formulaire
    count = len(pages(schema))
    page = min(max(int(page), 0), max(count - 1, 0))
    pieces = _field_pieces_by_pk(dossier)
    donnees, errors = saisie.answers_clean(
        schema, data, files=files, page=page, existing=dossier.donnees, pieces=pieces
    )
    donnees = _store_new_files(dossier, donnees)
    keys = _page_keys(schema, page)
    raw = {
        path: text
        for path, text in (dossier.donnees.get(saisie.RAW_KEY) or {}).items()
        if path.split(".")[0] not in keys
    }
    raw.update(saisie.raw_texts(data, errors))
    if raw:
        donnees[saisie.RAW_KEY] = raw
    else:
        donnees.pop(saisie.RAW_KEY, None)
    dossier.donnees = donnees
    dossier.preremplis = _prefill_still(usager, dossier, donnees)
    dossier.page = page
    dossier.modifie_le = timezone.now()
    dossier.save(update_fields=["donnees", "preremplis", "page", "modifie_le"])
    # The files stored just now are answered: the field files read before are all that may go.
    _drop_unanswered_files(dossier, pieces)
    return Enregistrement(dossier=dossier, errors=errors)


def _file_field(schema: dict[str, Any], chemin: str, donnees: dict[str, Any]) -> Champ:
    parts = chemin.split(".")
    champ = field_by_key(schema, parts[0])
    if champ is not None and len(parts) == 3 and champ.type == "bloc":
        rows = donnees.get(champ.cle)
        index = int(parts[1]) if parts[1].isdigit() else -1
        if isinstance(rows, list) and 0 <= index < len(rows):
            champ = next((c for c in champ.enfants if c.cle == parts[2]), None)
        else:
            champ = None
    elif len(parts) != 1:
        champ = None
    if champ is None or champ.type != "fichier":
        raise ValidationError(_("Ce champ n’attend pas de document."))
    return champ


def _set_at(donnees: dict[str, Any], chemin: str, value: Any) -> None:
    parts = chemin.split(".")
    if len(parts) == 3:
        donnees[parts[0]][int(parts[1])][parts[2]] = value
    else:
        donnees[chemin] = value


def _piece_content(piece: Piece, *, limit: int, accepted) -> tuple[bytes, str, str]:
    """Read a document of the citizen's file and check it as an upload; (content, name, mime)."""
    content = fichier_read(piece.fichier)
    upload = SimpleUploadedFile(piece.fichier.nom, content)
    try:
        checked = document_check(upload, limit=limit, accepted=accepted)
    except DocumentRefused as refused:
        raise ValidationError(refused.message) from None
    return checked.content, checked.name, checked.mime


@transaction.atomic
def dossier_attach_from_file(
    *, usager: User, dossier: Dossier, chemin: str, piece: Piece
) -> PieceJointe:
    """Answer a file field with a copy of a document of the citizen's own file."""
    dossier = _draft_locked(usager, dossier)
    if piece.usager_id != usager.pk:
        raise Http404
    donnees = copy.deepcopy(dossier.donnees)
    champ = _file_field(dossier.version.formulaire, chemin, donnees)
    content, nom, mime = _piece_content(piece, limit=champ.file_limit, accepted=champ.file_formats)
    jointe = piece_jointe_add(
        dossier=dossier,
        content=content,
        nom=nom,
        type_mime=mime,
        champ=chemin,
        depuis_dossier_citoyen=True,
    )
    _set_at(donnees, chemin, {"piece_jointe": jointe.pk, "nom": nom, "taille": len(content)})
    raw = dict(donnees.get(saisie.RAW_KEY) or {})
    raw.pop(chemin, None)
    if raw:
        donnees[saisie.RAW_KEY] = raw
    else:
        donnees.pop(saisie.RAW_KEY, None)
    dossier.donnees = donnees
    dossier.modifie_le = timezone.now()
    dossier.save(update_fields=["donnees", "modifie_le"])
    _drop_unanswered_files(dossier)
    return jointe


@transaction.atomic
def dossier_draft_delete(*, usager: User, dossier: Dossier) -> None:
    """Delete a draft and its files."""
    instruction.draft_delete(_draft_locked(usager, dossier))


# --- Filing ---------------------------------------------------------------------------------------


def _placement_point(dossier: Dossier, donnees: dict[str, Any], usager: User) -> dict[str, Any]:
    """Where the applicant lives: the form's first address answer, else the file's home. The
    commune code routes; the point (sent by the browser) only helps once ``placement_for`` has
    checked it lies in that commune."""
    for champ in fields(dossier.version.formulaire):
        if champ.type == "adresse" and isinstance(donnees.get(champ.cle), dict):
            answer = donnees[champ.cle]
            break
    else:
        home = adresses_of(usager).first()
        answer = address_answer(home) if home is not None else {}
    lat, lon = answer.get("lat"), answer.get("lon")
    point = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    return {
        "commune_code": str(answer.get("commune_code") or ""),
        "lat": float(lat) if point else None,
        "lon": float(lon) if point else None,
    }


def answers_check(
    dossier: Dossier, pieces: dict[int, PieceJointe] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Re-validate every page of a draft's saved answers (and what was kept as typed);
    ``pieces``: the draft's field files, when already read."""
    schema = dossier.version.formulaire
    data = saisie.FormData(saisie.answers_as_data(schema, dossier.donnees))
    return saisie.answers_clean(
        schema,
        data,
        files=None,
        page=None,
        existing=dossier.donnees,
        pieces=_field_pieces_by_pk(dossier) if pieces is None else pieces,
    )


@transaction.atomic
def dossier_file(*, usager: User, reference: str, jeton: str) -> Dossier:
    """File the citizen's draft of this reference, once: a second call (same token, a double
    click, another tab) returns the dossier filed the first time; another's dossier is a 404.
    Every page is validated again; the dossier is routed, dated and moved to « déposé » with its
    history, and what filing promises next (the receipt, the mails to the citizen and the
    service, the webhooks) is queued for the worker (`dossier_filing_complete`), all in one
    transaction."""
    if usager is None or not usager.is_authenticated:
        raise Http404
    # Read once, locked, by its owner's reference: the request's only read of the dossier.
    dossier = dossiers_locking().filter(usager=usager, reference=reference).first()
    if dossier is None:
        raise Http404
    if not TOKEN_RE.match(jeton or ""):
        raise ValidationError(_("Ce formulaire a expiré : rechargez le récapitulatif."))
    if dossier.statut != BROUILLON:
        return dossier
    if Dossier.objects.filter(jeton_depot=jeton).exists():
        raise ValidationError(_("Ce formulaire a expiré : rechargez le récapitulatif."))
    if dossier.demarche.etat != Demarche.Etat.PUBLIEE:
        raise ValidationError(_("Cette démarche est fermée : le dossier ne peut plus être déposé."))
    pieces = _field_pieces_by_pk(dossier)
    donnees, errors = answers_check(dossier, pieces)
    if errors:
        raise ValidationError(errors)
    placement = placement_for(dossier.demarche, **_placement_point(dossier, donnees, usager))
    now = timezone.now()
    dossier.donnees = donnees
    dossier.membre = placement.membre
    dossier.service = placement.service
    dossier.usager_nom = _applicant_name(usager) or dossier.usager_nom
    dossier.statut = DEPOSE
    dossier.depose_le = now
    dossier.jeton_depot = jeton
    dossier.modifie_le = now
    dossier.save(
        update_fields=[
            "donnees",
            "membre",
            "service",
            "usager_nom",
            "statut",
            "depose_le",
            "jeton_depot",
            "modifie_le",
        ]
    )
    _drop_unanswered_files(dossier, pieces)
    # The platform's own move (no workflow transition leaves the draft, see workflow.py): so
    # not `transition_apply`, which would add only this status line to what is written here.
    Evenement.objects.bulk_create(
        [
            Evenement(
                dossier=dossier,
                kind=Evenement.Kind.DEPOSE,
                acteur=usager,
                visible_usager=True,
                details={
                    "membre": placement.membre.slug,
                    "service": placement.service.pk if placement.service else None,
                },
                cree_le=now,
            ),
            Evenement(
                dossier=dossier,
                kind=Evenement.Kind.STATUT,
                visible_usager=True,
                statut_avant=BROUILLON,
                statut_apres=DEPOSE,
                cree_le=now,
            ),
        ]
    )
    _filing_complete_enqueue(dossier.pk)
    return dossier


def _filing_complete_enqueue(dossier_id: int) -> None:
    from socle.demarches.tasks import dossier_filing_complete_run

    task_enqueue(dossier_filing_complete_run, dossier_id)


@transaction.atomic
def dossier_filing_complete(*, dossier_id: int) -> bool:
    """Make what filing promised, once (the worker, after the filing's commit): the receipt
    queued, the mails to the citizen and to the service, the webhooks. Return False when it
    was made already (or the dossier is gone, a draft, or anonymised)."""
    dossier = (
        dossiers_locking()
        .select_related("service", "usager")
        .filter(
            pk=dossier_id,
            depose_le__isnull=False,
            depot_traite_le__isnull=True,
            anonymise_le__isnull=True,
        )
        .first()
    )
    if dossier is None:
        return False
    version = dossier.version
    document_request(dossier=dossier, kind="recepisse")
    if dossier.usager is not None:
        mail_send(
            dossier,
            to=[dossier.usager.email],
            destinataire=Envoi.Destinataire.USAGER,
            subject=_("Votre dossier %(reference)s est déposé") % {"reference": dossier.reference},
            template="depose.txt",
            context={"version": version, "collectivite": dossier.membre.collectivite.nom},
        )
    _service_mail(
        dossier,
        subject=_("Nouveau dossier %(reference)s : %(demarche)s")
        % {"reference": dossier.reference, "demarche": version.titre},
        template="depose_service.txt",
        context={"version": version},
    )
    # What happened at the filing, even when an agent has moved the dossier on since.
    webhooks_notify(
        dossier=dossier, evenement="dossier.depose", moment=dossier.depose_le, statut=DEPOSE
    )
    dossier.depot_traite_le = timezone.now()
    dossier.save(update_fields=["depot_traite_le"])
    return True


def filings_incomplete_queue(
    *, older_than: timedelta = timedelta(minutes=5), limit: int = 500
) -> int:
    """Queue again the follow-ups of filings the worker has not completed after a while (a
    task that failed for good or was lost); return how many. Completing is done once."""
    ids = list(
        Dossier.objects.filter(
            depose_le__isnull=False,
            depot_traite_le__isnull=True,
            depose_le__lt=timezone.now() - older_than,
            anonymise_le__isnull=True,
        )
        .order_by("depose_le")
        .values_list("pk", flat=True)[:limit]
    )
    for dossier_id in ids:
        with transaction.atomic():
            _filing_complete_enqueue(dossier_id)
    return len(ids)


# --- After filing: messages and requested documents -----------------------------------------------


def _service_mail(dossier: Dossier, *, subject: str, template: str, context: dict) -> None:
    service = dossier.service
    if service is not None and service.email:
        mail_send(
            dossier,
            to=[service.email],
            destinataire=Envoi.Destinataire.SERVICE,
            subject=subject,
            template=template,
            context=context,
        )


def _filed_locked(usager: User, dossier: Dossier) -> Dossier:
    dossier = _locked_own(usager, dossier)
    if dossier.statut == BROUILLON:
        raise ValidationError(_("Déposez d’abord ce dossier."))
    if dossier.anonymise_le is not None:
        raise Http404
    return dossier


@transaction.atomic
def dossier_message_from_usager(*, usager: User, dossier: Dossier, texte: str, files=()) -> Message:
    """Write to the service instructing the dossier, with attachments."""
    dossier = _filed_locked(usager, dossier)
    texte, checked = message_check(texte=texte, files=files)
    message = message_add(dossier, auteur=usager, de_usager=True, texte=texte, checked=checked)
    _service_mail(
        dossier,
        subject=_("Message de l’usager sur le dossier %(reference)s")
        % {"reference": dossier.reference},
        template="depose_message_service.txt",
        context={"message": message, "pieces": len(checked)},
    )
    webhooks_notify(dossier=dossier, evenement="dossier.message")
    return message


@transaction.atomic
def demande_piece_fulfil(
    *,
    usager: User,
    dossier: Dossier,
    demande: DemandePiece,
    upload=None,
    piece: Piece | None = None,
) -> PieceJointe:
    """Provide a document the service asked for: an upload, or a copy from the citizen's file."""
    dossier = _filed_locked(usager, dossier)
    locked = DemandePiece.objects.select_for_update().filter(pk=demande.pk, dossier=dossier).first()
    if locked is None:
        raise Http404
    demande = locked
    if not demande.en_attente:
        raise ValidationError(_("Cette pièce n’est plus demandée."))
    if piece is not None:
        if piece.usager_id != usager.pk:
            raise Http404
        try:
            content, nom, mime = _piece_content(
                piece, limit=ATTACHMENT_MAX_BYTES, accepted=ATTACHMENT_FORMATS
            )
        except ValidationError as error:
            raise ValidationError({"fichier": error.messages}) from None
    elif upload is not None:
        try:
            checked = attachment_check(upload)
        except ValidationError as error:
            raise ValidationError({"fichier": error.messages}) from None
        content, nom, mime = checked.content, checked.name, checked.mime
    else:
        raise ValidationError({"fichier": [_("Joignez le document demandé.")]})
    jointe = piece_jointe_add(
        dossier=dossier,
        content=content,
        nom=nom,
        type_mime=mime,
        demande=demande,
        depuis_dossier_citoyen=piece is not None,
    )
    now = timezone.now()
    demande.fournie_le = now
    demande.save(update_fields=["fournie_le"])
    event_add(
        dossier,
        Evenement.Kind.PIECE_FOURNIE,
        acteur=usager,
        visible_usager=True,
        texte=demande.libelle,
        details={"demande": demande.pk, "piece_jointe": jointe.pk},
    )
    dossier.modifie_le = now
    dossier.save(update_fields=["modifie_le"])
    _service_mail(
        dossier,
        subject=_("Pièce fournie pour le dossier %(reference)s") % {"reference": dossier.reference},
        template="depose_piece_service.txt",
        context={"demande": demande},
    )
    webhooks_notify(dossier=dossier, evenement="dossier.piece_fournie")
    return jointe
