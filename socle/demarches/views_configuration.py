"""A member's procedures (`gestion:demarches:…`): the list, adopting a template, a procedure's
presentation, publication and template updates; and the builder pages (form, field, workflow,
preview) shared with the structure's templates (views_modeles.py).

Views stay thin: `membre_view` / `structure_view` check the permission, reads go through the
selectors, writes through ``configuration.py``, whose ValidationError comes back on the form.
A builder page works on an ``Editeur``: the procedure or template, its addresses, and how its
pages are rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socle.citoyen.models import Piece
from socle.citoyen.selectors import PREFILL_SOURCES
from socle.core.forms import add_service_errors
from socle.core.markdown import markdown_to_html
from socle.core.templatetags.socle_kit import badge
from socle.demarches import configuration as conf
from socle.demarches import formulaire as fm
from socle.demarches import workflow as wf
from socle.demarches.forms_configuration import (
    ChampForm,
    DemarcheCreateForm,
    MiseAJourForm,
    PageForm,
    PresentationForm,
    StatutForm,
    TransitionForm,
    TypeForm,
    type_choices,
)
from socle.demarches.models import Demarche, Modele
from socle.demarches.saisie import file_limit_label
from socle.demarches.selectors import (
    demarches_of_membre,
    demarches_on,
    get_demarche_for_user,
    get_modele_for_user,
    latest_versions,
    modeles_published,
)
from socle.membres.decorators import membre_view
from socle.membres.models import Membre
from socle.membres.selectors import membre_services
from socle.membres.views import membre_render

ETAT_TONES: dict[str, str] = {
    Demarche.Etat.BROUILLON: "info",
    Demarche.Etat.PUBLIEE: "succes",
    Demarche.Etat.ARCHIVEE: "neutre",
}


def _errors_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- The builder, shared by procedures and templates ------------------------------------------


@dataclass
class Editeur:
    """What a builder page works on: a procedure or a template, its pages' addresses (fiche,
    formulaire, champ, workflow, apercu), its breadcrumbs and how a page is rendered."""

    cible: Demarche | Modele
    urls: dict[str, str]
    crumbs: list[tuple[str, str]]
    render: Callable[..., HttpResponse]

    def page(self, request, template: str, context: dict, *, title: str, status: int = 200):
        crumbs = [*self.crumbs, (title, "")]
        return self.render(
            request,
            template,
            {"editeur": self, "cible": self.cible, **context},
            title=title,
            crumbs=crumbs,
            status=status,
        )


def _champ_view(champ: fm.Champ, chemin: str, users: set[str]) -> dict[str, Any]:
    condition = champ.condition
    return {
        "champ": champ,
        "chemin": chemin,
        "type_label": fm.TYPES.get(champ.type, champ.type),
        "condition": condition,
        "prerempli": PREFILL_SOURCES.get(champ.prerempli, ""),
        "lu_par_condition": chemin in users,
        "enfants": [_champ_view(sub, f"{chemin}.{sub.cle}", users) for sub in champ.enfants],
    }


def _pages_view(schema: dict[str, Any], bound: tuple[int, PageForm] | None = None) -> list[dict]:
    users = {
        target
        for _n, path, champ in conf.walk(schema)
        if (target := conf.condition_target(schema, path, champ))
    }
    found = []
    for page in fm.pages(schema):
        form = (
            bound[1]
            if bound and bound[0] == page.numero
            else PageForm(
                prefix=f"p{page.numero}", initial={"titre": page.titre, "texte": page.texte}
            )
        )
        found.append(
            {
                "page": page,
                "form": form,
                "type_form": TypeForm(auto_id=f"ajout-{page.numero}-%s"),
                "champs": [_champ_view(c, c.cle, users) for c in page.champs],
            }
        )
    return found


# A field's key path, as the builder's buttons send it (it goes into the redirect's anchor).
PATH_RE = re.compile(r"[a-z][a-z0-9_]{0,49}(\.[a-z][a-z0-9_]{0,49})?")
BUILDER_ACTIONS = {
    "page_modifier",
    "page_ajouter",
    "page_supprimer",
    "page_monter",
    "page_descendre",
    "champ_supprimer",
    "champ_monter",
    "champ_descendre",
}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def builder_page(request, editeur: Editeur) -> HttpResponse:
    """The form builder: pages and fields in order, each with its buttons (all plain forms)."""
    bound_page: tuple[int, PageForm] | None = None
    new_page = PageForm(prefix="nouvelle")
    if request.method == "POST":
        action = request.POST.get("action", "")
        page = _int(request.POST.get("page"))
        if action not in BUILDER_ACTIONS or (page is None and action != "page_ajouter"):
            return HttpResponseBadRequest(_("Action inconnue."))
        chemin = request.POST.get("chemin", "")
        if not PATH_RE.fullmatch(chemin or "x"):
            return HttpResponseBadRequest(_("Ce champ n’existe pas."))
        form: PageForm | None = None
        arguments: dict[str, Any]
        if action == "page_ajouter":
            form = new_page = PageForm(request.POST, prefix="nouvelle")
            operation, arguments = "page_add", {}
        elif action == "page_modifier":
            form = PageForm(request.POST, prefix=f"p{page}")
            bound_page = (page, form)  # type: ignore[assignment]
            operation, arguments = "page_update", {"page": page}
        else:
            kind, verb = action.split("_")
            operation = {"supprimer": f"{kind}_delete"}.get(verb, f"{kind}_move")
            arguments = {"page": page}
            if kind == "champ":
                arguments["chemin"] = chemin
            if verb != "supprimer":
                arguments["direction"] = -1 if verb == "monter" else 1
        anchor = f"#champ-{chemin}" if chemin else f"#page-{page}" if page is not None else ""
        if form is None or form.is_valid():
            if form is not None:
                arguments.update(form.cleaned_data)
            try:
                conf.formulaire_edit(
                    acting_user=request.user,
                    cible=editeur.cible,
                    operation=operation,
                    **arguments,
                )
            except ValidationError as error:
                if form is None:
                    messages.error(request, _errors_message(error))
                    return redirect(editeur.urls["formulaire"] + anchor)
                add_service_errors(form, error)
            else:
                messages.success(request, _("Le formulaire a été enregistré."))
                if action == "page_ajouter":
                    anchor = f"#page-{len(editeur.cible.formulaire.get('pages') or []) - 1}"
                return redirect(editeur.urls["formulaire"] + anchor)
        failed = form
    else:
        failed = None
    return editeur.page(
        request,
        "demarches/configuration/formulaire.html",
        {
            "pages": _pages_view(editeur.cible.formulaire, bound_page),
            "nouvelle_page": new_page,
            "bloc_types": type_choices(in_bloc=True),
            "form": failed,
        },
        title=_("Formulaire"),
        status=400 if failed is not None else 200,
    )


CONDITION_TYPES = frozenset({"oui_non", *fm.CHOICE_TYPES})


def _condition_keys(
    schema: dict[str, Any], *, bloc: str, chemin: str, current: str = ""
) -> list[tuple[str, str]]:
    """The fields a condition may read (yes/no and choices): the block's siblings, then the
    top-level fields; the one the condition reads now is kept whatever its type."""
    found = []
    for _n, path, champ in conf.walk(schema):
        if path == chemin:
            continue
        if champ.get("type") not in CONDITION_TYPES and champ.get("cle") != current:
            continue
        parent, cle = conf.split_path(path)
        if parent and parent != bloc:
            continue
        found.append((cle, f"{champ.get('libelle') or cle} ({cle})"))
    return found


def champ_page(request, editeur: Editeur) -> HttpResponse:
    """Add a field (GET ?page=&type=[&bloc=]) or change one (?page=&chemin=)."""
    source = request.POST if request.method == "POST" else request.GET
    page = _int(source.get("page"))
    chemin = source.get("chemin", "")
    schema = editeur.cible.formulaire
    pages = fm.pages(schema)
    if page is None or not 0 <= page < len(pages):
        return HttpResponseBadRequest(_("Cette page n’existe pas."))
    existing: dict[str, Any] | None = None
    if chemin:
        existing = next((c for n, p, c in conf.walk(schema) if p == chemin and n == page), None)
        if existing is None:
            return HttpResponseBadRequest(_("Ce champ n’existe pas."))
        bloc = conf.split_path(chemin)[0]
        kind = str(existing.get("type"))
    else:
        bloc = source.get("bloc", "")
        kind = source.get("type", "")
        if kind not in fm.TYPES or (bloc and kind == "bloc"):
            return HttpResponseBadRequest(_("Type de champ inconnu."))
        if bloc and not any(c.cle == bloc and c.type == "bloc" for c in pages[page].champs):
            return HttpResponseBadRequest(_("Ce bloc répété n’existe pas sur cette page."))
    options: dict[str, Any] = {
        "kind": kind,
        "in_bloc": bool(bloc),
        "condition_keys": _condition_keys(
            schema,
            bloc=bloc,
            chemin=chemin,
            current=str(((existing or {}).get("condition") or {}).get("champ") or ""),
        ),
    }
    if request.method == "POST":
        form = ChampForm(request.POST, **options)
        if form.is_valid():
            try:
                if existing is not None:
                    conf.formulaire_edit(
                        acting_user=request.user,
                        cible=editeur.cible,
                        operation="champ_update",
                        page=page,
                        chemin=chemin,
                        champ=form.champ(),
                    )
                else:
                    conf.formulaire_edit(
                        acting_user=request.user,
                        cible=editeur.cible,
                        operation="champ_add",
                        page=page,
                        bloc=bloc,
                        champ=form.champ(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Le champ a été enregistré."))
                path = f"{bloc}.{form.cleaned_data['cle']}" if bloc else form.cleaned_data["cle"]
                return redirect(f"{editeur.urls['formulaire']}#champ-{path}")
    elif existing is not None:
        form = ChampForm(initial=ChampForm.initial_from(existing), **options)
    else:
        initial: dict[str, Any] = {"formats": list(fm.DEFAULT_FORMATS)}
        form = ChampForm(initial=initial, **options)
    type_label = fm.TYPES[kind]
    if existing is not None:
        title = _("Modifier le champ « %(libelle)s »") % {
            "libelle": existing.get("libelle") or chemin
        }
    elif bloc:
        title = _("Ajouter un champ « %(type)s » au bloc « %(bloc)s »") % {
            "type": type_label,
            "bloc": bloc,
        }
    else:
        title = _("Ajouter un champ « %(type)s », page %(n)d") % {"type": type_label, "n": page + 1}
    return editeur.page(
        request,
        "demarches/configuration/champ.html",
        {
            "form": form,
            "page_index": page,
            "chemin": chemin,
            "bloc": bloc,
            "kind": kind,
            "type_label": type_label,
        },
        title=title,
        status=400 if form.errors else 200,
    )


MOTIF_LABELS = {
    "non": _lazy("pas de motif"),
    "facultatif": _lazy("motif facultatif"),
    "obligatoire": _lazy("motif obligatoire"),
}
WORKFLOW_ACTIONS = {
    "statut_ajouter",
    "statut_modifier",
    "statut_supprimer",
    "transition_enregistrer",
    "transition_ajouter",
    "transition_supprimer",
}


def _workflow_forms(workflow: dict[str, Any], bound: tuple[str, Any] | None) -> dict[str, Any]:
    """Every form of the workflow page; ``bound`` is (key, form) of the one just posted."""
    posted = dict([bound]) if bound else {}
    statuts = []
    for status in wf.statuses(workflow):
        code = status["code"]
        statuts.append(
            {
                "statut": status,
                "base": code in wf.BUILT_IN,
                "form": posted.get(f"statut-{code}")
                or StatutForm(
                    prefix=f"s-{code}",
                    built_in=code in wf.BUILT_IN,
                    initial={"libelle": status.get("libelle"), "final": status.get("final")},
                ),
            }
        )
    transitions = []
    for index, transition in enumerate(wf.transitions(workflow)):
        key = f"transition-{transition.de}-{transition.vers}"
        transitions.append(
            {
                "index": index,
                "transition": transition,
                "de": wf.status_label(workflow, transition.de),
                "vers": wf.status_label(workflow, transition.vers),
                "motif": MOTIF_LABELS.get(transition.motif, transition.motif),
                "form": posted.get(key)
                or TransitionForm(
                    prefix=f"t{index}",
                    workflow=workflow,
                    fixed=True,
                    initial=TransitionForm.initial_from(transition),
                ),
                "ouvert": key in posted,
            }
        )
    return {
        "statuts": statuts,
        "transitions": transitions,
        "nouveau_statut": posted.get("statut") or StatutForm(prefix="nouveau"),
        "nouvelle_transition": posted.get("transition")
        or TransitionForm(
            prefix="nouvelle",
            workflow=workflow,
            initial={"roles": list(wf.ROLE_CHOICES), "motif": "non"},
        ),
    }


def workflow_page(request, editeur: Editeur) -> HttpResponse:
    """The workflow editor: statuses (the administrator's own added, renamed, removed) and the
    moves between them (who, reason, mail, document)."""
    workflow = editeur.cible.workflow
    bound: tuple[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in WORKFLOW_ACTIONS:
            return HttpResponseBadRequest(_("Action inconnue."))
        code = request.POST.get("code", "")
        index = _int(request.POST.get("index"))
        known = wf.transitions(workflow)
        form: Any = None
        operation, arguments = "", {}
        if action == "statut_ajouter":
            form = StatutForm(request.POST, prefix="nouveau")
            bound = ("statut", form)
            operation = "statut_add"
        elif action in ("statut_modifier", "statut_supprimer"):
            if code not in {s.get("code") for s in wf.statuses(workflow)}:
                return HttpResponseBadRequest(_("Ce statut n’existe pas."))
            operation, arguments = "statut_delete", {"code": code}
            if action == "statut_modifier":
                form = StatutForm(request.POST, prefix=f"s-{code}", built_in=code in wf.BUILT_IN)
                bound = (f"statut-{code}", form)
                operation = "statut_update"
        elif action == "transition_ajouter":
            form = TransitionForm(request.POST, prefix="nouvelle", workflow=workflow)
            bound = ("transition", form)
            operation = "transition_set"
        else:
            if index is None or not 0 <= index < len(known):
                return HttpResponseBadRequest(_("Cette transition n’existe pas."))
            move = known[index]
            operation, arguments = "transition_delete", {"de": move.de, "vers": move.vers}
            if action == "transition_enregistrer":
                form = TransitionForm(
                    request.POST, prefix=f"t{index}", workflow=workflow, fixed=True
                )
                bound = (f"transition-{move.de}-{move.vers}", form)
                operation = "transition_set"
        if form is None or form.is_valid():
            if form is not None:
                arguments = {**arguments, **form.cleaned_data}
            try:
                conf.workflow_edit(
                    acting_user=request.user,
                    cible=editeur.cible,
                    operation=operation,
                    **arguments,
                )
            except ValidationError as error:
                if form is None:
                    messages.error(request, _errors_message(error))
                    return redirect(editeur.urls["workflow"])
                add_service_errors(form, error)
            else:
                messages.success(request, _("Le circuit de traitement a été enregistré."))
                return redirect(editeur.urls["workflow"])
    failed = bound[1] if bound and bound[1].errors else None
    return editeur.page(
        request,
        "demarches/configuration/workflow.html",
        {**_workflow_forms(workflow, bound), "form": failed},
        title=_("Circuit de traitement"),
        status=400 if failed is not None else 200,
    )


def _apercu_champ(champ: fm.Champ, libelles: dict[str, str]) -> dict[str, Any]:
    """A field as the preview shows it: texts ready to read."""
    details = [str(fm.TYPES.get(champ.type, champ.type))]
    if champ.type == "fichier":
        details.append(", ".join(str(f).upper() for f in champ.file_formats))
        details.append(_("%(taille)s au plus") % {"taille": file_limit_label(champ)})
        if champ.raw.get("piece_type"):
            details.append(
                _("joignable depuis le dossier citoyen : %(piece)s")
                % {"piece": dict(Piece.Type.choices).get(champ.raw["piece_type"], "")}
            )
    if champ.type == "bloc":
        details.append(
            _("de %(min)s à %(max)s éléments")
            % {
                "min": champ.raw.get("min_repetitions") or 0,
                "max": champ.raw.get("max_repetitions") or 10,
            }
        )
    condition = ""
    if champ.condition:
        target = str(champ.condition["champ"])
        condition = _("Affiché seulement si « %(champ)s » vaut « %(valeur)s ».") % {
            "champ": libelles.get(target, target),
            "valeur": champ.condition.get("valeur"),
        }
    return {
        "champ": champ,
        "details": " · ".join(details),
        "texte": markdown_to_html(str(champ.raw.get("texte") or ""))
        if champ.type == "texte_explicatif"
        else "",
        "prerempli": PREFILL_SOURCES.get(champ.prerempli, ""),
        "condition": condition,
        "element": champ.raw.get("libelle_element") or _("Élément"),
        "enfants": [_apercu_champ(sub, libelles) for sub in champ.enfants],
    }


def apercu_page(request, editeur: Editeur) -> HttpResponse:
    """The form as the citizen will meet it, read only (labels, help, types, conditions)."""
    schema = editeur.cible.formulaire
    libelles: dict[str, str] = {}
    for _n, path, champ in conf.walk(schema):
        libelles.setdefault(path.split(".")[-1], str(champ.get("libelle") or path))
    pages = [
        {
            "page": page,
            "texte": markdown_to_html(page.texte) if page.texte else "",
            "champs": [_apercu_champ(c, libelles) for c in page.champs],
        }
        for page in fm.pages(schema)
    ]
    return editeur.page(
        request,
        "demarches/configuration/apercu.html",
        {"pages": pages},
        title=_("Aperçu du formulaire"),
    )


# --- A member's pages ---------------------------------------------------------------------------


def _render_membre(membre: Membre):
    """A member's back-office renderer, as the editor's pages call it."""

    def render_page(request, template, context, **options):
        return membre_render(request, membre, template, context, **options)

    return render_page


def _liste_crumb(membre: Membre) -> tuple[str, str]:
    return (_("Démarches en ligne"), reverse("gestion:demarches:liste", args=[membre.slug]))


def _editeur(membre: Membre, demarche: Demarche) -> Editeur:
    def url(name: str) -> str:
        return reverse(f"gestion:demarches:{name}", args=[membre.slug, demarche.slug])

    return Editeur(
        cible=demarche,
        urls={name: url(name) for name in ("fiche", "formulaire", "champ", "workflow", "apercu")},
        crumbs=[_liste_crumb(membre), (demarche.titre, url("fiche"))],
        render=_render_membre(membre),
    )


@membre_view("demarches.configurer", methods=["GET", "HEAD"])
def liste(request, membre):
    """The member's procedures: state, version, template, updates of the template."""
    rows = []
    demarches = list(demarches_of_membre(membre=membre))
    published = latest_versions(demarches)
    for demarche in demarches:
        fiche = reverse("gestion:demarches:fiche", args=[membre.slug, demarche.slug])
        modele = "—"
        if demarche.modele is not None:
            modele = format_html(
                "{} (v{}){}",
                demarche.modele.titre,
                demarche.modele_version or "?",
                badge(_("Mise à jour du modèle disponible"), "attention")
                if conf.modele_update_available(demarche)
                else "",
            )
        version = str(demarche.version) if demarche.version else _("jamais publiée")
        if demarche.version and conf.demarche_unpublished_changes(
            demarche, latest=published.get(demarche.pk)
        ):
            version = format_html("{} {}", version, badge(_("Modifications à publier"), "info"))
        rows.append(
            [
                format_html('<a href="{}">{}</a>', fiche, demarche.titre),
                badge(demarche.get_etat_display(), ETAT_TONES.get(demarche.etat, "neutre")),
                version,
                modele,
            ]
        )
    return _render_membre(membre)(
        request,
        "demarches/configuration/liste.html",
        {
            "rows": rows,
            "columns": [_("Démarche"), _("État"), _("Version publiée"), _("Modèle")],
            "module_actif": demarches_on(membre),
        },
        title=_("Démarches en ligne"),
        crumbs=[(_("Démarches en ligne"), "")],
    )


@membre_view("demarches.configurer", methods=["GET", "HEAD"])
def modeles(request, membre):
    """The structure's published templates, to adopt."""
    adopted = {
        d.modele_id: d
        for d in demarches_of_membre(membre=membre).exclude(etat=Demarche.Etat.ARCHIVEE)
        if d.modele_id
    }
    items = [
        {
            "modele": modele,
            "copie": adopted.get(modele.pk),
            "copie_url": reverse(
                "gestion:demarches:fiche", args=[membre.slug, adopted[modele.pk].slug]
            )
            if modele.pk in adopted
            else "",
        }
        for modele in modeles_published()
    ]
    return _render_membre(membre)(
        request,
        "demarches/configuration/modeles.html",
        {"items": items},
        title=_("Adopter un modèle"),
        crumbs=[_liste_crumb(membre), (_("Adopter un modèle"), "")],
    )


@membre_view("demarches.configurer", methods=["POST"])
def adopter(request, membre, modele):
    """Adopt a template: a draft copy to adapt, then publish."""
    found = get_modele_for_user(user=request.user, code=modele, published=True)
    try:
        demarche = conf.modele_adopt(acting_user=request.user, membre=membre, modele=found)
    except ValidationError as error:
        messages.error(request, _errors_message(error))
        return redirect("gestion:demarches:modeles", slug=membre.slug)
    messages.success(
        request,
        _("Modèle adopté : adaptez la démarche, puis publiez-la quand elle est prête."),
    )
    return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)


