"""Contribution and review of the observatory's projects.

- A member's back office (`/gestion/<member>/observatoire/…`): its projects, the project form,
  its actors, software, contact people, documents and history; submission and withdrawal.
- The structure's back office (`/gestion/observatoire/…`): the review queue, a project as it
  would appear with publish / send back, pending changes field by field, actors and software.
- Public pages: a project's documents (served with safe headers) and the consent pages of the
  contact people (a GET only shows; a POST records).

Views stay thin: the decorators resolve the member and check the permission, reads go through
the selectors, writes through the services (which check again); a service's ValidationError
comes back on the form, in French.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from socle.core import fichiers as documents
from socle.core.forms import add_service_errors
from socle.core.markdown import markdown_to_html
from socle.core.templatetags.socle_kit import badge
from socle.membres.decorators import membre_view, structure_view
from socle.membres.permissions import grants_for
from socle.membres.views import membre_crumbs, membre_render
from socle.observatoire import selectors, services
from socle.observatoire.forms import (
    ActeurForm,
    BaseFinancementFormSet,
    ContactForm,
    DocumentForm,
    FinancementFormSet,
    LogicielAjoutForm,
    LogicielForm,
    LogicielNouveauForm,
    ProjetForm,
    RechercheActeurForm,
    RenvoiForm,
    RevisionForm,
    financements_initial,
    money_text,
)
from socle.observatoire.models import Acteur, Projet, ProjetActeur, Revision
from socle.observatoire.themes import theme_label
from socle.territoires.selectors import collectivite_by_key, collectivite_search

# Room for the form's other fields and the multipart envelope around the file.
BODY_MARGIN = 64 * 1024
PAGE_SIZE = 50

ETAT_TONES: dict[str, str] = {
    Projet.Etat.BROUILLON: "neutre",
    Projet.Etat.SOUMIS: "info",
    Projet.Etat.A_CORRIGER: "attention",
    Projet.Etat.PUBLIE: "succes",
    Projet.Etat.RETIRE: "neutre",
}

FIELD_LABELS = {
    "titre": _lazy("Titre"),
    "resume": _lazy("Résumé"),
    "description": _lazy("Description"),
    "themes": _lazy("Thèmes"),
    "statut": _lazy("Statut"),
    "date_debut": _lazy("Date de début"),
    "date_fin": _lazy("Date de fin"),
    "budget_investissement": _lazy("Budget d’investissement"),
    "budget_fonctionnement": _lazy("Coût de fonctionnement annuel"),
    "financements": _lazy("Financements"),
    "savoir_faire": _lazy("Compétences mobilisées"),
    "resultats": _lazy("Résultats"),
    "enseignements": _lazy("Enseignements"),
    "open_source": _lazy("Code source libre"),
    "specifications_partageables": _lazy("Spécifications partageables"),
    "reutilisation": _lazy("Réutilisation"),
    "depot_code": _lazy("Dépôt du code source"),
    "site_web": _lazy("Site web"),
    "avancement": _lazy("Avancement"),
    "porteur": _lazy("Porteur"),
    "participations": _lazy("Acteurs associés"),
    "logiciels": _lazy("Logiciels et services"),
    "etat": _lazy("Publication"),
    "documents": _lazy("Documents"),
}

ACTION_LABELS = {
    "creation": _lazy("Création"),
    "modification": _lazy("Modification"),
    "soumission": _lazy("Soumission à la relecture"),
    "publication": _lazy("Publication"),
    "a_corriger": _lazy("Renvoi pour correction"),
    "retrait": _lazy("Retrait des pages publiques"),
    "porteur": _lazy("Changement de porteur"),
    "participations": _lazy("Acteurs associés"),
    "logiciels": _lazy("Logiciels et services"),
    "document": _lazy("Documents"),
}

LONG_TEXT = 400


# --- Presentation helpers ----------------------------------------------------------------------


def _date(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y à H:i")
    return date_format(value, "j F Y")


def _euros(value) -> str:
    text = money_text(value)
    return f"{text} €" if text else ""


def change_value(field: str, value: Any, *, full: bool = False) -> str:  # noqa: C901
    """Write a recorded value of a project's field in French (« — » when empty)."""
    if value in (None, "", [], {}):
        return "—"
    if field == "themes":
        return ", ".join(theme_label(code) for code in value)
    if field == "statut":
        return str(dict(Projet.Statut.choices).get(value, value))
    if field == "etat":
        return str(dict(Projet.Etat.choices).get(value, value))
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if field in ("date_debut", "date_fin"):
        return _date(value)
    if field.startswith("budget_"):
        return _euros(value)
    if field == "avancement":
        return f"{value} %"
    if field == "financements":
        return "; ".join(f"{row.get('source', '')} : {_euros(row.get('montant'))}" for row in value)
    if field == "participations":
        roles = dict(ProjetActeur.Role.choices)
        return ", ".join(
            re.sub(r"\((\w+)\)$", lambda m: f"({roles.get(m.group(1), m.group(1))})", str(item))
            for item in value
        )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    if not full and len(text) > LONG_TEXT:
        return text[:LONG_TEXT].rstrip() + "…"
    return text


def revision_changes(revision: Revision, *, full: bool = False) -> list[dict[str, str]]:
    """The changes of a revision, each with its French label, before and after."""
    return [
        {
            "champ": str(FIELD_LABELS.get(name, name)),
            "avant": change_value(name, change.get("avant"), full=full),
            "apres": change_value(name, change.get("apres"), full=full),
        }
        for name, change in (revision.changements or {}).items()
        if isinstance(change, dict)
    ]


def _user_name(user) -> str:
    if user is None:
        return _("la plateforme")
    return user.get_full_name() or user.email


