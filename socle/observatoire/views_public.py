"""The observatory's public pages (/observatoire/…): the search, a project, an actor, the
software registry, « Qui l'a déjà fait près de chez moi ? », and the exports.

Only published projects appear; contact people only while their consent holds (a project's
through `selectors.contacts_visibles`, otherwise the carrier's generic address). Searches go
through `public_search`, the adapter the search engine plugs into. Every page works without
JavaScript; the map is an extra beside its list.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from socle.core.cartes import map_tiles_allowed
from socle.core.charts import radar_chart
from socle.core.forms import add_service_errors
from socle.core.markdown import markdown_to_html
from socle.membres.decorators import structure_view
from socle.membres.permissions import grants_for
from socle.membres.selectors import membres_with_permission
from socle.observatoire import exports, public_search, selectors, selectors_public, services
from socle.observatoire.models import Acteur, Evaluation, Projet
from socle.observatoire.themes import (
    THEME_CHOICES,
    TRANCHES,
    theme_label,
    tranche_label,
    tranche_of,
)
from socle.territoires.holdings import outline_geojson
from socle.territoires.models import Collectivite, search_key
from socle.territoires.selectors import collectivite_by_key, collectivite_search

PER_PAGE = 20
SIMILAIRES = 6
PRES_LIMIT = 50
RAYONS = (("20", "20 km"), ("50", "50 km"), ("100", "100 km"), ("200", "200 km"))
RAYON_DEFAUT = "100"
CONTOUR_CACHE_SECONDS = 6 * 3600

# How a status reads as a badge (a symbol and a word, never colour alone).
STATUT_TONS: dict[str, str] = {
    Projet.Statut.IDEE: "neutre",
    Projet.Statut.EN_PROJET: "info",
    Projet.Statut.EN_COURS: "info",
    Projet.Statut.REALISE: "succes",
    Projet.Statut.ABANDONNE: "attention",
}
# The grades of an evaluation (socle.observatoire.evaluation), as the page names them.
NOTES = {
    "A": gettext_lazy("Très favorable"),
    "B": gettext_lazy("Favorable"),
    "C": gettext_lazy("Mitigé"),
    "D": gettext_lazy("Défavorable"),
    "E": gettext_lazy("Très défavorable"),
}


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Accueil"), reverse("portail:accueil")),
        (_("Observatoire"), reverse("observatoire-site:accueil")),
        *items,
    ]


def _carte_response(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a page; when it holds a map over tiles, let the tiles' host serve images."""
    response = render(request, template, context)
    return map_tiles_allowed(response) if context.get("carte") else response


def _contour(lieu: Collectivite) -> str:
    """The outline of the place's département (GeoJSON), drawn when the map has no tiles."""
    departement = lieu if lieu.kind == Collectivite.Kind.DEPARTEMENT else lieu.departement
    if settings.MAP_TILES_URL or departement is None:
        return ""
    key = f"observatoire:contour:{departement.code}"
    found = cache.get(key)
    if found is None:
        found = outline_geojson(departement)
        cache.set(key, found, CONTOUR_CACHE_SECONDS)
    return found


def _item(projet: Projet, distance: float | None = None) -> dict[str, Any]:
    """What a list of projects shows of one."""
    return {
        "projet": projet,
        "themes": [theme_label(code) for code in projet.themes or []],
        "statut": projet.get_statut_display(),
        "ton": STATUT_TONS.get(projet.statut, "neutre"),
        "distance": distance,
    }


# --- The search ----------------------------------------------------------------------------------


