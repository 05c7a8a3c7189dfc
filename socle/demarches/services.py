"""Writes of the démarches module shared by every part: references, history, mail, routing of a
dossier, and the effects of a workflow move. The citizen's filing (``depot.py``), the agents'
instruction (``instruction.py``), the procedures and templates (``configuration.py``), documents
(``documents.py``) and webhooks (``webhooks.py``) build on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.api.models import ApiKey
from socle.citoyen.chiffrement import fichier_store
from socle.comptes.models import User
from socle.core.dates import months_shift
from socle.core.fichiers import CheckedDocument, DocumentRefused, document_check
from socle.core.outbox import outbox_enqueue_email
from socle.demarches import workflow as wf
from socle.demarches.models import (
    BROUILLON,
    DemandePiece,
    Demarche,
    Dossier,
    Envoi,
    Evenement,
    Message,
    PieceJointe,
)
from socle.demarches.selectors import demarches_on
from socle.journal.services import journal_record
from socle.membres.models import Membre, Service
from socle.membres.permissions import grants_for, permission_check
from socle.membres.selectors import membre_by_slug
from socle.membres.services import audit_record
from socle.routage.routing import (
    Holder,
    RoutingError,
    answer_in,
    commune_at,
    resolve_holder,
    route,
)
from socle.territoires.models import Collectivite, Competence
from socle.territoires.selectors import collectivite_by_key


def absolute_url(url_name: str, **kwargs: Any) -> str:
    """Return an absolute address of the site (for mail and PDFs)."""
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs)


def dossier_url(dossier: Dossier) -> str:
    """Return the citizen's page of a dossier (absolute)."""
    return absolute_url("demarches-site:dossier", reference=dossier.reference)


def event_add(
    dossier: Dossier,
    kind: str,
    *,
    acteur: User | None = None,
    visible_usager: bool = False,
    statut_avant: str = "",
    statut_apres: str = "",
    texte: str = "",
    details: dict | None = None,
) -> Evenement:
    """Add a line to a dossier's history (in the caller's transaction)."""
    return Evenement.objects.create(
        dossier=dossier,
        kind=kind,
        acteur=acteur,
        visible_usager=visible_usager,
        statut_avant=statut_avant,
        statut_apres=statut_apres,
        texte=texte,
        details=details or {},
    )


def mail_send(
    dossier: Dossier,
    *,
    to: list[str],
    destinataire: str,
    subject: str,
    template: str = "",
    body: str = "",
    context: dict | None = None,
) -> Envoi | None:
    """Queue a mail about a dossier through the outbox (in the caller's transaction) and keep
    its trace; ``template`` (under demarches/email/) or a ready ``body``. No address, no mail."""
    to = [address for address in to if address and not address.endswith(".invalid")]
    if not to:
        return None
    if template:
        body = render_to_string(
            f"demarches/email/{template}",
            {
                "SITE_NAME": settings.SITE_NAME,
                "SITE_URL": settings.SITE_URL,
                "dossier": dossier,
                "dossier_url": dossier_url(dossier),
                **(context or {}),
            },
        )
    message = outbox_enqueue_email(to=to, subject=subject[:200], body=body)
    return Envoi.objects.create(
        dossier=dossier, message=message, destinataire=destinataire, objet=subject[:200]
    )