def apercu(projet: Projet, *, public_only: bool = True) -> dict[str, Any]:
    """What a project's public page shows, for the preview in the back offices."""
    participations: dict[str, list[Acteur]] = {}
    for link in selectors.participations_of(projet=projet):
        participations.setdefault(link.get_role_display(), []).append(link.acteur)
    docs = [
        document
        for document in selectors.documents_of_projet(projet=projet)
        if document.public or not public_only
    ]
    return {
        "projet": projet,
        "description_html": markdown_to_html(projet.description),
        "themes": [theme_label(code) for code in projet.themes],
        "dates": (_date(projet.date_debut), _date(projet.date_fin)),
        "budget_investissement": _euros(projet.budget_investissement),
        "budget_fonctionnement": _euros(projet.budget_fonctionnement),
        "financements": [
            {"source": row.get("source", ""), "montant": _euros(row.get("montant"))}
            for row in projet.financements or []
        ],
        "participations": sorted(participations.items()),
        "logiciels": list(projet.logiciels.order_by("nom")),
        "contacts": selectors.contacts_visibles(projet=projet),
        "documents": [_document_row(projet, document) for document in docs],
    }


def _document_row(projet: Projet, document) -> dict[str, Any]:
    kind = documents.document_type_of(document.type_mime)
    return {
        "document": document,
        "url": reverse("observatoire-site:document", args=[projet.slug, document.pk]),
        "type": kind.label if kind is not None else document.type_mime,
        "taille": documents.size_label(document.taille),
    }


def _missing_for_submission(projet: Projet) -> list[str]:
    return [
        label
        for label, present in (
            (_("un résumé"), bool(projet.resume)),
            (_("au moins un thème"), bool(projet.themes)),
            (_("une collectivité ou un acteur porteur"), projet.porteur_id is not None),
        )
        if not present
    ]


# --- Rendering ---------------------------------------------------------------------------------


def _member_page(request, membre, template, context, *, title, trail=(), status=200):
    """Render a page of the member's observatory: breadcrumbs Gestion › member › Observatoire
    › …, and the member's menu."""
    observatoire = (
        _("Observatoire"),
        reverse("gestion:observatoire:projets", args=[membre.slug]),
    )
    return membre_render(
        request,
        membre,
        template,
        context,
        title=title,
        crumbs=(observatoire, *trail),
        status=status,
    )


def _projet_trail(membre, projet: Projet, *pages) -> list[tuple[str, str]]:
    url = reverse("gestion:observatoire:projet", args=[membre.slug, projet.pk])
    return [(projet.titre, url), *((page, "") for page in pages)]


STRUCTURE_MENU = (
    ("observatoire-site:relecture", _lazy("Projets à relire"), "observatoire.relire"),
    ("observatoire-site:acteurs", _lazy("Acteurs"), "observatoire.relire"),
    ("observatoire-site:logiciels_gestion", _lazy("Logiciels et services"), "observatoire.relire"),
    (
        "observatoire-site:configuration_evaluation",
        _lazy("Grille d’évaluation"),
        "observatoire.configurer",
    ),
    (
        "observatoire-site:configuration_maturite",
        _lazy("Questionnaire de maturité"),
        "observatoire.configurer",
    ),
    (
        "observatoire-site:coherence",
        _lazy("Cohérence des feuilles de route"),
        "observatoire.coherence",
    ),
)


def structure_menu(request) -> list[dict]:
    """The structure's observatory menu, as the user's permissions allow."""
    grants = grants_for(request.user)
    entries = []
    for url_name, label, permission in STRUCTURE_MENU:
        held = grants.membre_ids(permission)
        if held is not None and not held:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": label, "url": url, "active": request.path == url})
    return entries


def _structure_page(request, template, context, *, title, trail=(), status=200):
    crumbs = [
        *membre_crumbs(None),
        (_("Observatoire"), reverse("observatoire-site:relecture")),
        *trail,
    ]
    if len(crumbs) == 2:
        crumbs[-1] = (crumbs[-1][0], "")
    return render(
        request,
        template,
        {
            "nav": "gestion",
            "title": title,
            "breadcrumbs": crumbs,
            "menu": structure_menu(request),
            "menu_label": _("Menu de l’observatoire"),
            **context,
        },
        status=status,
    )


def _projet_of(request, membre, pk: int) -> Projet:
    return selectors.get_projet_for_user(user=request.user, membre=membre, pk=pk)


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- A member's projects -----------------------------------------------------------------------


@membre_view("observatoire.contribuer", methods=["GET", "HEAD"])
def projets(request, membre):
    """The member's projects: state of publication, status, changes waiting for review."""
    rows = []
    for projet in selectors.projets_back_office(membre=membre):
        url = reverse("gestion:observatoire:projet", args=[membre.slug, projet.pk])
        waiting = getattr(projet, "en_attente", 0)
        rows.append(
            [
                format_html('<a href="{}">{}</a>', url, projet.titre),
                projet.get_statut_display(),
                badge(projet.get_etat_display(), ETAT_TONES.get(projet.etat, "neutre")),
                badge(_("%(n)d en attente de relecture") % {"n": waiting}, "attention")
                if waiting
                else "—",
                _date(projet.modifie_le),
            ]
        )
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projets.html",
        {
            "columns": [
                _("Projet"),
                _("Statut"),
                _("Publication"),
                _("Modifications"),
                _("Dernière modification"),
            ],
            "rows": rows,
        },
        title=_("Observatoire : nos projets"),
        trail=[],
    )


def _projet_forms(request, projet: Projet | None):
    posted = request.method == "POST"
    formset = cast(
        BaseFinancementFormSet,
        FinancementFormSet(
            request.POST if posted else None,
            prefix="financements",
            initial=None if posted else financements_initial(projet),
        ),
    )
    form = ProjetForm(
        request.POST if posted else None,
        initial=ProjetForm.initial_of(projet) if (projet is not None and not posted) else None,
        financements=formset,
        projet=projet,
    )
    return form, formset


def _forms_valid(form, formset) -> bool:
    # Both are checked, so that every error shows in one round.
    form_ok = form.is_valid()
    formset_ok = formset.is_valid()
    return form_ok and formset_ok