class RechercheForm(forms.Form):
    """The search page's form (GET): words, then facets."""

    q = forms.CharField(
        label=gettext_lazy("Rechercher un projet"),
        help_text=gettext_lazy("Par exemple : signalement voirie application"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thèmes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statuts = forms.MultipleChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departement = forms.ChoiceField(label=gettext_lazy("Département"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Région"), required=False)
    tranche = forms.ChoiceField(label=gettext_lazy("Taille de la collectivité"), required=False)
    logiciel = forms.ChoiceField(label=gettext_lazy("Logiciel ou service utilisé"), required=False)

    # Field name → facet name of public_search.
    FACETTES = {
        "themes": "themes",
        "statuts": "statuts",
        "departement": "departement",
        "region": "region",
        "tranche": "tranche",
        "logiciel": "logiciel",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departements = selectors_public.valeurs_publiees("departement_code")
        regions = selectors_public.valeurs_publiees("region_code")
        noms_dep = selectors_public.noms_territoires(Collectivite.Kind.DEPARTEMENT, departements)
        noms_reg = selectors_public.noms_territoires(Collectivite.Kind.REGION, regions)
        self._base: dict[str, list[tuple[str, str]]] = {
            "themes": [(code, str(label)) for code, label in THEME_CHOICES],
            "statuts": [(code, str(label)) for code, label in Projet.Statut.choices],
            "departement": [
                (code, f"{code} – {noms_dep[code]}" if code in noms_dep else code)
                for code in departements
            ],
            "region": [(code, noms_reg.get(code, code)) for code in regions],
            "tranche": [(code, str(label)) for code, label, _low, _high in TRANCHES],
            "logiciel": selectors_public.logiciels_des_projets(),
        }
        for name, choices in self._base.items():
            self._choices(name, choices)

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = cast(forms.ChoiceField, self.fields[name])
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = choices
        else:
            field.choices = [("", _("Tous")), *choices]

    def with_counts(self, facettes: dict[str, dict[str, int]]) -> None:
        """Add each value's number of matching projects to its label."""
        for name, facette in self.FACETTES.items():
            counts = facettes.get(facette, {})
            self._choices(
                name,
                [
                    (code, _("%(label)s (%(n)s)") % {"label": label, "n": counts.get(code, 0)})
                    for code, label in self._base[name]
                ],
            )

    def choisis(self, *names: str) -> bool:
        """Whether the valid form chose something in one of these fields (all: any field)."""
        data = getattr(self, "cleaned_data", None) or {}
        return any(data.get(name) for name in names or self.fields)


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


@require_safe
def accueil(request: HttpRequest) -> HttpResponse:
    """The observatory's search: words, facets with their counts, one page of projects."""
    form = RechercheForm(request.GET or None)
    resultats = None
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        criteres = {
            "q": data.get("q", ""),
            "themes": data.get("themes", []),
            "statuts": data.get("statuts", []),
            "departement": data.get("departement", ""),
            "region": data.get("region", ""),
            "tranche": data.get("tranche", ""),
            "logiciel": data.get("logiciel", ""),
        }
        number = _page_number(request)
        resultats = public_search.recherche_projets(**criteres, page=number, per_page=PER_PAGE)
        page = Paginator(range(resultats.total), PER_PAGE).get_page(number)
        if page.number != number:  # past the last page: show the last one
            resultats = public_search.recherche_projets(
                **criteres, page=page.number, per_page=PER_PAGE
            )
        form.with_counts(resultats.facettes)
    return render(
        request,
        "observatoire/public/accueil.html",
        {
            "form": form,
            "resultats": resultats,
            "items": [_item(projet) for projet in resultats.projets] if resultats else [],
            "page": page,
            "recherche": form.choisis(),
            "mots": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
            "filtres_ouverts": bool(form.errors) or form.choisis(*RechercheForm.FACETTES),
            "breadcrumbs": [
                (_("Accueil"), reverse("portail:accueil")),
                (_("Observatoire des projets"), ""),
            ],
        },
    )


# --- A project -----------------------------------------------------------------------------------


def _evaluation_resume(evaluation: Evaluation) -> dict[str, Any]:
    resultat = evaluation.resultat or {}
    note = resultat.get("note") or ""
    return {
        "kind": evaluation.get_kind_display(),
        "score": resultat.get("score"),
        "note": note,
        "note_libelle": NOTES.get(note, ""),
        "van": resultat.get("van"),
        "delai_retour": resultat.get("delai_retour"),
        "horizon": evaluation.horizon_annees,
        "taux": evaluation.taux_actualisation,
        "axes": [
            {**axe, "note_libelle": NOTES.get(axe.get("note") or "", "")}
            for axe in resultat.get("axes", [])
        ],
    }


def _radar(evaluations: dict[str, Evaluation]) -> SafeString | None:
    """The evaluations' axes on one radar (ex ante, and ex post beside it when there is one)."""
    ordered = [
        evaluations[kind]
        for kind in (Evaluation.Kind.EX_ANTE, Evaluation.Kind.EX_POST)
        if kind in evaluations and (evaluations[kind].resultat or {}).get("axes")
    ]
    axes: dict[str, str] = {}
    for evaluation in ordered:
        for axe in evaluation.resultat["axes"]:
            axes.setdefault(str(axe.get("code") or axe.get("nom")), str(axe.get("nom", "")))
    if len(axes) < 3:
        return None
    series = []
    for evaluation in ordered:
        scores = {
            str(axe.get("code") or axe.get("nom")): axe.get("score")
            for axe in evaluation.resultat["axes"]
        }
        series.append(
            (
                str(evaluation.get_kind_display()),
                [
                    round(float(scores[code]), 1) if scores.get(code) is not None else None
                    for code in axes
                ],
            )
        )
    return radar_chart(
        _("Analyse de la valeur du projet"),
        list(axes.values()),
        series,
        maximum=100,
        unit="/ 100",
        label_header=_("Axe"),
        chart_id="radar-evaluation",
    )


class MiseEnRelationForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Votre message à la structure"),
        help_text=gettext_lazy(
            "Ce que vous voulez savoir (comment le projet a été mené, son coût, ses difficultés…)."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _peut_demander(user) -> bool:
    """Tell whether the person may ask the structure to put them in touch (a member's staff)."""
    if not user.is_authenticated:
        return False
    return grants_for(user).membre_ids("observatoire.contribuer") != set()


@require_safe
def projet(request: HttpRequest, slug: str) -> HttpResponse:
    """A published project: everything about it, who to contact, and similar projects."""
    found = selectors.projet_public(slug=slug)
    return _projet_page(request, found, MiseEnRelationForm())


@structure_view("observatoire.contribuer", methods=["POST"])
def mise_en_relation(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask the structure to put a member's staff in touch with a project's team."""
    found = selectors.projet_public(slug=slug)
    form = MiseEnRelationForm(request.POST)
    if form.is_valid():
        try:
            services.mise_en_relation_request(
                acting_user=request.user, projet=found, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre demande est envoyée : la structure vous répondra par courriel."),
            )
            return redirect(
                reverse("observatoire-site:projet", kwargs={"slug": found.slug}) + "#contact-titre"
            )
    return _projet_page(request, found, form, status=400)


def _projet_page(
    request: HttpRequest, found: Projet, relation_form: forms.Form, status: int = 200
) -> HttpResponse:
    fiche = selectors_public.projet_fiche(projet=found)
    contacts = selectors.contacts_visibles(projet=found)
    evaluations = [
        _evaluation_resume(fiche.evaluations[kind])
        for kind in (Evaluation.Kind.EX_ANTE, Evaluation.Kind.EX_POST)
        if kind in fiche.evaluations
    ]
    return render(
        request,
        "observatoire/public/projet.html",
        {
            "projet": found,
            "item": _item(found),
            "fiche": fiche,
            "description": markdown_to_html(found.description),
            "resultats_html": markdown_to_html(found.resultats),
            "enseignements_html": markdown_to_html(found.enseignements),
            "reutilisation_html": markdown_to_html(found.reutilisation),
            "financements": [
                {"source": row.get("source", ""), "montant": exports.montant(row.get("montant"))}
                for row in found.financements or []
            ],
            "contacts": contacts,
            "evaluations": evaluations,
            "radar": _radar(fiche.evaluations),
            "similaires": [
                _item(other)
                for other in public_search.projets_similaires(projet=found, limit=SIMILAIRES)
            ],
            "documents": [
                {
                    "document": document,
                    "url": reverse(
                        "observatoire-site:document", kwargs={"slug": found.slug, "pk": document.pk}
                    ),
                }
                for document in fiche.documents
            ],
            "breadcrumbs": _crumbs((found.titre, "")),
            "relation_form": relation_form,
            "peut_demander": _peut_demander(request.user),
        },
        status=status,
    )


# --- Actors and software -----------------------------------------------------------------------


@require_safe
def acteur(request: HttpRequest, slug: str) -> HttpResponse:
    """An actor: the projects it carries or takes part in, its software, its contacts."""
    found = selectors_public.acteur_public(slug=slug)
    fiche = selectors_public.acteur_fiche(acteur=found)
    return render(
        request,
        "observatoire/public/acteur.html",
        {
            "acteur": found,
            "fiche": fiche,
            "portes": [_item(p) for p in fiche.portes],
            "tranche": tranche_label(tranche_of(found.population))
            if found.kind == Acteur.Kind.COLLECTIVITE
            else "",
            "breadcrumbs": _crumbs((found.nom, "")),
        },
    )


@require_safe
def logiciels(request: HttpRequest) -> HttpResponse:
    """The software registry: what the projects use, and how many use each."""
    return render(
        request,
        "observatoire/public/logiciels.html",
        {
            "logiciels": list(selectors_public.logiciels_publics()),
            "breadcrumbs": _crumbs((_("Logiciels et services"), "")),
        },
    )


@require_safe
def logiciel(request: HttpRequest, slug: str) -> HttpResponse:
    """A piece of software: who uses it, its referents (who to ask), the projects."""
    found = selectors_public.logiciel_public(slug=slug)
    fiche = selectors_public.logiciel_fiche(logiciel=found)
    return render(
        request,
        "observatoire/public/logiciel.html",
        {
            "logiciel": found,
            "fiche": fiche,
            "projets": [_item(p) for p in fiche.projets],
            "breadcrumbs": _crumbs(
                (_("Logiciels et services"), reverse("observatoire-site:logiciels")),
                (found.nom, ""),
            ),
        },
    )


# --- Near me -----------------------------------------------------------------------------------


class PresForm(forms.Form):
    """Where « near me » is, and what to look for there."""

    commune = forms.CharField(
        label=gettext_lazy("Votre commune ou collectivité"),
        help_text=gettext_lazy("Son nom ou son code INSEE, par exemple : Pessac ou 33318."),
        required=False,
        max_length=100,
    )
    # A collectivité chosen among several of the same name (kind:code).
    lieu = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    theme = forms.ChoiceField(label=gettext_lazy("Thème"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Mots-clés (facultatif)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    rayon = forms.ChoiceField(
        label=gettext_lazy("Distance"),
        required=False,
        initial=RAYON_DEFAUT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["theme"]).choices = [
            ("", _("Tous les thèmes")),
            *((code, str(label)) for code, label in THEME_CHOICES),
        ]
        cast(forms.ChoiceField, self.fields["rayon"]).choices = [
            *((value, _("Moins de %(d)s") % {"d": label}) for value, label in RAYONS),
            ("tout", _("Toute la France")),
        ]


def _lieu(form: PresForm) -> tuple[Collectivite | None, list[Collectivite]]:
    """The collectivité the form names, or the candidates to choose from (name shared)."""
    data = form.cleaned_data
    text = (data.get("commune") or "").strip()
    if data.get("lieu"):
        found = collectivite_by_key(data["lieu"])
        # Chosen among namesakes, unless the name was changed since.
        if found is not None and (not text or search_key(text) == search_key(found.nom)):
            return found, []
    if not text:
        form.add_error("commune", _("Indiquez votre commune ou collectivité."))
        return None, []
    candidates = list(collectivite_search(text, limit=10))
    exact = [
        c for c in candidates if search_key(c.nom) == search_key(text) or c.code == text.upper()
    ]
    if len(candidates) == 1:
        return candidates[0], []
    if len(exact) == 1:
        return exact[0], []
    if candidates:
        return None, exact or candidates
    form.add_error(
        "commune",
        _(
            "Aucune collectivité ne s’appelle « %(q)s ». "
            "Vérifiez l’orthographe ou essayez le code INSEE."
        )
        % {"q": text},
    )
    return None, []


def _membre_collectivite(request: HttpRequest) -> Collectivite | None:
    """The collectivité of the member the logged-in person works for, if any."""
    if not request.user.is_authenticated:
        return None
    membre = membres_with_permission(
        user=request.user, permission="observatoire.contribuer"
    ).first()
    return membre.collectivite if membre is not None else None


def _points(found: list[tuple[Projet, float]]) -> list[dict[str, Any]]:
    """The map's points: one per carrier's place, with its projects."""
    groups: dict[tuple[float, float], dict[str, Any]] = {}
    for projet, distance in found:
        assert projet.latitude is not None and projet.longitude is not None
        key = (round(projet.latitude, 5), round(projet.longitude, 5))
        group = groups.setdefault(
            key,
            {
                "lat": key[0],
                "lon": key[1],
                "nom": projet.porteur.nom if projet.porteur is not None else "",
                "distance": round(distance),
                "projets": [],
            },
        )
        group["projets"].append(
            {
                "titre": projet.titre,
                "url": reverse("observatoire-site:projet", kwargs={"slug": projet.slug}),
            }
        )
    return list(groups.values())


def _with_lieu(request: HttpRequest, candidate: Collectivite) -> str:
    """The query string of this search, from one of the namesakes."""
    params = request.GET.copy()
    params["lieu"] = f"{candidate.kind}:{candidate.code}"
    params["commune"] = candidate.nom
    return params.urlencode()


@require_safe
def pres(request: HttpRequest) -> HttpResponse:
    """« Qui l'a déjà fait près de chez moi ? »: published projects by distance from a
    collectivité, as a list and on a map."""
    data: Any = request.GET
    if not data:
        # Logged in for a member: start from its collectivité.
        mine = _membre_collectivite(request)
        if mine is not None:
            data = {
                "commune": mine.nom,
                "lieu": f"{mine.kind}:{mine.code}",
                "rayon": RAYON_DEFAUT,  # the bound form shows the distance it searched
            }
    form = PresForm(data or None)
    lieu: Collectivite | None = None
    choix: list[Collectivite] = []
    if form.is_bound and form.is_valid():
        lieu, choix = _lieu(form)
    if lieu is not None and (lieu.latitude is None or lieu.longitude is None):
        form.add_error(
            "commune",
            _("La position de %(nom)s n’est pas connue : choisissez une commune voisine.")
            % {"nom": lieu.nom},
        )
        lieu = None
    items: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    rayon = None
    if lieu is not None and not form.errors:
        assert lieu.latitude is not None and lieu.longitude is not None
        data = form.cleaned_data
        rayon_text = data.get("rayon") or RAYON_DEFAUT
        rayon = None if rayon_text == "tout" else int(rayon_text)
        found = public_search.projets_pres_de(
            latitude=lieu.latitude,
            longitude=lieu.longitude,
            rayon_km=rayon,
            limit=PRES_LIMIT,
            q=data.get("q", ""),
            themes=[data["theme"]] if data.get("theme") else [],
        )
        items = [_item(p, distance) for p, distance in found]
        points = _points(found)
    chooser = [
        {
            "collectivite": candidate,
            "kind": candidate.get_kind_display(),
            "url": "?" + _with_lieu(request, candidate),
        }
        for candidate in choix
    ]
    return _carte_response(
        request,
        "observatoire/public/pres.html",
        {
            "form": form,
            "lieu": lieu,
            "choix": chooser,
            "items": items,
            "rayon": rayon,
            "limite": PRES_LIMIT if len(items) >= PRES_LIMIT else 0,
            "carte": {
                "tuiles": settings.MAP_TILES_URL,
                "attribution": settings.MAP_TILES_ATTRIBUTION,
                "centre": {"lat": lieu.latitude, "lon": lieu.longitude, "nom": lieu.nom},
                "contour": _contour(lieu),
                "points": points,
            }
            if lieu is not None and not form.errors
            else None,
            "breadcrumbs": _crumbs((_("Près de chez moi"), "")),
        },
    )


# --- Exports -------------------------------------------------------------------------------------


@require_safe
def export(request: HttpRequest, format: str) -> StreamingHttpResponse:
    """Every published project, as JSON or CSV, streamed; no personal data."""
    projets = selectors_public.projets_exportables().iterator(chunk_size=exports.ROWS_PER_CHUNK)
    if format == "csv":
        body = exports.csv_stream(projets)
        content_type = "text/csv; charset=utf-8"
    else:
        body = exports.json_stream(projets)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="projets-observatoire.{format}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, no-cache"
    return response