@membre_view("demarches.configurer")
def nouvelle(request, membre):
    """Create a procedure of the member's own, blank."""
    form = DemarcheCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            demarche = conf.demarche_create(
                acting_user=request.user,
                membre=membre,
                titre=form.cleaned_data["titre"],
                competence=form.cleaned_data["competence"],
                resume=form.cleaned_data["resume"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Démarche créée : construisez son formulaire."))
            return redirect("gestion:demarches:formulaire", slug=membre.slug, code=demarche.slug)
    return _render_membre(membre)(
        request,
        "demarches/configuration/nouvelle.html",
        {"form": form},
        title=_("Créer une démarche"),
        crumbs=[_liste_crumb(membre), (_("Créer une démarche"), "")],
        status=400 if form.errors else 200,
    )


def presentation_initial(cible: Demarche | Modele) -> dict[str, Any]:
    """Return the presentation form's initial data for a procedure or a template."""
    initial = {
        "titre": cible.titre,
        "resume": cible.resume,
        "description": cible.description,
        "competence": cible.competence_id,
        "retention_mois": cible.retention_mois,
    }
    if isinstance(cible, Demarche):
        initial["service"] = cible.service_id
    return initial


@membre_view("demarches.configurer")
def fiche(request, membre, code):
    """A procedure: its presentation, its state and versions, publish or close, its template."""
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    services = membre_services(membre=membre)
    if request.method == "POST":
        form = PresentationForm(request.POST, services=services)
        if form.is_valid():
            try:
                conf.demarche_update(
                    acting_user=request.user, demarche=demarche, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("La présentation a été enregistrée."))
                return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)
    else:
        form = PresentationForm(initial=presentation_initial(demarche), services=services)
    editeur = _editeur(membre, demarche)
    latest = conf.demarche_latest_version(demarche)
    return editeur.render(
        request,
        "demarches/configuration/fiche.html",
        {
            "editeur": editeur,
            "cible": demarche,
            "form": form,
            "etat": badge(demarche.get_etat_display(), ETAT_TONES.get(demarche.etat, "neutre")),
            "derniere_version": latest,
            "publiee_le": date_format(latest.publiee_le, "SHORT_DATETIME_FORMAT") if latest else "",
            "a_publier": conf.demarche_unpublished_changes(demarche, latest=latest),
            "mise_a_jour": conf.modele_update_available(demarche),
            "module_actif": demarches_on(membre),
        },
        title=demarche.titre,
        crumbs=[_liste_crumb(membre), (demarche.titre, "")],
        status=400 if form.errors else 200,
    )


@membre_view("demarches.configurer")
def formulaire(request, membre, code):
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    return builder_page(request, _editeur(membre, demarche))


@membre_view("demarches.configurer")
def champ(request, membre, code):
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    return champ_page(request, _editeur(membre, demarche))


@membre_view("demarches.configurer")
def workflow(request, membre, code):
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    return workflow_page(request, _editeur(membre, demarche))


@membre_view("demarches.configurer", methods=["GET", "HEAD"])
def apercu(request, membre, code):
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    return apercu_page(request, _editeur(membre, demarche))


@membre_view("demarches.configurer", methods=["POST"])
def publier(request, membre, code):
    """Publish the procedure as it is now (a new version when it changed)."""
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    try:
        version = conf.demarche_publish(acting_user=request.user, demarche=demarche)
    except ValidationError as error:
        messages.error(request, _errors_message(error))
    else:
        messages.success(
            request,
            _("Démarche publiée (version %(n)d) : les habitants peuvent la faire en ligne.")
            % {"n": version.numero},
        )
    return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)


