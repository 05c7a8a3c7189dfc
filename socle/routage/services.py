"""Writes on competence rules by a member: who may set them, the agreement of the members
they move work onto or away from, and the audit of it.

The rules' storage is `territoires`' (`competence_override_write`, `competence_transfer_write`).
A change that gives or takes a competence from another member is applied at once only when the
acting user is an opérateur (`competences.arbitrer`); otherwise it becomes a
`CompetenceChangeRequest`, applied once every member it touches agreed, refused otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.core.outbox import outbox_enqueue_email
from socle.membres.models import Membre
from socle.membres.permissions import grants_for, permission_check
from socle.membres.selectors import administrator_emails
from socle.membres.services import audit_record
from socle.routage.models import CompetenceChangeAgreement, CompetenceChangeRequest
from socle.routage.selectors import competence_change_impact, impact_lines
from socle.territoires.models import Collectivite, Competence, RoutingVersion
from socle.territoires.services import competence_override_write, competence_transfer_write

# --- Helpers -----------------------------------------------------------------------------------


def _arbitrates(acting_user, membre: Membre) -> bool:
    """Whether the user decides alone on a change that touches other members (an opérateur)."""
    return acting_user is None or grants_for(acting_user).has("competences.arbitrer", membre)


def _others(impact: dict, membre: Membre) -> list[Membre]:
    """The members other than `membre` that the change gives the competence to or takes from."""
    ids = [pk for pk in impact["members"] if pk != membre.pk]
    return list(Membre.objects.filter(pk__in=ids).select_related("collectivite"))


def _rules_lock() -> None:
    """Serialise changes of competence rules: an effect computed, shown and agreed must be the
    one applied, whatever another member changes at the same time."""
    RoutingVersion.objects.get_or_create(pk=1)
    RoutingVersion.objects.select_for_update().get(pk=1)


def competence_change_check(acting_user, membre: Membre, holder: Collectivite | None) -> None:
    """Refuse what the member may never propose, whoever agrees."""
    permission_check(acting_user, "competences.gerer", membre)
    collectivite = membre.collectivite
    if collectivite.kind not in (Collectivite.Kind.COMMUNE, Collectivite.Kind.EPCI):
        raise ValidationError(
            _("Les compétences se règlent au niveau des communes et des intercommunalités.")
        )
    if (
        collectivite.kind == Collectivite.Kind.COMMUNE
        and holder is not None
        and holder.pk != collectivite.pk
    ):
        # Handing a competence to another collectivité gives it work: only the structure,
        # which hears both sides, records that.
        try:
            permission_check(acting_user, "competences.confier", membre)
        except PermissionDenied:
            raise ValidationError(
                {
                    "holder": _(
                        "Seul un opérateur de la plateforme peut confier cette "
                        "compétence à une autre collectivité."
                    )
                }
            ) from None


def _write_rule(
    *,
    acting_user,
    membre: Membre,
    competence: Competence,
    transferred: bool | None,
    holder: Collectivite | None,
    impact: dict,
    change_request: CompetenceChangeRequest | None = None,
) -> None:
    """Write the rule, and audit it on the member and on every other member it touches."""
    details: dict = {"demande": change_request.pk} if change_request is not None else {}
    if membre.collectivite.kind == Collectivite.Kind.EPCI:
        competence_transfer_write(
            epci=membre.collectivite, competence=competence, transferred=transferred
        )
        audit_record(
            acting_user=acting_user,
            membre=membre,
            action="competence.transfer",
            target=competence,
            details={"transferred": transferred, **details},
        )
    else:
        competence_override_write(commune=membre.collectivite, competence=competence, holder=holder)
        audit_record(
            acting_user=acting_user,
            membre=membre,
            action="competence.override",
            target=competence,
            details={"holder": f"{holder.kind}:{holder.code}" if holder else None, **details},
        )
    for other in _others(impact, membre):
        audit_record(
            acting_user=acting_user,
            membre=other,
            action="competence.change_applied",
            target=competence,
            details={"par": membre.slug, "communes": len(impact["communes"]), **details},
        )


def _notify(change_request: CompetenceChangeRequest, subject: str, opening: str) -> None:
    """Mail the requester and the administrators of every member concerned (in the transaction)."""
    concerned = [change_request.membre, *change_request.affected_members.all()]
    recipients = set(administrator_emails(membres=concerned))
    if change_request.requested_by is not None and change_request.requested_by.email:
        recipients.add(change_request.requested_by.email)
    if not recipients:
        return
    path = reverse("gestion:routage:competences", kwargs={"slug": change_request.membre.slug})
    body = "\n\n".join(
        [
            opening,
            "\n".join(f"- {line}" for line in impact_lines(change_request.impact)),
            _(
                "Les demandes en cours se décident sur la page des compétences de chaque membre "
                "concerné, par exemple : %(url)s"
            )
            % {"url": settings.SITE_URL + path},
        ]
    )
    outbox_enqueue_email(to=sorted(recipients), subject=subject, body=body)


def _concerned(change_request: CompetenceChangeRequest) -> list[Membre]:
    return [change_request.membre, *change_request.affected_members.all()]


# --- Competence rules --------------------------------------------------------------------------


@transaction.atomic
def competence_change_submit(
    *,
    acting_user,
    membre: Membre,
    competence: Competence,
    transferred: bool | None = None,
    holder: Collectivite | None = None,
    fingerprint: str | None = None,
) -> CompetenceChangeRequest | None:
    """Apply a member's rule, or ask the other members it touches: return the request, if any.

    `fingerprint` is the impact's as the acting user confirmed it: when the situation changed
    since, nothing is saved (ValidationError), so that nobody confirms an effect not shown.
    """
    competence_change_check(acting_user, membre, holder)
    _rules_lock()
    impact = competence_change_impact(
        membre=membre, competence=competence, transferred=transferred, holder=holder
    )
    if fingerprint is not None and fingerprint != impact["fingerprint"]:
        raise ValidationError(
            _(
                "La situation a changé depuis l’aperçu : vérifiez l’effet du changement "
                "avant de confirmer."
            ),
            code="stale",
        )
    others = _others(impact, membre)
    if not others or _arbitrates(acting_user, membre):
        _write_rule(
            acting_user=acting_user,
            membre=membre,
            competence=competence,
            transferred=transferred,
            holder=holder,
            impact=impact,
        )
        return None
    is_epci = membre.collectivite.kind == Collectivite.Kind.EPCI
    change_request = CompetenceChangeRequest.objects.create(
        membre=membre,
        requested_by=acting_user,
        competence=competence,
        kind=(
            CompetenceChangeRequest.Kind.TRANSFER
            if is_epci
            else CompetenceChangeRequest.Kind.OVERRIDE
        ),
        transferred=transferred if is_epci else None,
        holder=None if is_epci else holder,
        impact=impact,
    )
    change_request.affected_members.set(others)
    for concerned in _concerned(change_request):
        audit_record(
            acting_user=acting_user,
            membre=concerned,
            action="competence.change_requested",
            target=change_request,
            details={
                "competence": competence.code,
                "par": membre.slug,
                "membres": sorted(m.slug for m in others),
                "communes": len(impact["communes"]),
            },
        )
    _notify(
        change_request,
        _("Changement de compétence à approuver : %(c)s") % {"c": competence.nom},
        _(
            "%(membre)s demande un changement de la compétence %(c)s qui touche d’autres "
            "membres. Il ne sera appliqué qu’avec l’accord de chacun d’eux (ou d’un opérateur)."
        )
        % {"membre": membre.collectivite.nom, "c": competence.nom},
    )
    return change_request


def competence_transfer_set(
    *, acting_user, membre: Membre, competence: Competence, transferred: bool | None
) -> None:
    """Record whether the member (an EPCI) holds a competence for its communes.

    Refused (ValidationError) when it moves work of another member and the acting user is not
    an opérateur: that goes through `competence_change_submit` and the members' agreement.
    """
    _apply_now(acting_user, membre, competence, transferred=transferred, holder=None)


def competence_override_set(
    *, acting_user, membre: Membre, competence: Competence, holder: Collectivite | None
) -> None:
    """Say who holds a competence in the member (a commune); None returns to the defaults.

    Refused like `competence_transfer_set` when another member must agree.
    """
    _apply_now(acting_user, membre, competence, transferred=None, holder=holder)


@transaction.atomic
def _apply_now(
    acting_user,
    membre: Membre,
    competence: Competence,
    *,
    transferred: bool | None,
    holder: Collectivite | None,
) -> None:
    competence_change_check(acting_user, membre, holder)
    _rules_lock()
    impact = competence_change_impact(
        membre=membre, competence=competence, transferred=transferred, holder=holder
    )
    if _others(impact, membre) and not _arbitrates(acting_user, membre):
        raise ValidationError(
            _("Ce changement touche d’autres membres : il leur faut donner leur accord.")
        )
    _write_rule(
        acting_user=acting_user,
        membre=membre,
        competence=competence,
        transferred=transferred,
        holder=holder,
        impact=impact,
    )


def _locked_pending(change_request: CompetenceChangeRequest) -> CompetenceChangeRequest:
    locked = CompetenceChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.status != CompetenceChangeRequest.Status.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return locked


def _decide(locked: CompetenceChangeRequest, acting_user, status: str, reason: str = "") -> None:
    locked.status = status
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])


@transaction.atomic
def competence_change_approve(
    *, acting_user, change_request: CompetenceChangeRequest, membre: Membre
) -> CompetenceChangeRequest:
    """Agree, for `membre`, to a request; apply it once every member agreed.

    An opérateur's approval decides for all. A request whose effect changed since it was asked
    (another rule was set in between) is not applied: it becomes « périmée », and is to be
    asked again.
    """
    _rules_lock()
    arbitrates = _arbitrates(acting_user, membre)
    if not arbitrates:
        permission_check(acting_user, "competences.gerer", membre)
    locked = _locked_pending(change_request)
    affected = list(locked.affected_members.all())
    if not arbitrates:
        if membre not in affected:
            raise PermissionDenied
        if locked.agreements.filter(membre=membre).exists():
            raise ValidationError(_("Votre collectivité a déjà donné son accord."))
    competence = locked.competence
    impact = competence_change_impact(
        membre=locked.membre,
        competence=competence,
        transferred=locked.transferred,
        holder=locked.holder,
    )
    if impact["fingerprint"] != locked.impact.get("fingerprint"):
        _decide(
            locked,
            acting_user,
            CompetenceChangeRequest.Status.STALE,
            _("La situation a changé depuis la demande."),
        )
        for concerned in _concerned(locked):
            audit_record(
                acting_user=acting_user,
                membre=concerned,
                action="competence.change_stale",
                target=locked,
                details={"competence": competence.code},
            )
        _notify(
            locked,
            _("Changement de compétence périmé : %(c)s") % {"c": competence.nom},
            _(
                "La demande de %(membre)s n’a pas été appliquée : la situation a changé depuis. "
                "Elle est à refaire si elle reste utile."
            )
            % {"membre": locked.membre.collectivite.nom},
        )
        return locked
    if not arbitrates:
        CompetenceChangeAgreement.objects.create(
            request=locked, membre=membre, agreed_by=acting_user
        )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="competence.change_approved",
        target=locked,
        details={"competence": competence.code, "operateur": arbitrates},
    )
    agreed = set(locked.agreements.values_list("membre_id", flat=True))
    if not arbitrates and not {m.pk for m in affected} <= agreed:
        return locked
    _write_rule(
        acting_user=acting_user,
        membre=locked.membre,
        competence=competence,
        transferred=locked.transferred,
        holder=locked.holder,
        impact=impact,
        change_request=locked,
    )
    _decide(locked, acting_user, CompetenceChangeRequest.Status.APPLIED)
    _notify(
        locked,
        _("Changement de compétence appliqué : %(c)s") % {"c": competence.nom},
        _("La demande de %(membre)s a été approuvée et appliquée.")
        % {"membre": locked.membre.collectivite.nom},
    )
    return locked


@transaction.atomic
def competence_change_refuse(
    *, acting_user, change_request: CompetenceChangeRequest, membre: Membre, reason: str = ""
) -> CompetenceChangeRequest:
    """Refuse a request for `membre` (an affected member, or an opérateur): nothing changes."""
    arbitrates = _arbitrates(acting_user, membre)
    if not arbitrates:
        permission_check(acting_user, "competences.gerer", membre)
    locked = _locked_pending(change_request)
    if not arbitrates and membre not in locked.affected_members.all():
        raise PermissionDenied
    _decide(locked, acting_user, CompetenceChangeRequest.Status.REFUSED, reason.strip())
    for concerned in _concerned(locked):
        audit_record(
            acting_user=acting_user,
            membre=concerned,
            action="competence.change_refused",
            target=locked,
            details={
                "competence": locked.competence.code,
                "par": membre.slug,
                "motif": reason.strip(),
            },
        )
    _notify(
        locked,
        _("Changement de compétence refusé : %(c)s") % {"c": locked.competence.nom},
        _("La demande de %(membre)s a été refusée par %(par)s.%(motif)s")
        % {
            "membre": locked.membre.collectivite.nom,
            "par": membre.collectivite.nom,
            "motif": (" " + _("Motif : %(m)s") % {"m": reason.strip()}) if reason.strip() else "",
        },
    )
    return locked