def _projet_form_page(request, membre, projet, form, formset, *, preview, status):
    title = projet.titre if projet else _("Le projet")
    page_title = _("Modifier le projet") if projet else _("Nouveau projet")
    trail = _projet_trail(membre, projet, _("Modifier")) if projet else [(_("Nouveau projet"), "")]
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_form.html",
        {
            "projet": projet,
            "form": form,
            "formset": formset,
            "preview": preview,
            "en_attente": list(selectors.revisions_en_attente_of(projet=projet)) if projet else [],
            "action": (
                reverse("gestion:observatoire:projet_modifier", args=[membre.slug, projet.pk])
                if projet
                else reverse("gestion:observatoire:projet_nouveau", args=[membre.slug])
            ),
            "cancel_url": (
                reverse("gestion:observatoire:projet", args=[membre.slug, projet.pk])
                if projet
                else reverse("gestion:observatoire:projets", args=[membre.slug])
            ),
            "form_title": title,
        },
        title=page_title,
        trail=trail,
        status=status,
    )


def _preview_of(request):
    if request.method == "POST" and "apercu" in request.POST:
        # As long as the field allows, no longer (Markdown's time grows faster than its text).
        return markdown_to_html(request.POST.get("description", "")[: services.TEXT_MAX])
    return None


@membre_view("observatoire.contribuer")
def projet_nouveau(request, membre):
    """Draft a project of the member."""
    form, formset = _projet_forms(request, None)
    preview = _preview_of(request)
    if request.method == "POST" and preview is None and _forms_valid(form, formset):
        data = dict(form.project_data)
        titre = data.pop("titre")
        try:
            projet = services.projet_create(
                acting_user=request.user, membre=membre, titre=titre, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Projet « %(t)s » enregistré comme brouillon. Complétez-le (acteurs, "
                    "logiciels, contacts, documents), puis soumettez-le à la relecture."
                )
                % {"t": projet.titre},
            )
            return redirect("gestion:observatoire:projet", slug=membre.slug, pk=projet.pk)
    errors = request.method == "POST" and preview is None
    return _projet_form_page(
        request,
        membre,
        None,
        form,
        formset,
        preview=preview,
        status=400 if errors else 200,
    )


@membre_view("observatoire.contribuer")
def projet_modifier(request, membre, pk):
    """Change a project's page; on a published one, text changes wait for the review."""
    projet = _projet_of(request, membre, pk)
    form, formset = _projet_forms(request, projet)
    preview = _preview_of(request)
    if request.method == "POST" and preview is None and _forms_valid(form, formset):
        try:
            revision = services.projet_update(
                acting_user=request.user, projet=projet, **form.project_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if revision is None:
                messages.info(request, _("Aucune modification à enregistrer."))
            elif revision.etat == Revision.Etat.EN_ATTENTE:
                messages.success(
                    request,
                    _(
                        "Modifications envoyées à la relecture de la structure : la page "
                        "publique reste inchangée jusqu’à leur acceptation (le statut et les "
                        "dates, eux, s’appliquent tout de suite)."
                    ),
                )
            else:
                messages.success(request, _("Projet enregistré."))
            return redirect("gestion:observatoire:projet", slug=membre.slug, pk=projet.pk)
    errors = request.method == "POST" and preview is None
    return _projet_form_page(
        request,
        membre,
        projet,
        form,
        formset,
        preview=preview,
        status=400 if errors else 200,
    )


def _sub_pages(membre, projet: Projet) -> list[tuple[str, str, str]]:
    """Every page about a project: (label, url, what it holds)."""
    args = [membre.slug, projet.pk]

    def url(name: str, **kwargs) -> str:
        try:
            return reverse(f"gestion:observatoire:{name}", kwargs={"slug": membre.slug, **kwargs})
        except NoReverseMatch:
            return ""

    pages = [
        (
            _("Description"),
            reverse("gestion:observatoire:projet_modifier", args=args),
            _("Titre, résumé, thèmes, statut, dates, budget, résultats, réutilisation."),
        ),
        (
            _("Acteurs"),
            reverse("gestion:observatoire:projet_acteurs", args=args),
            _("Porteur, collectivités concernées, partenaires."),
        ),
        (
            _("Logiciels et services"),
            reverse("gestion:observatoire:projet_logiciels", args=args),
            _("Ce que le projet utilise, et si vous en êtes référents."),
        ),
        (
            _("Contacts"),
            reverse("gestion:observatoire:projet_contacts", args=args),
            _("Qui appeler ; chaque personne donne son accord avant d’apparaître."),
        ),
        (
            _("Documents"),
            reverse("gestion:observatoire:projet_documents", args=args),
            _("Cahier des charges, bilan, présentation…"),
        ),
        (
            _("Évaluation ex ante"),
            url("evaluation", pk=projet.pk, kind="ex-ante"),
            _("Analyse de la valeur avant le projet : radar et rentabilité."),
        ),
        (
            _("Suivi"),
            url("suivi", pk=projet.pk),
            _("Avancement, jalons et indicateurs."),
        ),
        (
            _("Évaluation ex post"),
            url("evaluation", pk=projet.pk, kind="ex-post"),
            _("La même analyse, une fois le projet réalisé."),
        ),
        (
            _("Historique"),
            reverse("gestion:observatoire:projet_historique", args=args),
            _("Chaque modification, et celles qui attendent la relecture."),
        ),
    ]
    return [page for page in pages if page[1]]


@membre_view("observatoire.contribuer", methods=["GET", "HEAD"])
def projet(request, membre, pk):
    """A project: where it stands in the review, every page about it, what it will show."""
    found = _projet_of(request, membre, pk)
    public_url = (
        reverse("observatoire-site:projet", args=[found.slug])
        if found.etat == Projet.Etat.PUBLIE
        else ""
    )
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet.html",
        {
            "projet": found,
            "etat_badge": badge(found.get_etat_display(), ETAT_TONES.get(found.etat, "neutre")),
            "sous_pages": _sub_pages(membre, found),
            "en_attente": list(selectors.revisions_en_attente_of(projet=found)),
            "manque": _missing_for_submission(found),
            "peut_soumettre": found.etat
            in (Projet.Etat.BROUILLON, Projet.Etat.A_CORRIGER, Projet.Etat.RETIRE),
            "peut_retirer": found.etat == Projet.Etat.PUBLIE,
            "public_url": public_url,
            **apercu(found, public_only=False),
        },
        title=found.titre,
        trail=_projet_trail(membre, found)[:1],
    )


