"""The agents' writes on filed dossiers: decisions (workflow moves), assignment, messages,
requests for missing documents, bulk actions, exports, and the retention of personal data.

Every function takes ``acting_user`` (None only for the platform itself: the retention
command), checks ``demarches.instruire`` in the dossier's member and the agent's service scope
(an agent attached to services instructs only their dossiers), and records an audit event in
its transaction (``services.audit``). Mail goes through the outbox, in the same transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.citoyen.chiffrement import fichiers_delete
from socle.comptes.models import User
from socle.core.outbox import outbox_messages_forget
from socle.core.tableur import csv_safe
from socle.demarches import formulaire, services
from socle.demarches import workflow as wf
from socle.demarches.models import (
    BROUILLON,
    DemandePiece,
    Demarche,
    Document,
    Dossier,
    Envoi,
    Evenement,
    Message,
    PieceJointe,
)
from socle.demarches.selectors import dossiers_by_references
from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_record_many
from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.selectors import agent_of, service_ids_for_user
from socle.membres.services import audit_record

PERMISSION = "demarches.instruire"
# A draft nobody touched for this long is deleted (with its files) by the retention.
DRAFT_LIFETIME = timedelta(days=183)


def dossier_check(acting_user, dossier: Dossier) -> None:
    """Refuse (PermissionDenied) an agent who may not instruct this dossier: no permission in
    its member, or an agent of another service; drafts are the citizen's alone."""
    if acting_user is None:
        return
    permission_check(acting_user, PERMISSION, dossier.membre)
    allowed = service_ids_for_user(user=acting_user, membre=dossier.membre)
    if allowed is not None and dossier.service_id not in allowed:
        raise PermissionDenied
    if dossier.statut == BROUILLON:
        raise PermissionDenied


def _not_anonymised(dossier: Dossier) -> None:
    if dossier.anonymise_le is not None:
        raise ValidationError(
            _("Les données de ce dossier ont été effacées : il ne peut plus être modifié.")
        )


# --- Decisions and assignment -----------------------------------------------------------------


@transaction.atomic
def dossier_transition(*, acting_user, dossier: Dossier, vers: str, motif: str = "") -> Dossier:
    """Move a dossier to another status of its workflow (the roles, the motif and the effects
    are the workflow's: ``services.transition_apply``); return the dossier as saved."""
    locked = services.dossier_locked(dossier)
    dossier_check(acting_user, locked)
    _not_anonymised(locked)
    services.transition_apply(dossier=locked, vers=vers, acting_user=acting_user, motif=motif)
    return locked


@transaction.atomic
def dossier_assign(*, acting_user, dossier: Dossier, agent: User | None) -> Dossier:
    """Give a dossier to one of the member's agents (or to nobody)."""
    locked = services.dossier_locked(dossier)
    dossier_check(acting_user, locked)
    if agent is not None:
        if agent_of(membre=locked.membre, pk=agent.pk) is None:
            raise ValidationError(
                {"agent": _("Cette personne n’est ni agent ni administrateur de la collectivité.")}
            )
        allowed = service_ids_for_user(user=agent, membre=locked.membre)
        if allowed is not None and locked.service_id not in allowed:
            raise ValidationError(
                {"agent": _("Cette personne ne traite pas les dossiers de ce service.")}
            )
    if locked.assigne_a_id == (agent.pk if agent else None):
        return locked
    before = locked.assigne_a_id
    locked.assigne_a = agent
    locked.modifie_le = timezone.now()
    locked.save(update_fields=["assigne_a", "modifie_le"])
    services.event_add(
        locked,
        Evenement.Kind.ASSIGNE,
        acteur=acting_user,
        texte=(agent.get_full_name() or agent.email) if agent else _("Personne"),
        details={"agent": agent.pk if agent else None},
    )
    services.audit(
        acting_user, locked, "dossier.attribution", avant=before, apres=agent.pk if agent else None
    )
    return locked


# --- Messages and missing documents ------------------------------------------------------------


def _mail_usager(dossier: Dossier, *, subject: str, template: str, **context) -> None:
    if dossier.usager is None:
        return
    services.mail_send(
        dossier,
        to=[dossier.usager.email],
        destinataire=Envoi.Destinataire.USAGER,
        subject=subject,
        template=template,
        context={"collectivite": dossier.membre.collectivite.nom, **context},
    )