# A message's text and attachments, either side's; the attachments' rules also bound a requested
# document.
MESSAGE_MAX = 5000
MESSAGE_FILES_MAX = 5
ATTACHMENT_FORMATS = ("pdf", "jpeg", "png", "odt", "docx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_check(upload, *, accepted=ATTACHMENT_FORMATS) -> CheckedDocument:
    """Check an attachment of a message or a requested document; ValidationError in French."""
    try:
        return document_check(upload, limit=ATTACHMENT_MAX_BYTES, accepted=accepted)
    except DocumentRefused as refused:
        raise ValidationError(
            _("« %(nom)s » : %(raison)s")
            % {"nom": str(getattr(upload, "name", ""))[:100], "raison": refused.message}
        ) from None


def message_check(*, texte: str, files=()) -> tuple[str, list[CheckedDocument]]:
    """Check a message of the citizen or of an agent, every error in one round (keys « texte »
    and « fichiers »); return its text cleaned and its attachments checked."""
    texte = (texte or "").replace("\x00", "").strip()
    errors: dict[str, list[str]] = {}
    if not texte:
        errors["texte"] = [_("Écrivez votre message.")]
    elif len(texte) > MESSAGE_MAX:
        errors["texte"] = [
            _("%(n)d caractères au plus : vous en avez écrit %(m)d.")
            % {"n": MESSAGE_MAX, "m": len(texte)}
        ]
    files = [upload for upload in files or [] if upload]
    checked = []
    if len(files) > MESSAGE_FILES_MAX:
        errors["fichiers"] = [_("%(n)d fichiers au plus par message.") % {"n": MESSAGE_FILES_MAX}]
    else:
        for upload in files:
            try:
                checked.append(attachment_check(upload))
            except ValidationError as error:
                errors.setdefault("fichiers", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return texte, checked


def message_add(
    dossier: Dossier, *, auteur, de_usager: bool, texte: str, checked: list[CheckedDocument]
) -> Message:
    """Write a checked message with its attachments in a locked dossier's thread, with its
    history line (shown to the citizen when the citizen wrote it), in the caller's
    transaction."""
    message = Message.objects.create(
        dossier=dossier, auteur=auteur, de_usager=de_usager, texte=texte
    )
    for document in checked:
        piece_jointe_add(
            dossier=dossier,
            content=document.content,
            nom=document.name,
            type_mime=document.mime,
            message=message,
        )
    event_add(
        dossier,
        Evenement.Kind.MESSAGE,
        acteur=auteur,
        visible_usager=de_usager,
        details={"message": message.pk, "de_usager": de_usager, "pieces": len(checked)},
    )
    dossier.modifie_le = timezone.now()
    dossier.save(update_fields=["modifie_le"])
    return message


def dossier_read_journal(
    *, agent, membre: Membre, dossier: Dossier, data: str, channel: str, request=None
) -> None:
    """Journal someone's sight of the citizen's data in a dossier (an agent on its page, the
    owner of an API key); nothing once the dossier has no account left."""
    if dossier.usager is None:
        return
    journal_record(
        agent=agent,
        citizen=dossier.usager,
        membre=membre,
        data=data,
        channel=channel,
        purpose=_("dossier %(reference)s") % {"reference": dossier.reference},
        request=request,
    )


def audit(acting_user, dossier: Dossier, action: str, **details: Any) -> None:
    """Record an agent's change of a dossier in the member's audit trail."""
    audit_record(
        acting_user=acting_user,
        membre=dossier.membre,
        action=action,
        target=dossier,
        details={"reference": dossier.reference, **details},
    )


def piece_jointe_add(
    *,
    dossier: Dossier,
    content: bytes,
    nom: str,
    type_mime: str,
    champ: str = "",
    message: Message | None = None,
    demande: DemandePiece | None = None,
    depuis_dossier_citoyen: bool = False,
) -> PieceJointe:
    """Store a checked file encrypted and attach it to a dossier (a field's answer, a message's
    attachment or a requested document); the citizen owns it, the collectivité keeps it."""
    fichier = fichier_store(
        content=content, nom=nom, type_mime=type_mime, proprietaire=dossier.usager
    )
    return PieceJointe.objects.create(
        dossier=dossier,
        fichier=fichier,
        champ=champ,
        message=message,
        demande=demande,
        depuis_dossier_citoyen=depuis_dossier_citoyen,
    )


# --- Routing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Who instructs a dossier: the member holding the competence and its service."""

    membre: Membre
    service: Service | None


def _holder_membre(slug: str | None) -> Membre | None:
    membre = membre_by_slug(slug) if slug else None
    if membre is None or not membre.active or not demarches_on(membre):
        return None
    return membre


def _epci_holder(demarche: Demarche, holder: Holder) -> Membre | None:
    """The EPCI holding the competence in the citizen's commune, when it is a member with the
    module on and the procedure's member is that EPCI or one of its communes; else None."""
    if not holder.member or holder.kind != Collectivite.Kind.EPCI:
        return None
    membre = _holder_membre(holder.slug)
    if membre is None:
        return None
    own = demarche.membre.collectivite
    if own.pk == membre.collectivite_id or (
        own.kind == Collectivite.Kind.COMMUNE and own.epci_id == membre.collectivite_id
    ):
        return membre
    return None


def _holder_in(commune_code: str, competence: Competence) -> Holder | None:
    """Who holds the competence in the commune (INSEE code); None for an unknown commune."""
    # From the router's memory, as reports are routed (no query); the database when the router
    # does not have the commune (no boundary known) or not yet the competence (just created).
    try:
        answer = answer_in(commune_code, competence.code)
    except RoutingError:
        answer = None
    if answer is not None:
        return answer.holder
    commune = collectivite_by_key(f"commune:{commune_code}")
    return resolve_holder(commune, competence) if commune is not None else None


def _point_checked(commune_code: str, lat: float | None, lon: float | None) -> bool:
    """Whether the point (given by the client) lies in the address's commune."""
    if lat is None or lon is None or not commune_code:
        return False
    try:
        return commune_at(lat, lon) == commune_code
    except RoutingError:
        return False


def placement_for(
    demarche: Demarche,
    *,
    commune_code: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> Placement:
    """Route a dossier. The procedure's member keeps it, unless the competence is held, in the
    citizen's commune, by an EPCI that is a member with the module on and whose territory holds
    the procedure's member (``eau-potable`` in Pessac → Bordeaux Métropole): then that EPCI.
    The commune decides, never the point (the client gives it): a point is used only when it
    lies in the address's commune, to choose a service by sector. The service is the
    procedure's chosen one, else that sector's, else the member's service for the competence."""
    competence = demarche.competence
    commune_code = str(commune_code or "").strip()
    holder = _holder_in(commune_code, competence) if commune_code else None
    membre = (_epci_holder(demarche, holder) if holder else None) or demarche.membre
    service = None
    if demarche.service_id and membre.pk == demarche.membre_id:
        service = demarche.service
    elif holder is not None and _point_checked(commune_code, lat, lon):
        assert lat is not None and lon is not None
        try:
            result = route(lat, lon, competence.code)
        except RoutingError:
            result = None
        if result is not None and result.service is not None:
            service = Service.objects.filter(pk=result.service.id, membre=membre).first()
    if service is None:
        service = (
            Service.objects.filter(membre=membre, competences=competence).order_by("pk").first()
        )
    return Placement(membre=membre, service=service)


# --- Workflow moves ----------------------------------------------------------------------------


def role_kinds_for(user, dossier: Dossier) -> set[str]:
    """Return the role kinds (agent, administrateur) the user holds for the dossier's member;
    an opérateur counts as administrateur."""
    if user is None or not user.is_authenticated:
        return set()
    grants = grants_for(user)
    # The grants hold the user's current roles by member: no query of their own.
    kinds = set(grants.members.get(dossier.membre_id, set()))
    if grants.has("demarches.modeles"):
        kinds.add("administrateur")
    return kinds


def retention_until(dossier: Dossier, closed_on: date) -> date:
    """Return the day a closed dossier's personal data is to be erased: its closure plus the
    procedure's retention, in calendar months."""
    return months_shift(closed_on, dossier.demarche.retention_mois)


def _mail_text(text: str, dossier: Dossier, *, statut: str, motif: str) -> str:
    values = {
        "reference": dossier.reference,
        "demarche": dossier.version.titre,
        "statut": statut,
        "motif": (_("Motif : %(motif)s") % {"motif": motif}) if motif else "",
        "collectivite": dossier.membre.collectivite.nom,
        "lien": dossier_url(dossier),
    }
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        # An administrator's typo in a placeholder must not stop a decision: send it as typed.
        return text


def transition_apply(
    *,
    dossier: Dossier,
    vers: str,
    acting_user,
    motif: str = "",
    by_platform: bool = False,
    api_key: ApiKey | None = None,
) -> Evenement:
    """Move a locked dossier to another status of its workflow and do what the move does:
    history, mail to the citizen, document, webhooks, retention. Checks the role unless the
    platform itself moves it (filing) or an API key does (its scope replaces the role: see
    `dossier_transition_by_api`, which audits it). Call inside a transaction, the dossier
    locked. Leaving a status whose entering move issued a document (« accepté »: the
    attestation) revokes that document; a later move issuing it again makes a new one."""
    from socle.demarches.documents import document_request, documents_revoke
    from socle.demarches.webhooks import webhooks_notify

    workflow = dossier.version.workflow
    avant = dossier.statut
    transition = wf.transition_find(workflow, avant, vers)
    if not by_platform:
        if transition is None:
            raise ValidationError(
                {
                    "statut": _("Ce dossier ne peut pas passer de « %(de)s » à « %(vers)s ».")
                    % {
                        "de": wf.status_label(workflow, avant),
                        "vers": wf.status_label(workflow, vers),
                    }
                }
            )
        if api_key is None:
            permission_check(acting_user, "demarches.instruire", dossier.membre)
            if not set(transition.roles) & role_kinds_for(acting_user, dossier):
                raise PermissionDenied
        motif = (motif or "").strip()
        if transition.motif == "obligatoire" and not motif:
            raise ValidationError(
                {"motif": _("Motivez cette décision : le motif est envoyé à l’usager.")}
            )
        if transition.motif == "non":
            motif = ""
    now = timezone.now()
    fields = ["statut", "modifie_le"]
    dossier.statut = vers
    dossier.modifie_le = now
    if motif:
        dossier.motif = motif[:5000]
        fields.append("motif")
    if wf.is_final(workflow, vers):
        dossier.decide_le = now
        dossier.conserver_jusqu_au = retention_until(dossier, timezone.localdate())
        fields += ["decide_le", "conserver_jusqu_au"]
    dossier.save(update_fields=fields)
    label = wf.status_label(workflow, vers)
    event = event_add(
        dossier,
        Evenement.Kind.STATUT,
        acteur=None if by_platform or api_key is not None else acting_user,
        visible_usager=True,
        statut_avant=avant,
        statut_apres=vers,
        texte=motif,
        details={"cle_api": api_key.prefix} if api_key is not None else None,
    )
    if transition is not None and transition.courriel_objet and dossier.usager is not None:
        mail_send(
            dossier,
            to=[dossier.usager.email],
            destinataire=Envoi.Destinataire.USAGER,
            subject=_mail_text(transition.courriel_objet, dossier, statut=label, motif=motif),
            body=_mail_text(transition.courriel_texte, dossier, statut=label, motif=motif),
        )
    issued = {t.document for t in wf.transitions(workflow) if t.vers == avant and t.document}
    if issued and vers != avant:
        documents_revoke(dossier=dossier, kinds=issued)
    if transition is not None and transition.document:
        document_request(dossier=dossier, kind=transition.document)
    if not by_platform and api_key is None:
        audit(acting_user, dossier, "dossier.statut", de=avant, vers=vers)
    if avant != BROUILLON:
        # Filing sends its own event (dossier.depose), not a second one.
        webhooks_notify(dossier=dossier, evenement="dossier.statut")
    return event


def dossiers_locking() -> QuerySet[Dossier]:
    """Return dossiers to read under a row lock, with what their writers need (call inside a
    transaction)."""
    # Only the dossier's row is locked (a join would lock its member's row for every dossier of
    # that member); what its callers read comes in the same query.
    return Dossier.objects.select_for_update(of=("self",)).select_related(
        "version",
        "membre__collectivite",
        "demarche__membre__collectivite",
        "demarche__competence",
    )


def dossier_locked(dossier: Dossier) -> Dossier:
    """Return the dossier re-read under a row lock (call inside a transaction)."""
    return dossiers_locking().get(pk=dossier.pk)


def is_draft(dossier: Dossier) -> bool:
    """Say whether a dossier is still the citizen's draft."""
    return dossier.statut == BROUILLON


# --- The citizen's rights (RGPD): called by « Mon espace » (socle.portail) -----------------------


def usager_export(user: User) -> dict[str, Any]:
    """Return everything the démarches module holds about a citizen: ``{"dossiers": [...]}``
    ready for JSON (answers as read, the history shown to them, messages, requests,
    documents), and ``{"fichiers": {"demarches/<reference>/<name>": bytes}}`` for the archive
    (attachments and generated documents, decrypted)."""
    from socle.citoyen.chiffrement import FichierIllisible, fichier_read
    from socle.demarches import formulaire

    found: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    dossiers = (
        Dossier.objects.filter(usager=user)
        .select_related("version", "membre__collectivite")
        .prefetch_related(
            "pieces_jointes__fichier",
            "documents__fichier",
            Prefetch(
                "evenements",
                queryset=Evenement.objects.filter(visible_usager=True).order_by("cree_le", "pk"),
            ),
            Prefetch("messages", queryset=Message.objects.order_by("cree_le", "pk")),
            Prefetch("demandes", queryset=DemandePiece.objects.order_by("cree_le", "pk")),
        )
        .order_by("cree_le", "pk")
    )

    def stamp(value) -> str | None:
        return value.isoformat() if value else None

    def add_file(dossier: Dossier, fichier, prefix: str) -> str | None:
        if fichier is None:
            return None
        path = f"demarches/{dossier.reference}/{prefix}-{fichier.pk}-{fichier.nom}"
        try:
            files[path] = fichier_read(fichier)
        except FichierIllisible:
            return None
        return path

    for dossier in dossiers:
        workflow = dossier.version.workflow
        pieces = {p.pk: p for p in dossier.pieces_jointes.all()}
        paths = {pk: add_file(dossier, p.fichier, "piece") for pk, p in pieces.items()}
        found.append(
            {
                "reference": dossier.reference,
                "demarche": dossier.version.titre,
                "collectivite": dossier.membre.collectivite.nom,
                "statut": wf.status_label(workflow, dossier.statut),
                "cree_le": stamp(dossier.cree_le),
                "depose_le": stamp(dossier.depose_le),
                "decide_le": stamp(dossier.decide_le),
                "motif": dossier.motif,
                "reponses": formulaire.answers_flat(dossier.version.formulaire, dossier.donnees),
                "donnees": dossier.donnees,
                "historique": [
                    {
                        "date": stamp(e.cree_le),
                        "evenement": e.get_kind_display(),
                        "statut": wf.status_label(workflow, e.statut_apres)
                        if e.statut_apres
                        else "",
                        "texte": e.texte,
                    }
                    for e in dossier.evenements.all()
                ],
                "messages": [
                    {
                        "date": stamp(m.cree_le),
                        "de": "usager" if m.de_usager else "service",
                        "texte": m.texte,
                        "pieces_jointes": [
                            paths.get(p.pk) for p in pieces.values() if p.message_id == m.pk
                        ],
                    }
                    for m in dossier.messages.all()
                ],
                "pieces_demandees": [
                    {
                        "libelle": d.libelle,
                        "explication": d.explication,
                        "demandee_le": stamp(d.cree_le),
                        "fournie_le": stamp(d.fournie_le),
                        "annulee_le": stamp(d.annulee_le),
                        "pieces_jointes": [
                            paths.get(p.pk) for p in pieces.values() if p.demande_id == d.pk
                        ],
                    }
                    for d in dossier.demandes.all()
                ],
                "pieces_jointes": [path for path in paths.values() if path],
                "documents": [
                    {
                        "type": doc.get_kind_display(),
                        "code": doc.code,
                        "revoque_le": stamp(doc.revoque_le),
                        "fichier": add_file(dossier, doc.fichier, doc.kind),
                    }
                    for doc in dossier.documents.all()
                ],
            }
        )
    return {"dossiers": found, "fichiers": files}


@transaction.atomic
def usager_forget(user: User) -> dict[str, int]:
    """Before an account is deleted: delete its drafts with their files; erase at once the
    personal data of its closed dossiers (``instruction.dossier_anonymise``: answers, name,
    messages, files, mails); unlink its open ones from the account — the collectivité keeps
    what their instruction needs (answers, the applicant's name as filed, files) until they
    close, and the next retention run then erases it (``dossiers_retention_apply``: a closed
    dossier without an account is not kept). The mails already sent about them lose the
    citizen's address. Return counts."""
    from socle.citoyen.models import FichierChiffre
    from socle.demarches.instruction import dossier_anonymise, dossier_mails_forget, draft_delete

    drafts = list(Dossier.objects.filter(usager=user, statut=BROUILLON))
    for draft in drafts:
        draft_delete(draft)
    anonymised = 0
    still_open: list[int] = []
    filed = Dossier.objects.filter(usager=user).exclude(statut=BROUILLON)
    for dossier in filed.select_related("version").order_by("pk"):
        if wf.is_final(dossier.version.workflow, dossier.statut):
            dossier_anonymise(dossier)
            anonymised += 1
        else:
            still_open.append(dossier.pk)
    Dossier.objects.filter(pk__in=still_open).update(usager=None)
    dossier_mails_forget(still_open)
    # The files of open dossiers stay (the instruction needs them) but are no longer the
    # account's: deleting the citizen's own files leaves the dossiers' copies whole.
    FichierChiffre.objects.filter(proprietaire=user).filter(
        Q(piece_jointe__isnull=False) | Q(document_demarche__isnull=False)
    ).update(proprietaire=None)
    return {
        "brouillons_supprimes": len(drafts),
        "dossiers_anonymises": anonymised,
        "dossiers_detaches": len(still_open),
    }


# --- API: a business application's decisions (socle/demarches/api.py) --------------------------

API_SCOPE_DECIDER = "demarches.decider"


@transaction.atomic
def dossier_transition_by_api(
    *, api_key: ApiKey, dossier: Dossier, vers: str, motif: str = ""
) -> Evenement:
    """Apply a workflow move asked through the API: the key's scope (demarches.decider) stands
    for the agent's role; the move must exist from the current status and follow its motif
    rule (ValidationError on « statut » or « motif », in French). Audited in the member's
    history, naming the key."""
    if (
        not api_key.is_active
        or API_SCOPE_DECIDER not in api_key.scopes
        or (api_key.membre_id is not None and api_key.membre_id != dossier.membre_id)
    ):
        raise PermissionDenied
    dossier = dossier_locked(dossier)
    if is_draft(dossier) or dossier.anonymise_le is not None:
        # A draft is the citizen's (the API never shows it); an anonymised dossier is closed.
        raise PermissionDenied
    avant = dossier.statut
    event = transition_apply(
        dossier=dossier, vers=vers, acting_user=None, motif=motif, api_key=api_key
    )
    audit(
        None,
        dossier,
        "dossier.statut",
        de=avant,
        vers=vers,
        cle_api=api_key.prefix,
        cle_api_nom=api_key.name,
    )
    return event