@membre_view("observatoire.contribuer", methods=["POST"])
def projet_soumettre(request, membre, pk):
    """Send the project to the structure's review."""
    found = _projet_of(request, membre, pk)
    try:
        services.projet_submit(acting_user=request.user, projet=found)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Projet soumis : la structure le relit avant de le publier. Vous serez prévenu "
                "par courriel."
            ),
        )
    return redirect("gestion:observatoire:projet", slug=membre.slug, pk=found.pk)


@membre_view("observatoire.contribuer", methods=["POST"])
def projet_retirer(request, membre, pk):
    """Take the project off the public pages."""
    found = _projet_of(request, membre, pk)
    try:
        services.projet_withdraw(acting_user=request.user, projet=found)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Projet retiré des pages publiques. Soumettez-le à nouveau pour le republier."),
        )
    return redirect("gestion:observatoire:projet", slug=membre.slug, pk=found.pk)


# --- Actors of a project -----------------------------------------------------------------------


def _acteur_from_post(request) -> Acteur | None:
    """The actor a form names: an existing one (`acteur`), or a collectivité of the loaded
    territory (`collectivite`, "kind:code"), whose actor is made from it if needed."""
    if request.POST.get("acteur"):
        try:
            return selectors.acteur_get(pk=int(request.POST["acteur"]))
        except (TypeError, ValueError):
            return None
    key = request.POST.get("collectivite", "")
    collectivite = collectivite_by_key(key) if key else None
    if collectivite is None:
        return None
    return services.acteur_ensure_collectivite(collectivite=collectivite)


def _acteurs_post(request, membre, projet: Projet) -> None:
    action = request.POST.get("action", "")
    current = [(link.acteur, link.role) for link in selectors.participations_of(projet=projet)]
    if action == "porteur_membre":
        porteur = services.acteur_ensure_membre(membre=membre)
        services.projet_porteur_set(acting_user=request.user, projet=projet, porteur=porteur)
        messages.success(request, _("%(n)s porte le projet.") % {"n": porteur.nom})
        return
    if action == "retirer":
        try:
            pk = int(request.POST.get("participation", ""))
        except ValueError:
            raise BadRequest from None
        links = list(selectors.participations_of(projet=projet))
        if not any(link.pk == pk for link in links):
            raise Http404
        services.projet_participations_set(
            acting_user=request.user,
            projet=projet,
            participations=[(link.acteur, link.role) for link in links if link.pk != pk],
        )
        messages.success(request, _("Acteur retiré du projet."))
        return
    acteur = _acteur_from_post(request)
    if acteur is None:
        messages.error(request, _("Choisissez un acteur dans les résultats de la recherche."))
        return
    if action == "porteur":
        services.projet_porteur_set(acting_user=request.user, projet=projet, porteur=acteur)
        messages.success(request, _("%(n)s porte le projet.") % {"n": acteur.nom})
    elif action == "ajouter":
        role = request.POST.get("role", "")
        if role not in ProjetActeur.Role.values:
            messages.error(request, _("Choisissez le rôle de cet acteur dans le projet."))
            return
        services.projet_participations_set(
            acting_user=request.user, projet=projet, participations=[*current, (acteur, role)]
        )
        messages.success(
            request,
            _("%(n)s ajouté : %(r)s.") % {"n": acteur.nom, "r": ProjetActeur.Role(role).label},
        )
    else:
        raise BadRequest


@membre_view("observatoire.contribuer")
def projet_acteurs(request, membre, pk):
    """The carrier, the collectivités involved and the partners of a project."""
    found = _projet_of(request, membre, pk)
    if request.method == "POST":
        try:
            _acteurs_post(request, membre, found)
        except ValidationError as error:
            _error_messages(request, error)
        url = reverse("gestion:observatoire:projet_acteurs", args=[membre.slug, found.pk])
        query = request.POST.get("q", "")
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    search = RechercheActeurForm(request.GET or None)
    acteurs: list[Acteur] = []
    collectivites = []
    q = ""
    if search.is_valid():
        q = search.cleaned_data["q"]
        acteurs = selectors.acteurs_search(q=q)
        known = {acteur.collectivite_id for acteur in acteurs if acteur.collectivite_id}
        collectivites = [
            {"c": c, "key": f"{c.kind}:{c.code}"}
            for c in collectivite_search(q, limit=10)
            if c.pk not in known and not hasattr(c, "acteur_observatoire")
        ]
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_acteurs.html",
        {
            "projet": found,
            "participations": list(selectors.participations_of(projet=found)),
            "search": search,
            "q": q,
            "acteurs": acteurs,
            "collectivites": collectivites,
            "roles": ProjetActeur.Role.choices,
            "membre_porteur": found.porteur is not None and found.porteur.membre_id == membre.pk,
        },
        title=_("Acteurs du projet"),
        trail=_projet_trail(membre, found, _("Acteurs")),
    )


# --- Software of a project ---------------------------------------------------------------------