@transaction.atomic
def dossier_message_from_agent(
    *, acting_user, dossier: Dossier, texte: str, files: Iterable[Any] | None = None
) -> Message:
    """Write to the citizen in the dossier's thread, with attachments. The citizen is told by
    mail that a message awaits on the site; the mail never carries the message itself (it may
    hold personal data, and mail is neither private nor authenticated)."""
    texte, checked = services.message_check(texte=texte, files=files)
    locked = services.dossier_locked(dossier)
    dossier_check(acting_user, locked)
    _not_anonymised(locked)
    message = services.message_add(
        locked, auteur=acting_user, de_usager=False, texte=texte, checked=checked
    )
    _mail_usager(
        locked,
        subject=_("Nouveau message sur votre dossier %(ref)s") % {"ref": locked.reference},
        template="message.txt",
    )
    return message


@transaction.atomic
def demande_piece_create(
    *, acting_user, dossier: Dossier, libelle: str, explication: str = ""
) -> DemandePiece:
    """Ask the citizen for a missing document: shown on the dossier, told by mail."""
    libelle, explication = (libelle or "").strip(), (explication or "").strip()
    errors: dict[str, list[str]] = {}
    if not libelle:
        errors["libelle"] = [_("Nommez la pièce demandée.")]
    elif len(libelle) > 200:
        errors["libelle"] = [_("200 caractères au plus.")]
    if len(explication) > 2000:
        errors["explication"] = [_("2 000 caractères au plus.")]
    if errors:
        raise ValidationError(errors)
    locked = services.dossier_locked(dossier)
    dossier_check(acting_user, locked)
    _not_anonymised(locked)
    if wf.is_final(locked.version.workflow, locked.statut):
        raise ValidationError(
            {"libelle": _("Ce dossier est clos : aucune pièce ne peut plus être demandée.")}
        )
    demande = DemandePiece.objects.create(
        dossier=locked, libelle=libelle, explication=explication, demande_par=acting_user
    )
    locked.modifie_le = timezone.now()
    locked.save(update_fields=["modifie_le"])
    services.event_add(
        locked,
        Evenement.Kind.DEMANDE_PIECE,
        acteur=acting_user,
        visible_usager=True,
        texte=libelle,
        details={"demande": demande.pk},
    )
    _mail_usager(
        locked,
        subject=_("Une pièce est demandée pour votre dossier %(ref)s") % {"ref": locked.reference},
        template="demande_piece.txt",
        libelle=libelle,
    )
    services.audit(acting_user, locked, "dossier.demande_piece", demande=demande.pk)
    return demande


@transaction.atomic
def demande_piece_cancel(*, acting_user, demande: DemandePiece) -> DemandePiece:
    """Withdraw a request the citizen has not answered yet."""
    locked = services.dossier_locked(demande.dossier)
    dossier_check(acting_user, locked)
    demande = DemandePiece.objects.select_for_update().get(pk=demande.pk, dossier=locked)
    if not demande.en_attente:
        raise ValidationError(_("Cette demande n’est plus en attente."))
    demande.annulee_le = timezone.now()
    demande.save(update_fields=["annulee_le"])
    services.event_add(
        locked,
        Evenement.Kind.DEMANDE_ANNULEE,
        acteur=acting_user,
        visible_usager=True,
        texte=demande.libelle,
        details={"demande": demande.pk},
    )
    services.audit(acting_user, locked, "dossier.demande_piece", demande=demande.pk, annulee=True)
    return demande


# --- Several dossiers at once ------------------------------------------------------------------

BULK_ACTIONS = ("attribuer", "statut")


@dataclass
class BulkReport:
    """What a bulk action did: the references done, and those refused with why."""

    reussis: list[str] = field(default_factory=list)
    echecs: list[tuple[str, str]] = field(default_factory=list)


