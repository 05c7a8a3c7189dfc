"""A member's competences page: who holds each competence; exceptions and transfers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext as _

from socle.membres.decorators import membre_view
from socle.membres.forms import OverrideForm, TransferForm, add_service_errors, alphabetical
from socle.membres.permissions import grants_for
from socle.membres.views import membre_render
from socle.routage.routing import resolve_holders
from socle.routage.services import competence_override_set, competence_transfer_set
from socle.territoires.models import Collectivite, Competence


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


@membre_view("competences.voir")
def competences(request, membre):
    """Who holds each competence; an administrator sets exceptions or transfers."""
    collectivite = membre.collectivite
    can_manage = grants_for(request.user).has("competences.gerer", membre)
    catalogue = sorted(Competence.objects.all(), key=lambda c: alphabetical(c.nom))
    form: OverrideForm | TransferForm | None = None
    status = 200
    posted = request.POST if request.method == "POST" else None
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        form = OverrideForm(posted, commune=collectivite)
    elif collectivite.kind == Collectivite.Kind.EPCI:
        form = TransferForm(posted)

    if request.method == "POST":
        if not can_manage or form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if isinstance(form, OverrideForm):
                    competence_override_set(
                        acting_user=request.user,
                        membre=membre,
                        competence=form.cleaned_data["competence"],
                        holder=form.holder_collectivite(),
                    )
                else:
                    competence_transfer_set(
                        acting_user=request.user,
                        membre=membre,
                        competence=form.cleaned_data["competence"],
                        transferred=form.transferred(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("La règle a été enregistrée."))
                return redirect("gestion:routage:competences", slug=membre.slug)
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
        },
        title=_("Compétences : %(nom)s") % {"nom": collectivite.nom},
        crumbs=(_("Compétences"),),
        status=status,
    )