def _logiciels_post(request, membre, projet: Projet, form: LogicielAjoutForm | None) -> bool:
    """Handle the software page's forms; return True when done (redirect)."""
    action = request.POST.get("action", "")
    current = list(projet.logiciels.all())
    if action == "ajouter":
        assert form is not None
        if not form.is_valid():
            return False
        try:
            logiciel = services.logiciel_ensure(
                acting_user=request.user, nom=form.cleaned_data["nom"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        if logiciel not in current:
            services.projet_logiciels_set(
                acting_user=request.user, projet=projet, logiciels=[*current, logiciel]
            )
        acteur = services.acteur_ensure_membre(membre=membre)
        usage = selectors.usages_of_acteur(acteur=acteur).get(logiciel.pk)
        if usage is None or form.cleaned_data["referent"]:
            services.logiciel_usage_set(
                acting_user=request.user,
                logiciel=logiciel,
                acteur=acteur,
                referent=form.cleaned_data["referent"] or bool(usage and usage.referent),
            )
        messages.success(request, _("« %(n)s » ajouté au projet.") % {"n": logiciel.nom})
        return True
    try:
        pk = int(request.POST.get("logiciel", ""))
    except ValueError:
        raise BadRequest from None
    chosen = next((item for item in current if item.pk == pk), None)
    if chosen is None:
        raise Http404
    logiciel = chosen
    if action == "retirer":
        services.projet_logiciels_set(
            acting_user=request.user,
            projet=projet,
            logiciels=[item for item in current if item.pk != pk],
        )
        messages.success(request, _("« %(n)s » retiré du projet.") % {"n": logiciel.nom})
    elif action == "referent":
        referent = request.POST.get("referent") == "1"
        acteur = services.acteur_ensure_membre(membre=membre)
        services.logiciel_usage_set(
            acting_user=request.user, logiciel=logiciel, acteur=acteur, referent=referent
        )
        messages.success(
            request,
            (
                _("Vous êtes référents de « %(n)s ».")
                if referent
                else _("Vous n’êtes plus référents de « %(n)s ».")
            )
            % {"n": logiciel.nom},
        )
    else:
        raise BadRequest
    return True


@membre_view("observatoire.contribuer")
def projet_logiciels(request, membre, pk):
    """The software and services a project uses; whether the member is their referent."""
    found = _projet_of(request, membre, pk)
    posted = request.method == "POST"
    form = LogicielAjoutForm(
        request.POST if posted and request.POST.get("action") == "ajouter" else None
    )
    if posted and _logiciels_post(request, membre, found, form):
        return redirect("gestion:observatoire:projet_logiciels", slug=membre.slug, pk=found.pk)
    usages = selectors.usages_of_acteur(acteur=selectors.acteur_of_membre(membre=membre))
    rows = [
        {"logiciel": logiciel, "usage": usages.get(logiciel.pk)}
        for logiciel in found.logiciels.order_by("nom")
    ]
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_logiciels.html",
        {
            "projet": found,
            "rows": rows,
            "form": form,
            "noms": selectors.logiciels_noms(),
        },
        title=_("Logiciels et services du projet"),
        trail=_projet_trail(membre, found, _("Logiciels et services")),
        status=400 if form.errors else 200,
    )


# --- Contact people of a project ---------------------------------------------------------------


def _consent_state(contact) -> tuple[str, str]:
    """(label, badge tone) of a contact person's consent."""
    if contact.consentement_retire_le is not None:
        return (
            _("Accord retiré le %(d)s") % {"d": _date(contact.consentement_retire_le)},
            "erreur",
        )
    if contact.consentement_le is not None:
        return (
            _("Accord donné le %(d)s : visible") % {"d": _date(contact.consentement_le)},
            "succes",
        )
    return (
        _("Accord demandé le %(d)s : pas encore visible")
        % {"d": _date(contact.consentement_demande_le)},
        "attention",
    )


def _contacts_post(request, membre, projet: Projet, form: ContactForm) -> bool:
    action = request.POST.get("action", "")
    if action == "ajouter":
        if not form.is_valid():
            return False
        data = form.cleaned_data
        acteur = services.acteur_ensure_membre(membre=membre)
        try:
            contact = services.contact_create(
                acting_user=request.user,
                acteur=acteur,
                nom=data["nom"],
                email=data["email"],
                fonction=data["fonction"],
                telephone=data["telephone"],
                consent_now=data["moi"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        services.projet_contact_add(
            acting_user=request.user, projet=projet, contact=contact, role=data["role"]
        )
        if data["moi"]:
            messages.success(request, _("Vous êtes contact du projet, avec votre accord."))
        else:
            messages.success(
                request,
                _(
                    "Un courriel demande son accord à %(n)s : son nom n’apparaîtra qu’une fois "
                    "cet accord donné."
                )
                % {"n": contact.nom},
            )
        return True
    own = selectors.acteur_of_membre(membre=membre)
    try:
        pk = int(request.POST.get("contact", ""))
    except ValueError:
        raise BadRequest from None
    if action == "existant":
        known = selectors.contacts_of_acteur(acteur=own).filter(pk=pk).first() if own else None
        if known is None:
            raise Http404
        services.projet_contact_add(
            acting_user=request.user,
            projet=projet,
            contact=known,
            role=request.POST.get("role", ""),
        )
        messages.success(request, _("%(n)s ajouté aux contacts du projet.") % {"n": known.nom})
        return True
    link = selectors.contacts_of_projet(projet=projet).filter(contact_id=pk).first()
    if link is None:
        raise Http404
    if action == "retirer":
        services.projet_contact_remove(
            acting_user=request.user, projet=projet, contact=link.contact
        )
        messages.success(
            request, _("%(n)s n’est plus contact du projet.") % {"n": link.contact.nom}
        )
    elif action == "retirer_accord":
        services.contact_consent_withdraw(contact=link.contact, acting_user=request.user)
        messages.success(
            request,
            _("L’accord de %(n)s est retiré : son nom n’apparaît plus nulle part.")
            % {"n": link.contact.nom},
        )
    else:
        raise BadRequest
    return True


@membre_view("observatoire.contribuer")
def projet_contacts(request, membre, pk):
    """Who to call about a project, and where each person's consent stands."""
    found = _projet_of(request, membre, pk)
    posted = request.method == "POST"
    form = ContactForm(
        request.POST if posted and request.POST.get("action") == "ajouter" else None,
        user=request.user,
    )
    if posted and _contacts_post(request, membre, found, form):
        return redirect("gestion:observatoire:projet_contacts", slug=membre.slug, pk=found.pk)
    links = list(selectors.contacts_of_projet(projet=found))
    on_project = {link.contact_id for link in links}
    acteur = selectors.acteur_of_membre(membre=membre)
    known = [
        contact
        for contact in (selectors.contacts_of_acteur(acteur=acteur) if acteur else [])
        if contact.pk not in on_project and contact.consentement_retire_le is None
    ]
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_contacts.html",
        {
            "projet": found,
            "contacts": [{"link": link, "etat": _consent_state(link.contact)} for link in links],
            "connus": known,
            "form": form,
        },
        title=_("Contacts du projet"),
        trail=_projet_trail(membre, found, _("Contacts")),
        status=400 if form.errors else 200,
    )


# --- Documents ---------------------------------------------------------------------------------


@membre_view("observatoire.contribuer")
def projet_documents(request, membre, pk):
    """A project's documents, and the upload of a new one (type and size checked)."""
    found = _projet_of(request, membre, pk)
    limit = services.document_max_bytes()
    status = 200
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > (
        limit + BODY_MARGIN
    ):
        # Refused before the body is read.
        form = DocumentForm()
        form.full_clean()
        form.cleaned_data = {}
        form.add_error(
            "fichier",
            _("Ce fichier dépasse la taille permise (%(limite)s).")
            % {"limite": documents.size_label(limit)},
        )
        status = 413
    elif request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_add(
                    acting_user=request.user,
                    projet=found,
                    upload=form.cleaned_data["fichier"],
                    public=form.cleaned_data["public"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Document « %(n)s » ajouté.") % {"n": document.nom})
                return redirect(
                    "gestion:observatoire:projet_documents", slug=membre.slug, pk=found.pk
                )
        status = 400
    else:
        form = DocumentForm()
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_documents.html",
        {
            "projet": found,
            "form": form,
            "documents": [
                _document_row(found, document)
                for document in selectors.documents_of_projet(projet=found)
            ],
        },
        title=_("Documents du projet"),
        trail=_projet_trail(membre, found, _("Documents")),
        status=status,
    )


@membre_view("observatoire.contribuer", methods=["POST"])
def projet_document_supprimer(request, membre, pk, document):
    """Remove a document of the project."""
    found = _projet_of(request, membre, pk)
    doc = selectors.get_document_for_user(user=request.user, projet=found, pk=document)
    nom = doc.nom
    services.document_delete(acting_user=request.user, document=doc)
    messages.success(request, _("Document « %(n)s » supprimé.") % {"n": nom})
    return redirect("gestion:observatoire:projet_documents", slug=membre.slug, pk=found.pk)


# --- History -----------------------------------------------------------------------------------


REVISION_TONES: dict[str, str] = {
    Revision.Etat.EN_ATTENTE: "attention",
    Revision.Etat.REFUSEE: "erreur",
}


def _revision_item(revision: Revision) -> dict[str, Any]:
    tone = REVISION_TONES.get(revision.etat)
    return {
        "revision": revision,
        "action": str(ACTION_LABELS.get(revision.action, revision.action)),
        "auteur": _user_name(revision.auteur),
        "quand": _date(revision.cree_le),
        "etat": badge(revision.get_etat_display(), tone) if tone else "",
        "changements": revision_changes(revision),
    }


@membre_view("observatoire.contribuer", methods=["GET", "HEAD"])
def projet_historique(request, membre, pk):
    """Every change of a project, newest first; pending and refused ones marked."""
    found = _projet_of(request, membre, pk)
    page = Paginator(selectors.projet_historique(projet=found), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _member_page(
        request,
        membre,
        "observatoire/contrib/projet_historique.html",
        {
            "projet": found,
            "page": page,
            "revisions": [_revision_item(revision) for revision in page.object_list],
        },
        title=_("Historique du projet"),
        trail=_projet_trail(membre, found, _("Historique")),
    )


# --- Public: documents and consent -------------------------------------------------------------


@require_safe
def document(request, slug, pk):
    """Serve a document: public ones of published projects to anyone, the others to the
    project's contributors and the structure; as an attachment, with its checked type."""
    found, public = selectors.document_for_download(user=request.user, slug=slug, pk=pk)
    try:
        return documents.document_response(found, public=public)
    except FileNotFoundError:
        raise Http404 from None


def _consent_page(request, template, context, *, title, status=200):
    return render(
        request,
        f"observatoire/contrib/{template}",
        {"title": title, **context},
        status=status,
    )


def _consent_link_invalid(request, expired: bool):
    if expired:
        return _consent_page(
            request,
            "contact_lien.html",
            {"expire": True},
            title=_("Ce lien a expiré"),
            status=400,
        )
    return _consent_page(
        request,
        "contact_lien.html",
        {"expire": False},
        title=_("Ce lien n’est pas valide"),
        status=404,
    )


def _consent_context(contact) -> dict[str, Any]:
    return {
        "contact": contact,
        "texte": services.CONSENT_TEXT,
        "projets": [
            link.projet.titre for link in contact.projets.select_related("projet").order_by("pk")
        ],
    }


@require_http_methods(["GET", "HEAD", "POST"])
def contact_accord(request, token):
    """A contact person gives their consent: the GET shows the text, only the POST records it
    (a mail scanner opening the link changes nothing)."""
    contact, expired = services.contact_token_read(token, "accord")
    if contact is None:
        return _consent_link_invalid(request, expired)
    done = False
    if request.method == "POST":
        contact = services.contact_consent_give(contact=contact)
        done = True
    retrait = reverse(
        "observatoire-site:contact_retrait",
        kwargs={"token": services.contact_token(contact, "retrait")},
    )
    return _consent_page(
        request,
        "contact_accord.html",
        {**_consent_context(contact), "done": done, "retrait_url": retrait},
        title=_("Accord enregistré") if done else _("Apparaître comme contact dans l’observatoire"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def contact_retrait(request, token):
    """A contact person withdraws their consent (the GET only asks)."""
    contact, expired = services.contact_token_read(token, "retrait")
    if contact is None:
        return _consent_link_invalid(request, expired)
    done = False
    if request.method == "POST":
        contact = services.contact_consent_withdraw(contact=contact)
        done = True
    return _consent_page(
        request,
        "contact_retrait.html",
        {**_consent_context(contact), "done": done},
        title=_("Accord retiré") if done else _("Retirer mon accord"),
    )


# --- The structure's review --------------------------------------------------------------------


@structure_view("observatoire.relire", methods=["GET", "HEAD"])
def relecture(request):
    """Submitted projects, oldest first, and changes of published ones waiting for review."""
    soumis = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("observatoire-site:relecture_projet", args=[projet.pk]),
                projet.titre,
            ),
            projet.membre.collectivite.nom if projet.membre else _("La structure"),
            _date(projet.soumis_le),
            _user_name(projet.cree_par) if projet.cree_par else "—",
        ]
        for projet in selectors.projets_a_relire().select_related("membre__collectivite")
    ]
    attente = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("observatoire-site:relecture_revision", args=[revision.pk]),
                revision.projet.titre,
            ),
            revision.projet.membre.collectivite.nom if revision.projet.membre else "—",
            ", ".join(str(FIELD_LABELS.get(name, name)) for name in (revision.changements or {})),
            _user_name(revision.auteur),
            _date(revision.cree_le),
        ]
        for revision in selectors.revisions_en_attente().select_related(
            "projet__membre__collectivite"
        )
    ]
    return _structure_page(
        request,
        "observatoire/relecture/relecture.html",
        {
            "soumis_columns": [_("Projet"), _("Collectivité"), _("Soumis le"), _("Rédigé par")],
            "soumis": soumis,
            "attente_columns": [
                _("Projet"),
                _("Collectivité"),
                _("Champs modifiés"),
                _("Par"),
                _("Le"),
            ],
            "attente": attente,
        },
        title=_("Projets à relire"),
    )