def _reason(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Vous ne pouvez pas faire ce changement sur ce dossier.")


def dossiers_bulk(
    *,
    acting_user,
    membre: Membre,
    references: Iterable[str],
    action: str,
    agent: User | None = None,
    vers: str = "",
    motif: str = "",
) -> BulkReport:
    """Assign several dossiers to someone, or move them to a status, each checked on its own
    (one refused leaves the others done); the one motif typed goes with every move."""
    permission_check(acting_user, PERMISSION, membre)
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choisissez une action.")})
    if action == "statut" and not vers:
        raise ValidationError({"vers": _("Choisissez le nouveau statut.")})
    wanted = list(dict.fromkeys(str(r).strip().upper() for r in references if r))
    if not wanted:
        raise ValidationError({"dossiers": _("Cochez au moins un dossier.")})
    found = dossiers_by_references(user=acting_user, membre=membre, references=wanted)
    report = BulkReport()
    for reference in wanted:
        dossier = found.get(reference)
        if dossier is None:
            report.echecs.append((reference, _("Dossier introuvable dans votre file.")))
            continue
        # Each move is its own transaction (both are atomic): one refused leaves the others done.
        try:
            if action == "attribuer":
                dossier_assign(acting_user=acting_user, dossier=dossier, agent=agent)
            else:
                dossier_transition(acting_user=acting_user, dossier=dossier, vers=vers, motif=motif)
        except (ValidationError, PermissionDenied) as error:
            report.echecs.append((reference, _reason(error)))
        else:
            report.reussis.append(reference)
    return report


# --- Export ------------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "xlsx")


def _stamp(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def export_rows(dossiers: Iterable[Dossier]) -> tuple[list[str], list[list[str]], list[Dossier]]:
    """Return the header, the rows (one per dossier: fixed columns, then every answer) and the
    dossiers read."""
    fixed = [
        _("Référence"),
        _("Démarche"),
        _("Statut"),
        _("Déposé le"),
        _("Décidé le"),
        _("Modifié le"),
        _("Service"),
        _("Attribué à"),
        _("Demandeur"),
    ]
    answer_columns: dict[str, None] = {}
    read: list[tuple[Dossier, list[str], dict[str, str]]] = []
    for dossier in dossiers:
        workflow = dossier.version.workflow
        flat = formulaire.answers_flat(dossier.version.formulaire, dossier.donnees)
        for key in flat:
            answer_columns.setdefault(key, None)
        read.append(
            (
                dossier,
                [
                    dossier.reference,
                    dossier.version.titre,
                    wf.status_label(workflow, dossier.statut),
                    _stamp(dossier.depose_le),
                    _stamp(dossier.decide_le),
                    _stamp(dossier.modifie_le),
                    dossier.service.nom if dossier.service else "",
                    _person(dossier.assigne_a),
                    dossier.usager_nom,
                ],
                flat,
            )
        )
    columns = list(answer_columns)
    rows = [base + [flat.get(column, "") for column in columns] for _d, base, flat in read]
    return fixed + columns, rows, [d for d, _b, _f in read]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    # With a byte-order mark: spreadsheets then read the accents right.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Dossiers"))

    def cells(values: list[str], *, bold: bool = False) -> list:
        found = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=str(value))
            # Text, always: a cell starting with « = » is never read as a formula.
            cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            found.append(cell)
        return found

    sheet.append(cells(header, bold=True))
    for row in rows:
        sheet.append(cells(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def dossiers_export(
    *,
    acting_user,
    membre: Membre,
    dossiers: Iterable[Dossier],
    fmt: str = "csv",
    request=None,
) -> bytes:
    """Return the dossiers as a CSV (formula-safe, UTF-8) or XLSX file, one row per dossier
    with its answers; the export is journaled once per citizen (their data left the screen)."""
    permission_check(acting_user, PERMISSION, membre)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError({"format": _("Format d’export inconnu.")})
    allowed = service_ids_for_user(user=acting_user, membre=membre)
    if hasattr(dossiers, "select_related"):
        dossiers = dossiers.select_related(  # type: ignore[union-attr]
            "version", "service", "assigne_a"
        ).iterator(chunk_size=1000)
    checked = []
    for dossier in dossiers:
        if dossier.membre_id != membre.pk or dossier.statut == BROUILLON:
            raise PermissionDenied
        if allowed is not None and dossier.service_id not in allowed:
            raise PermissionDenied
        checked.append(dossier)
    header, rows, read = export_rows(checked)
    content = _csv(header, rows) if fmt == "csv" else _xlsx(header, rows)
    by_citizen: dict[int, list[str]] = {}
    for dossier in read:
        if dossier.usager_id is not None:
            by_citizen.setdefault(dossier.usager_id, []).append(dossier.reference)
    citizens = User.objects.in_bulk(list(by_citizen))
    with transaction.atomic():
        journal_record_many(
            agent=acting_user,
            membre=membre,
            citizens=[
                (citizens[pk], _purpose(references))
                for pk, references in by_citizen.items()
                if pk in citizens
            ],
            data=_("dossiers de démarches : réponses au formulaire, statut"),
            channel=_("gestion : export des dossiers (%(fmt)s)") % {"fmt": fmt.upper()},
            request=request,
            action=PersonalDataAccess.Action.EXPORT,
        )
        audit_record(
            acting_user=acting_user,
            membre=membre,
            action="dossier.export",
            details={"format": fmt, "dossiers": len(read), "usagers": len(by_citizen)},
        )
    return content


def _purpose(references: list[str]) -> str:
    text = _("export des dossiers %(refs)s") % {"refs": ", ".join(references)}
    return text if len(text) <= 300 else text[:297] + "…"


# --- Retention ---------------------------------------------------------------------------------


def _fichiers_delete(fichiers: Iterable[Any]) -> None:
    fichiers_delete(fichier for fichier in fichiers if fichier is not None)


def draft_delete(dossier: Dossier) -> None:
    """Delete a draft and its files (ciphertexts removed once the transaction commits)."""
    fichiers = [
        p.fichier for p in PieceJointe.objects.select_related("fichier").filter(dossier=dossier)
    ]
    dossier.delete()
    _fichiers_delete(fichiers)


def dossier_mails_forget(dossier_ids: Iterable[int]) -> None:
    """Keep only the subject of the dossiers' sent mails, and no citizen's address
    (``core.outbox.outbox_messages_forget``)."""
    outbox_messages_forget(
        {
            envoi.message_id: envoi.destinataire == Envoi.Destinataire.USAGER
            for envoi in Envoi.objects.filter(dossier_id__in=list(dossier_ids))
        }
    )


@transaction.atomic
def dossier_anonymise(dossier: Dossier, *, now: datetime | None = None) -> Dossier:
    """Erase a dossier's personal data — answers, prefilled marks, applicant's name, motif,
    message texts, history texts, request explanations, attachments, issued documents' files
    and the mails' bodies and citizen's address in the outbox — and unlink the citizen; keep
    reference, procedure, status and dates (statistics)."""
    now = now or timezone.now()
    locked = services.dossier_locked(dossier)
    if locked.anonymise_le is not None:
        return locked
    pieces = list(PieceJointe.objects.select_related("fichier").filter(dossier=locked))
    fichiers = [p.fichier for p in pieces]
    PieceJointe.objects.filter(pk__in=[p.pk for p in pieces]).delete()
    documents = list(Document.objects.select_related("fichier").filter(dossier=locked))
    for document in documents:
        if document.fichier is not None:
            fichiers.append(document.fichier)
            document.fichier = None
            document.save(update_fields=["fichier"])
    _fichiers_delete(fichiers)
    Message.objects.filter(dossier=locked).update(texte="")
    DemandePiece.objects.filter(dossier=locked).update(explication="")
    Evenement.objects.filter(dossier=locked).update(texte="")
    dossier_mails_forget([locked.pk])
    locked.donnees = {}
    locked.preremplis = []
    locked.usager_nom = ""
    locked.motif = ""
    locked.usager = None
    locked.anonymise_le = now
    locked.save(
        update_fields=["donnees", "preremplis", "usager_nom", "motif", "usager", "anonymise_le"]
    )
    services.event_add(
        locked,
        Evenement.Kind.ANONYMISE,
        details={"pieces": len(pieces), "documents": len(documents)},
    )
    return locked


def _erasable(dossier: Dossier, *, today) -> bool:
    """Say whether the retention erases a filed dossier now: closed, once past its date, or at
    once when no account holds it any more (deleted: ``services.usager_forget``); open (never
    decided, or moved out of a closing status), once left without activity for its
    procedure's retention."""
    if wf.is_final(dossier.version.workflow, dossier.statut):
        if dossier.usager_id is None:
            return True
        return dossier.conserver_jusqu_au is not None and dossier.conserver_jusqu_au < today
    last = timezone.localdate(dossier.modifie_le)
    return services.retention_until(dossier, last) < today


def dossiers_retention_apply(*, now: datetime | None = None, batch: int = 200) -> dict[str, int]:
    """Erase the personal data of the dossiers kept long enough (``_erasable``: closed past
    their date or without an account, open and untouched for their procedure's retention),
    and delete drafts untouched for six months; return the counts (the ``socle demarches
    retention`` command)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"anonymises": 0, "brouillons_supprimes": 0}
    shortest = Demarche.objects.aggregate(m=Min("retention_mois"))["m"] or 0
    # Candidates only (``_erasable`` decides): a month is at least 28 days.
    untouched = now - timedelta(days=28 * shortest)
    due = (
        Dossier.objects.filter(anonymise_le__isnull=True)
        .filter(
            Q(conserver_jusqu_au__lt=today, decide_le__isnull=False)
            | Q(usager__isnull=True)
            | Q(modifie_le__lt=untouched)
        )
        .exclude(statut=BROUILLON)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = 0
    while True:
        pks = list(due.filter(pk__gt=last)[:batch])
        if not pks:
            break
        found = Dossier.objects.filter(pk__in=pks).select_related("version", "demarche")
        for dossier in found.order_by("pk"):
            if _erasable(dossier, today=today):
                dossier_anonymise(dossier, now=now)
                counts["anonymises"] += 1
        last = pks[-1]
    stale = (
        Dossier.objects.filter(statut=BROUILLON, modifie_le__lt=now - DRAFT_LIFETIME)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    while True:
        pks = list(stale[:batch])
        if not pks:
            break
        for dossier in Dossier.objects.filter(pk__in=pks):
            with transaction.atomic():
                draft_delete(dossier)
            counts["brouillons_supprimes"] += 1
    return counts