@membre_view("demarches.configurer", methods=["POST"])
def fermer(request, membre, code):
    """Stop offering the procedure (dossiers already filed go on)."""
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    try:
        conf.demarche_close(acting_user=request.user, demarche=demarche)
    except ValidationError as error:
        messages.error(request, _errors_message(error))
    else:
        messages.success(request, _("Démarche fermée : les dossiers déposés restent à instruire."))
    return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)


@membre_view("demarches.configurer")
def mise_a_jour(request, membre, code):
    """The plan of a template update (what follows the template, what is kept), and applying it."""
    demarche = get_demarche_for_user(user=request.user, membre=membre, code=code)
    if demarche.modele is None:
        return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)
    if request.method == "POST":
        # The plan read: its template version and hash (a form without them is a stale one).
        form = MiseAJourForm(request.POST)
        valid = form.is_valid()
        try:
            conf.modele_update_apply(
                acting_user=request.user,
                demarche=demarche,
                version=int(form.cleaned_data["version"]) if valid else 0,
                empreinte=str(form.cleaned_data["empreinte"]) if valid else "",
            )
        except ValidationError as error:
            messages.error(request, _errors_message(error))
        else:
            messages.success(
                request,
                _(
                    "Mise à jour reprise. Vérifiez la démarche, puis publiez-la : les habitants "
                    "voient la version publiée jusque-là."
                ),
            )
            return redirect("gestion:demarches:fiche", slug=membre.slug, code=demarche.slug)
    plan = conf.modele_update_plan(demarche)
    editeur = _editeur(membre, demarche)
    return editeur.page(
        request,
        "demarches/configuration/mise_a_jour.html",
        {
            "plan": plan,
            "modele": demarche.modele,
            "form": MiseAJourForm(
                initial={"version": plan.vers_version, "empreinte": plan.empreinte}
            ),
        },
        title=_("Mise à jour du modèle"),
    )
