"""The structure's procedure templates: /gestion/modeles-demarches/… (names
`demarches-site:modeles…`). The form builder, field, workflow and preview pages are the
members' (views_configuration.py), on a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge
from socle.demarches import configuration as conf
from socle.demarches.forms_configuration import ModeleCreateForm, PresentationForm, PublicationForm
from socle.demarches.models import Modele
from socle.demarches.selectors import (
    get_modele_for_user,
    modeles_latest_versions,
    modeles_with_adoptions,
)
from socle.demarches.views_configuration import (
    Editeur,
    apercu_page,
    builder_page,
    champ_page,
    presentation_initial,
    workflow_page,
)
from socle.membres.decorators import structure_view
from socle.membres.views import membre_crumbs


def _render(request, template, context, *, title, crumbs, status=200):
    return render(
        request,
        template,
        {
            "nav": "gestion",
            "title": title,
            "breadcrumbs": [*membre_crumbs(None), *crumbs],
            **context,
        },
        status=status,
    )


def _liste_crumb() -> tuple[str, str]:
    return (_("Modèles de démarches"), reverse("demarches-site:modeles"))


def _editeur(modele: Modele) -> Editeur:
    names = {
        "fiche": "modele",
        "formulaire": "modele_formulaire",
        "champ": "modele_champ",
        "workflow": "modele_workflow",
        "apercu": "modele_apercu",
    }
    urls = {
        key: reverse(f"demarches-site:{name}", args=[modele.code]) for key, name in names.items()
    }
    return Editeur(
        cible=modele,
        urls=urls,
        crumbs=[_liste_crumb(), (modele.titre, urls["fiche"])],
        render=_render,
    )


@structure_view("demarches.modeles")
def modeles(request):
    """The structure's templates: version, changes to publish, adoptions; create one."""
    form = ModeleCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            modele = conf.modele_create(acting_user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Modèle créé : construisez son formulaire."))
            return redirect("demarches-site:modele_formulaire", code=modele.code)
    rows = []
    listed = list(modeles_with_adoptions())
    latest = modeles_latest_versions(listed)
    for modele in listed:
        version = str(modele.version) if modele.version else _("jamais publié")
        if conf.modele_unpublished_changes(modele, latest=latest.get(modele.pk)):
            version = format_html("{} {}", version, badge(_("Modifications à publier"), "info"))
        rows.append(
            [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("demarches-site:modele", args=[modele.code]),
                    modele.titre,
                ),
                modele.competence.nom,
                version,
                str(modele.nb_adoptions),  # type: ignore[attr-defined]  # annotated
            ]
        )
    return _render(
        request,
        "demarches/modeles/liste.html",
        {
            "rows": rows,
            "columns": [_("Modèle"), _("Compétence"), _("Version publiée"), _("Adoptions")],
            "form": form,
        },
        title=_("Modèles de démarches"),
        crumbs=[(_("Modèles de démarches"), "")],
        status=400 if form.errors else 200,
    )


@structure_view("demarches.modeles", methods=["POST"])
def fournis(request):
    """Install the templates shipped with Socle (or bring untouched ones up to date)."""
    done = conf.modeles_defaults_install(acting_user=request.user)
    created = sum(1 for state in done.values() if state == "cree")
    updated = sum(1 for state in done.values() if state == "mis_a_jour")
    messages.success(
        request,
        _("Modèles fournis : %(crees)d installé(s), %(maj)d mis à jour.")
        % {"crees": created, "maj": updated},
    )
    return redirect("demarches-site:modeles")


@structure_view("demarches.modeles")
def modele(request, code):
    """A template: its presentation, its versions and adoptions, publishing with a note."""
    found = get_modele_for_user(user=request.user, code=code)
    bound = request.POST.get("formulaire") if request.method == "POST" else None
    presentation = PresentationForm(
        request.POST if bound == "presentation" else None,
        initial=None if bound == "presentation" else presentation_initial(found),
    )
    publication = PublicationForm(request.POST if bound == "publication" else None)
    failed: PresentationForm | PublicationForm | None = None
    if bound == "presentation" and presentation.is_valid():
        try:
            conf.modele_update(acting_user=request.user, modele=found, **presentation.cleaned_data)
        except ValidationError as error:
            add_service_errors(presentation, error)
        else:
            messages.success(request, _("La présentation a été enregistrée."))
            return redirect("demarches-site:modele", code=found.code)
    elif bound == "publication" and publication.is_valid():
        try:
            version = conf.modele_publish(
                acting_user=request.user, modele=found, note=publication.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(publication, error)
        else:
            messages.success(
                request,
                _(
                    "Version %(n)d publiée : les collectivités qui ont adopté le modèle voient "
                    "la mise à jour."
                )
                % {"n": version.numero},
            )
            return redirect("demarches-site:modele", code=found.code)
    if bound == "presentation":
        failed = presentation if presentation.errors else None
    elif bound == "publication":
        failed = publication if publication.errors else None
    adoptions = conf.modele_adoptions(found)
    published = list(found.versions.order_by("-numero"))
    versions = [
        [
            str(version.numero),
            date_format(version.publie_le, "SHORT_DATETIME_FORMAT"),
            version.note or "—",
            str(adoptions.get(version.numero, 0)),
        ]
        for version in published
    ]
    editeur = _editeur(found)
    return _render(
        request,
        "demarches/modeles/modele.html",
        {
            "editeur": editeur,
            "cible": found,
            "presentation": presentation,
            "publication": publication,
            "form": failed,
            "versions": versions,
            "version_columns": [
                _("Version"),
                _("Publiée le"),
                _("Note"),
                _("Démarches qui la suivent"),
            ],
            "a_publier": conf.modele_unpublished_changes(
                found, latest=published[0] if published else None
            ),
        },
        title=found.titre,
        crumbs=[_liste_crumb(), (found.titre, "")],
        status=400 if failed is not None else 200,
    )


@structure_view("demarches.modeles")
def modele_formulaire(request, code):
    return builder_page(request, _editeur(get_modele_for_user(user=request.user, code=code)))


@structure_view("demarches.modeles")
def modele_champ(request, code):
    return champ_page(request, _editeur(get_modele_for_user(user=request.user, code=code)))


@structure_view("demarches.modeles")
def modele_workflow(request, code):
    return workflow_page(request, _editeur(get_modele_for_user(user=request.user, code=code)))


@structure_view("demarches.modeles", methods=["GET", "HEAD"])
def modele_apercu(request, code):
    return apercu_page(request, _editeur(get_modele_for_user(user=request.user, code=code)))
