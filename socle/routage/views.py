"""A member's competences page: who holds each competence; exceptions and transfers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext as _

from socle.core.forms import add_service_errors
from socle.membres.decorators import membre_view
from socle.membres.forms import OverrideForm, TransferForm
from socle.membres.permissions import grants_for
from socle.membres.views import membre_render
from socle.routage.models import CompetenceChangeRequest
from socle.routage.routing import resolve_holders
from socle.routage.selectors import (
    competence_change_impact,
    competence_requests_for_membre,
    get_competence_request_for_membre,
    impact_lines,
)
from socle.routage.services import (
    competence_change_approve,
    competence_change_check,
    competence_change_refuse,
    competence_change_submit,
)
from socle.territoires.models import Collectivite, Competence, alphabetical


def _holders(commune: Collectivite, competences) -> dict[int, dict]:
    """Who holds each competence in this commune, and whether an exception says so."""
    overridden = set(commune.overrides.values_list("competence_id", flat=True))
    resolved = resolve_holders(commune, competences)
    holders = {}
    for competence in competences:
        holder = resolved[competence.pk]
        holders[competence.pk] = {
            "holder": holder,
            "holder_kind": Collectivite.Kind(holder.kind).label,
            "override": competence.pk in overridden,
        }
    return holders


def _proposal(form: OverrideForm | TransferForm) -> dict:
    """The proposed rule of a valid form, as the services take it."""
    if isinstance(form, OverrideForm):
        return {"transferred": None, "holder": form.holder_collectivite()}
    return {"transferred": form.transferred(), "holder": None}


def _confirmation(request, membre, form, proposal: dict) -> dict:
    """What the confirmation step shows: the effect, and whether others must agree."""
    impact = competence_change_impact(
        membre=membre, competence=form.cleaned_data["competence"], **proposal
    )
    others = [
        party["nom"]
        for party in impact["parties"]
        if party["membre_id"] is not None and party["membre_id"] != membre.pk
    ]
    arbitrates = grants_for(request.user).has("competences.arbitrer", membre)
    return {
        "lines": impact_lines(impact),
        "fingerprint": impact["fingerprint"],
        "fields": [(name, form.data.get(name, "")) for name in form.fields],
        "others": others,
        "applies_now": not others or arbitrates,
        "arbitrates": arbitrates and bool(others),
    }


def _requests(request, membre) -> list[dict]:
    """The pending requests the member made or must decide, with what each would do."""
    grants = grants_for(request.user)
    can_manage = grants.has("competences.gerer", membre)
    arbitrates = grants.has("competences.arbitrer", membre)
    rows = []
    for change in competence_requests_for_membre(membre):
        affected = list(change.affected_members.all())
        agreed = {agreement.membre_id for agreement in change.agreements.all()}
        to_decide = membre in affected and membre.pk not in agreed
        rows.append(
            {
                "request": change,
                "lines": impact_lines(change.impact),
                "requester": change.membre.collectivite.nom,
                "waiting": [m.collectivite.nom for m in affected if m.pk not in agreed],
                "agreed": [m.collectivite.nom for m in affected if m.pk in agreed],
                "can_decide": arbitrates or (can_manage and to_decide),
                "proposal": _proposal_label(change),
            }
        )
    return rows


def _proposal_label(change: CompetenceChangeRequest) -> str:
    nom = change.competence.nom
    if change.kind == CompetenceChangeRequest.Kind.TRANSFER:
        state = {None: _("selon la loi"), True: _("transférée"), False: _("non transférée")}
        return _("%(c)s : %(s)s") % {"c": nom, "s": state[change.transferred]}
    holder = change.holder.nom if change.holder else _("règle générale")
    return _("%(c)s : exercée par %(h)s") % {"c": nom, "h": holder}


@membre_view("competences.voir")
def competences(request, membre):
    """Who holds each competence; an administrator sets exceptions or transfers.

    A change is saved in two steps: the form, then its effect to confirm. When it gives or takes
    the competence from another member, confirming asks that member (unless an opérateur acts).
    """
    collectivite = membre.collectivite
    can_manage = grants_for(request.user).has("competences.gerer", membre)
    catalogue = sorted(Competence.objects.all(), key=lambda c: alphabetical(c.nom))
    form: OverrideForm | TransferForm | None = None
    status = 200
    confirmation = None
    posted = request.POST if request.method == "POST" else None
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        form = OverrideForm(posted, commune=collectivite)
    elif collectivite.kind == Collectivite.Kind.EPCI:
        form = TransferForm(posted)

    if request.method == "POST":
        if not can_manage or form is None:
            raise PermissionDenied
        if form.is_valid():
            proposal = _proposal(form)
            try:
                if request.POST.get("confirmer"):
                    change = competence_change_submit(
                        acting_user=request.user,
                        membre=membre,
                        competence=form.cleaned_data["competence"],
                        fingerprint=request.POST.get("empreinte", ""),
                        **proposal,
                    )
                else:
                    competence_change_check(request.user, membre, proposal["holder"])
                    confirmation = _confirmation(request, membre, form, proposal)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if confirmation is None:
                    if change is None:
                        messages.success(request, _("La règle a été enregistrée."))
                    else:
                        messages.success(
                            request,
                            _(
                                "Ce changement touche d’autres membres : il leur a été "
                                "demandé. Il sera appliqué quand chacun aura donné son accord."
                            ),
                        )
                    return redirect("gestion:routage:competences", slug=membre.slug)
        if confirmation is None:
            status = 400

    table = None
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        holders = _holders(collectivite, catalogue)
        table = {
            "lead": _(
                "Pour chaque compétence, la collectivité qui agit sur le territoire de la "
                "commune. Une exception remplace la règle générale (la loi et les transferts à "
                "l’intercommunalité)."
            ),
            "caption": _("Qui exerce chaque compétence"),
            "columns": [_("Compétence"), _("Exercée par"), _("Exception")],
            "rows": [
                [
                    format_html('{}<br><span class="muted">{}</span>', c.nom, c.description),
                    format_html(
                        '{} <span class="muted">({})</span>',
                        holders[c.pk]["holder"].nom,
                        str(holders[c.pk]["holder_kind"]).lower(),
                    ),
                    _("Oui") if holders[c.pk]["override"] else _("Non"),
                ]
                for c in catalogue
            ],
            "form_title": _("Définir une exception"),
            "submit_label": _("Enregistrer l’exception"),
        }
    elif collectivite.kind == Collectivite.Kind.EPCI:
        transfers = {t.competence_id: t.transferred for t in collectivite.transfers.all()}
        states = {None: "—", True: _("Transférée"), False: _("Non transférée")}
        table = {
            "lead": _(
                "Les compétences que l’intercommunalité exerce pour ses communes : selon la loi "
                "pour son type, ou selon les transferts décidés."
            ),
            "caption": _("Compétences de l’intercommunalité"),
            "columns": [_("Compétence"), _("Selon la loi"), _("Transfert enregistré")],
            "rows": [
                [
                    c.nom,
                    _("Intercommunalité")
                    if collectivite.epci_type in (c.epci_types or [])
                    else _("Communes"),
                    states[transfers.get(c.pk)],
                ]
                for c in catalogue
            ],
            "form_title": _("Enregistrer un transfert"),
            "submit_label": _("Enregistrer le transfert"),
        }
    return membre_render(
        request,
        membre,
        "routage/competences.html",
        {
            "collectivite": collectivite,
            "can_manage": can_manage,
            "table": table,
            "form": form if can_manage else None,
            "confirmation": confirmation,
            "requests": _requests(request, membre),
        },
        title=(_("Erreur : %(title)s") if status == 400 else "%(title)s")
        % {"title": _("Compétences : %(nom)s") % {"nom": collectivite.nom}},
        crumbs=(_("Compétences"),),
        status=status,
    )


@membre_view("competences.gerer", methods=["POST"])
def competence_request_decide(request, membre, pk):
    """Approve or refuse, for this member, a pending change request (POST only)."""
    change = get_competence_request_for_membre(membre, pk)
    decision = request.POST.get("decision")
    try:
        if decision == "approuver":
            change = competence_change_approve(
                acting_user=request.user, change_request=change, membre=membre
            )
        elif decision == "refuser":
            change = competence_change_refuse(
                acting_user=request.user,
                change_request=change,
                membre=membre,
                reason=request.POST.get("motif", "")[:2000],
            )
        else:
            raise ValidationError(_("Choisissez d’approuver ou de refuser la demande."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("gestion:routage:competences", slug=membre.slug)
    text = {
        CompetenceChangeRequest.Status.APPLIED: _("Le changement a été appliqué."),
        CompetenceChangeRequest.Status.REFUSED: _("La demande a été refusée."),
        CompetenceChangeRequest.Status.STALE: _(
            "La situation a changé depuis la demande : elle n’a pas été appliquée."
        ),
        CompetenceChangeRequest.Status.PENDING: _(
            "Votre accord est enregistré ; d’autres membres doivent encore donner le leur."
        ),
    }[CompetenceChangeRequest.Status(change.status)]
    if change.status == CompetenceChangeRequest.Status.STALE:
        messages.error(request, text)
    else:
        messages.success(request, text)
    return redirect("gestion:routage:competences", slug=membre.slug)