@structure_view("observatoire.relire")
def relecture_projet(request, pk):
    """A project as it would appear, with publish and send back (with what to correct)."""
    found = selectors.get_projet_for_user(user=request.user, membre=None, pk=pk)
    renvoi = RenvoiForm(
        request.POST
        if request.method == "POST" and request.POST.get("action") == "renvoyer"
        else None
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publier":
                services.projet_publish(
                    acting_user=request.user, projet=found, version_vue=request.POST.get("vu", "")
                )
                messages.success(
                    request,
                    _("« %(t)s » est publié. Ses contributeurs sont prévenus.")
                    % {"t": found.titre},
                )
                return redirect("observatoire-site:relecture")
            if action == "renvoyer":
                if renvoi.is_valid():
                    services.projet_send_back(
                        acting_user=request.user,
                        projet=found,
                        commentaire=renvoi.cleaned_data["commentaire"],
                    )
                    messages.success(
                        request,
                        _("« %(t)s » est renvoyé à ses contributeurs avec vos remarques.")
                        % {"t": found.titre},
                    )
                    return redirect("observatoire-site:relecture")
                status = 400
            else:
                raise BadRequest
        except ValidationError as error:
            if action == "renvoyer":
                add_service_errors(renvoi, error)
            else:
                _error_messages(request, error)
            status = 400
    historique = (
        reverse("gestion:observatoire:projet_historique", args=[found.membre.slug, found.pk])
        if found.membre
        else ""
    )
    return _structure_page(
        request,
        "observatoire/relecture/projet.html",
        {
            "form": renvoi,
            "etat_badge": badge(found.get_etat_display(), ETAT_TONES.get(found.etat, "neutre")),
            "peut_publier": found.etat
            in (Projet.Etat.SOUMIS, Projet.Etat.RETIRE, Projet.Etat.A_CORRIGER),
            "peut_renvoyer": found.etat == Projet.Etat.SOUMIS,
            "en_attente": list(selectors.revisions_en_attente_of(projet=found)),
            "historique_url": historique,
            "version_vue": services.projet_version(found),
            **apercu(found),
        },
        title=_("Relire « %(t)s »") % {"t": found.titre},
        trail=[(found.titre, "")],
        status=status,
    )


@structure_view("observatoire.relire")
def relecture_revision(request, pk):
    """A pending change of a published project, field by field: accept or refuse."""
    revision = selectors.get_revision_for_reviewer(user=request.user, pk=pk)
    form = RevisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("accepter", "refuser"):
            raise BadRequest
        if form.is_valid():
            try:
                services.revision_review(
                    acting_user=request.user,
                    revision=revision,
                    accept=action == "accepter",
                    commentaire=form.cleaned_data["commentaire"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Modification acceptée : la page publique est à jour.")
                    if action == "accepter"
                    else _("Modification refusée : la page publique reste inchangée."),
                )
                return redirect("observatoire-site:relecture")
        status = 400
    projet = revision.projet
    return _structure_page(
        request,
        "observatoire/relecture/revision.html",
        {
            "form": form,
            "revision": revision,
            "item": _revision_item(revision),
            "changements": revision_changes(revision, full=True),
            "projet": projet,
            "public_url": reverse("observatoire-site:projet", args=[projet.slug])
            if projet.etat == Projet.Etat.PUBLIE
            else "",
            "en_attente": revision.etat == Revision.Etat.EN_ATTENTE,
        },
        title=_("Modification de « %(t)s »") % {"t": projet.titre},
        trail=[
            (projet.titre, reverse("observatoire-site:relecture_projet", args=[projet.pk])),
            (_("Modification"), ""),
        ],
        status=status,
    )


# --- The structure's actors and software -------------------------------------------------------


def _acteur_create(request, form: ActeurForm) -> Acteur | None:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    try:
        return services.acteur_create(acting_user=request.user, **data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@structure_view("observatoire.relire")
def acteurs(request):
    """The actors: the list, an actor outside the territory, a collectivité of the territory."""
    posted = request.method == "POST"
    formulaire = request.POST.get("formulaire") if posted else None
    form = ActeurForm(request.POST if formulaire == "creer" else None)
    if formulaire == "creer":
        acteur = _acteur_create(request, form)
        if acteur is not None:
            messages.success(request, _("Acteur « %(n)s » enregistré.") % {"n": acteur.nom})
            return redirect("observatoire-site:acteurs")
    elif formulaire == "territoire":
        collectivite = collectivite_by_key(request.POST.get("collectivite", ""))
        if collectivite is None:
            raise Http404
        acteur = services.acteur_ensure_collectivite(collectivite=collectivite)
        messages.success(request, _("Acteur « %(n)s » enregistré.") % {"n": acteur.nom})
        return redirect("observatoire-site:acteurs")
    elif posted:
        raise BadRequest
    search = RechercheActeurForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.acteurs_list(user=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        [
            acteur.nom,
            acteur.get_kind_display(),
            " · ".join(
                part
                for part in (
                    f"SIREN {acteur.siren}" if acteur.siren else "",
                    f"SIRET {acteur.siret}" if acteur.siret else "",
                    f"RNA {acteur.rna}" if acteur.rna else "",
                )
                if part
            )
            or "—",
            acteur.departement_code or "—",
            f"{acteur.population:,}".replace(",", "\u202f") if acteur.population else "—",
            _("Membre") if acteur.membre_id else "—",
            getattr(acteur, "nb_projets", 0),
        ]
        for acteur in page.object_list
    ]
    collectivites = []
    if q:
        collectivites = [
            {"c": c, "key": f"{c.kind}:{c.code}"}
            for c in collectivite_search(q, limit=10)
            if not hasattr(c, "acteur_observatoire")
        ]
    return _structure_page(
        request,
        "observatoire/relecture/acteurs.html",
        {
            "form": form,
            "search": search,
            "q": q,
            "page": page,
            "columns": [
                _("Nom"),
                _("Type"),
                _("Identifiants"),
                _("Département"),
                _("Population"),
                _("Membre"),
                _("Projets portés"),
            ],
            "rows": rows,
            "collectivites": collectivites,
        },
        title=_("Acteurs de l’observatoire"),
        trail=[(_("Acteurs"), "")],
        status=400 if form.errors else 200,
    )


@structure_view("observatoire.relire")
def logiciels_gestion(request):
    """The software registry: who uses what, and each one's description, licence, SILL id and
    Comptoir du Libre page."""
    posted = request.method == "POST"
    formulaire = request.POST.get("formulaire") if posted else None
    registry = selectors.logiciels_registry(user=request.user)
    edited = None
    pk = request.POST.get("logiciel") if posted else request.GET.get("modifier")
    if pk:
        try:
            edited = registry.filter(pk=int(pk)).first()
        except ValueError:
            edited = None
        if edited is None:
            raise Http404
    nouveau = LogicielNouveauForm(request.POST if formulaire == "ajouter" else None)
    form = None
    if edited is not None:
        form = LogicielForm(
            request.POST if formulaire == "modifier" else None,
            initial={
                name: getattr(edited, name)
                for name in (
                    "description",
                    "editeur",
                    "site_web",
                    "libre",
                    "licence",
                    "sill_id",
                    "comptoir_url",
                )
            },
        )
    if formulaire == "ajouter" and nouveau.is_valid():
        try:
            logiciel = services.logiciel_ensure(
                acting_user=request.user, nom=nouveau.cleaned_data["nom"]
            )
        except ValidationError as error:
            add_service_errors(nouveau, error)
        else:
            messages.success(request, _("« %(n)s » est au registre.") % {"n": logiciel.nom})
            return redirect(
                f"{reverse('observatoire-site:logiciels_gestion')}?modifier={logiciel.pk}#modifier"
            )
    elif formulaire == "modifier" and form is not None and edited is not None and form.is_valid():
        try:
            services.logiciel_update(acting_user=request.user, logiciel=edited, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« %(n)s » est à jour.") % {"n": edited.nom})
            return redirect("observatoire-site:logiciels_gestion")
    elif posted and formulaire not in ("ajouter", "modifier"):
        raise BadRequest
    page = Paginator(registry, PAGE_SIZE).get_page(request.GET.get("page"))
    base = reverse("observatoire-site:logiciels_gestion")
    rows = [
        [
            logiciel.nom,
            _("Libre") + (f" ({logiciel.licence})" if logiciel.licence else "")
            if logiciel.libre
            else (logiciel.licence or "—"),
            getattr(logiciel, "nb_projets", 0),
            _("%(u)d (dont %(r)d référents)")
            % {"u": getattr(logiciel, "nb_usages", 0), "r": getattr(logiciel, "nb_referents", 0)},
            logiciel.sill_id or "—",
            format_html(
                '<a href="{}?modifier={}#modifier">{}<span class="visually-hidden"> {}</span></a>',
                base,
                logiciel.pk,
                _("Modifier"),
                logiciel.nom,
            ),
        ]
        for logiciel in page.object_list
    ]
    errors = bool(nouveau.errors or (form is not None and form.errors))
    return _structure_page(
        request,
        "observatoire/relecture/logiciels.html",
        {
            "nouveau": nouveau,
            "form": form,
            "edited": edited,
            "page": page,
            "columns": [
                _("Logiciel ou service"),
                _("Licence"),
                _("Projets"),
                _("Utilisateurs"),
                _("SILL"),
                _("Action"),
            ],
            "rows": rows,
        },
        title=_("Logiciels et services"),
        trail=[(_("Logiciels et services"), "")],
        status=400 if errors else 200,
    )
