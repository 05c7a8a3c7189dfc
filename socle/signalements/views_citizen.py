"""The citizen's pages: report a problem, track it, confirm, follow, unsubscribe, see photos.

Every page works without JavaScript and with the keyboard alone: the report form is one page
whose steps are submits of the same form, the map only fills the hidden lat/lon fields.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socle.core.cartes import map_tiles_allowed
from socle.membres.models import Membre
from socle.membres.selectors import membre_public
from socle.routage.adresse import AddressApiUnavailable, address_search
from socle.routage.contact import communes_of, membre_centre
from socle.signalements import selectors, services
from socle.signalements.citizen_forms import (
    HONEYPOT,
    FiltreForm,
    Lieu,
    SignalementForm,
    SuivreForm,
    lieu_resolve,
)
from socle.signalements.models import OPEN_STATUSES, Signalement
from socle.signalements.views_gestion import STATUS_TONES
from socle.territoires.holdings import outline_geojson
from socle.territoires.hours import horaires_en_clair
from socle.territoires.models import Collectivite
from socle.territoires.selectors import collectivite_by_key, departement_mapped

PAGE_SIZE = 20
OUTLINE_CACHE_SECONDS = 6 * 3600
# A report's body: three photos at their limit, and the text around them.
BODY_MARGIN = 1024 * 1024


# --- Helpers -------------------------------------------------------------------------------------


def _module_membre(slug: str) -> Membre:
    membre = membre_public(slug)
    if membre is None or "signalements" not in membre.modules:
        raise Http404(_("Cette collectivité ne propose pas les signalements sur la plateforme."))
    return membre


def _outline(collectivite: Collectivite | None) -> str:
    """The collectivité's boundary as GeoJSON, cached (drawn when there is no tile server)."""
    if collectivite is None:
        return ""
    key = f"signalements:contour:{collectivite.kind}:{collectivite.code}"
    found = cache.get(key)
    if found is None:
        found = outline_geojson(collectivite)
        cache.set(key, found, OUTLINE_CACHE_SECONDS)
    return found


def _territory(membre: Membre | None) -> Collectivite | None:
    """The collectivité whose outline the map draws: the member's, else the département whose
    boundaries are loaded."""
    if membre is not None:
        return membre.collectivite
    return departement_mapped()


def _carte(membre: Membre | None, *, commune_code: str = "") -> dict[str, Any]:
    """What the map needs: tiles or an outline, and where to start."""
    collectivite = (
        collectivite_by_key(f"commune:{commune_code}") if commune_code else _territory(membre)
    )
    centre = membre_centre(membre) if membre is not None else None
    return {
        "tuiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "contour": "" if settings.MAP_TILES_URL else _outline(collectivite),
        "centre": centre,
    }


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return map_tiles_allowed(render(request, template, context, status=status))


def _problem(request: HttpRequest, title: str, text: str, status: int) -> HttpResponse:
    return render(
        request, "signalements/probleme.html", {"titre": title, "texte": text}, status=status
    )


def _communes(membre: Membre | None) -> list[str]:
    """The communes' names for the commune field's list, cached."""
    key = f"signalements:communes:{membre.pk if membre else 'site'}"
    found = cache.get(key)
    if found is None:
        found = sorted(set(communes_of(membre).values_list("nom", flat=True)))
        cache.set(key, found, OUTLINE_CACHE_SECONDS)
    return found


def _doublons(form: SignalementForm, lieu: Lieu) -> list[tuple[Signalement, float]]:
    chosen = form.chosen()
    if chosen is None or not lieu.known:
        return []
    assert lieu.lat is not None and lieu.lon is not None
    return selectors.nearby_open(categorie=chosen.categorie, lat=lieu.lat, lon=lieu.lon)


def _point(request: HttpRequest) -> tuple[float, float] | None:
    lieu = lieu_resolve(
        {"lat": request.GET.get("lat"), "lon": request.GET.get("lon")},
        membre=None,
        explicit=False,
    )
    if not lieu.known:
        return None
    assert lieu.lat is not None and lieu.lon is not None
    return lieu.lat, lieu.lon


# --- The report form ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def signaler(request: HttpRequest) -> HttpResponse:
    """Report a problem anywhere on the structure's territory."""
    return _signaler(request, getattr(request, "host_membre", None))


@require_http_methods(["GET", "HEAD", "POST"])
def membre_signaler(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a problem on a member's portal (its territory first)."""
    return _signaler(request, _module_membre(slug))


def _signaler(request: HttpRequest, membre: Membre | None) -> HttpResponse:
    anonymous = not request.user.is_authenticated
    if request.method == "POST":
        limit = services.MAX_PHOTOS * settings.SIGNALEMENTS_PHOTO_MAX_BYTES + BODY_MARGIN
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            return _problem(
                request,
                _("Envoi trop volumineux"),
                _(
                    "Les photos envoyées dépassent la taille permise : 3 photos de 10 Mo "
                    "chacune au plus. Revenez en arrière et choisissez des photos plus légères."
                ),
                413,
            )
    etape = request.POST.get("etape", "") if request.method == "POST" else ""
    lieu = Lieu()
    if request.method == "POST":
        lieu = lieu_resolve(request.POST, membre=membre, explicit=etape == "lieu")
    offered = []
    if lieu.known:
        assert lieu.lat is not None and lieu.lon is not None
        offered = selectors.categories_at(lat=lieu.lat, lon=lieu.lon)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        # The page shows the point found (and forgets the address searched once found).
        data["lat"] = "" if lieu.lat is None else f"{lieu.lat:.6f}"
        data["lon"] = "" if lieu.lon is None else f"{lieu.lon:.6f}"
        data["adresse"] = lieu.adresse
        data["approchee"] = "1" if lieu.approchee else ""
    form = SignalementForm(data, offered=offered, anonymous=anonymous)
    status = 200
    if request.method == "POST":
        form.is_valid()
        if etape == "envoyer":
            response = _submit(request, form, lieu, anonymous)
            if response is not None:
                return response
            status = 400
        else:
            for name, message in lieu.errors.items():
                form.add_error(name, message)
            if lieu.errors:
                status = 400
    return _render(
        request,
        "signalements/signaler.html",
        {
            "membre": membre,
            "form": form,
            "lieu": lieu,
            "offered": offered,
            "doublons": _doublons(form, lieu),
            "carte": _carte(membre),
            "communes": _communes(membre),
            "anonymous": anonymous,
            "nav": "signaler",
        },
        status=status,
    )


def _submit(
    request: HttpRequest, form: SignalementForm, lieu: Lieu, anonymous: bool
) -> HttpResponse | None:
    """The final submit: the result page, or None when the form shows its errors."""
    form.check_report(lieu)
    uploads = request.FILES.getlist("photos")
    if len(uploads) > services.MAX_PHOTOS:
        form.add_error(
            "photos",
            _("%(n)d photos au plus : vous en avez choisi %(m)d.")
            % {"n": services.MAX_PHOTOS, "m": len(uploads)},
        )
    email = form.cleaned_data.get("email", "") if anonymous else ""
    # Robots and floods are turned away before any photo is decoded (the costly part).
    if form.honeypot_filled:
        # A robot: answer as to a person, create nothing.
        return render(request, "signalements/depose.html", {"email": email, "leurre": True})
    if anonymous and not form.errors:
        try:
            services.anonymous_write_check(request=request, email=email)
        except ValidationError as exc:
            return _problem(request, _("Trop d’envois"), " ".join(exc.messages), 429)
    photos = []
    if uploads and len(uploads) <= services.MAX_PHOTOS:
        try:
            photos = services.photos_process(uploads)
        except ValidationError as exc:
            form.add_service_errors(exc)
    if form.errors:
        return None
    chosen = form.chosen()
    assert chosen is not None and lieu.lat is not None and lieu.lon is not None
    try:
        signalement = services.signalement_create(
            categorie_code=chosen.code,
            description=form.cleaned_data["description"],
            lat=lieu.lat,
            lon=lieu.lon,
            adresse=lieu.adresse,
            position_approchee=lieu.approchee,
            reponses=form.raw_answers(chosen),
            photos=photos,
            auteur=None if anonymous else request.user,  # type: ignore[arg-type]
            email=email,
            nom=form.cleaned_data.get("nom", ""),
            telephone=form.cleaned_data.get("telephone", ""),
            request=request,
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    return render(
        request,
        "signalements/depose.html",
        {
            "signalement": signalement,
            "destinataire": services.recipient_label(signalement),
            "suivi_url": services.tracking_url(signalement),
            "email": email,
            "contact": signalement.contact,
            "horaires": horaires_en_clair((signalement.contact or {}).get("horaires")),
            "membre": signalement.membre,
        },
    )


# --- Small endpoints for the page's script ---------------------------------------------------


@require_GET
def categories_json(request: HttpRequest) -> HttpResponse:
    """The categories offered at a point, as the form's fragment (the script swaps it in)."""
    point = _point(request)
    if point is None:
        return JsonResponse({"erreur": _("Point invalide.")}, status=400)
    offered = selectors.categories_at(lat=point[0], lon=point[1])
    form = SignalementForm(offered=offered, anonymous=not request.user.is_authenticated)
    html = render_to_string(
        "signalements/_categories.html", {"form": form, "offered": offered}, request=request
    )
    return JsonResponse({"categories": [item.code for item in offered], "html": html})


@require_GET
def proches_json(request: HttpRequest) -> HttpResponse:
    """The open reports of a category near a point (the duplicates' fragment)."""
    point = _point(request)
    if point is None:
        return JsonResponse({"erreur": _("Point invalide.")}, status=400)
    offered = selectors.category_at(
        lat=point[0], lon=point[1], code=request.GET.get("categorie", "")[:60]
    )
    doublons = []
    if offered is not None:
        doublons = selectors.nearby_open(categorie=offered.categorie, lat=point[0], lon=point[1])
    html = render_to_string(
        "signalements/_doublons.html",
        {"doublons": doublons, "anonymous": not request.user.is_authenticated},
        request=request,
    )
    return JsonResponse({"nombre": len(doublons), "html": html})


@require_GET
def adresses_json(request: HttpRequest) -> HttpResponse:
    """Addresses matching a text, through the national address API (our server asks it)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if len(query) < 3:
        return JsonResponse({"resultats": []})
    point = _point(request)
    try:
        places = address_search(
            query, lat=point[0] if point else None, lon=point[1] if point else None
        )
    except AddressApiUnavailable:
        return JsonResponse(
            {
                "resultats": [],
                "erreur": _(
                    "La recherche d’adresses ne répond pas : choisissez plutôt la commune."
                ),
            },
            status=503,
        )
    return JsonResponse(
        {"resultats": [{"label": p.label, "lat": p.lat, "lon": p.lon} for p in places]}
    )


# --- Tracking, confirming, following ---------------------------------------------------------


def _suivi_context(signalement: Signalement, form: SuivreForm | None = None) -> dict[str, Any]:
    statuts = dict(Signalement.Statut.choices)
    historique = [
        {
            "date": event.cree_le,
            "titre": statuts.get(event.statut, event.get_kind_display())
            if event.statut
            else event.get_kind_display(),
            "texte": event.texte,
        }
        for event in selectors.evenements_public(signalement)
    ]
    return {
        "signalement": signalement,
        "statut_ton": STATUS_TONES.get(signalement.statut, "info"),
        "destinataire": services.recipient_label(signalement),
        "photos": list(selectors.photos_public(signalement)),
        "historique": historique,
        "suivre_form": form or SuivreForm(),
        "carte": {
            "tuiles": settings.MAP_TILES_URL,
            "attribution": settings.MAP_TILES_ATTRIBUTION,
            "contour": ""
            if settings.MAP_TILES_URL
            else _outline(collectivite_by_key(f"commune:{signalement.commune_code}")),
        },
        "membre": signalement.membre,
    }


@require_http_methods(["GET", "HEAD"])
def suivi(request: HttpRequest, reference: str) -> HttpResponse:
    """A report's public page: what, where, who acts, its history; never who reported it."""
    signalement = selectors.signalement_public(reference)
    if signalement is None:
        raise Http404(_("Ce signalement n’existe pas ou n’est pas public."))
    return _render(request, "signalements/suivi.html", _suivi_context(signalement))


@require_POST
def suivre(request: HttpRequest, reference: str) -> HttpResponse:
    """« Moi aussi »: follow a public open report; an address is confirmed by a link."""
    signalement = selectors.signalement_public(reference)
    if signalement is None:
        raise Http404(_("Ce signalement n’existe pas ou n’est pas public."))
    if request.user.is_authenticated:
        try:
            services.signalement_follow(signalement=signalement, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Vous suivez ce signalement : nous vous écrirons à chaque étape."),
            )
        return redirect("signalements-site:suivi", reference=signalement.reference)
    form = SuivreForm(request.POST)
    if not form.is_valid():
        return _render(
            request, "signalements/suivi.html", _suivi_context(signalement, form), status=400
        )
    email = form.cleaned_data["email"]
    if (request.POST.get(HONEYPOT) or "").strip():
        return render(request, "signalements/suivre_envoye.html", {"email": email})
    try:
        services.anonymous_write_check(request=request, email=email)
    except ValidationError as exc:
        return _problem(request, _("Trop d’envois"), " ".join(exc.messages), 429)
    try:
        services.signalement_follow(signalement=signalement, email=email, request=request)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.message_dict.items():
                form.add_error("email" if key == "email" else None, errors)
        else:
            form.add_error(None, exc.messages)
        return _render(
            request, "signalements/suivi.html", _suivi_context(signalement, form), status=400
        )
    return render(
        request,
        "signalements/suivre_envoye.html",
        {"email": email, "signalement": signalement},
    )


def _lien_invalide(request: HttpRequest) -> HttpResponse:
    return _problem(
        request,
        _("Lien invalide"),
        _(
            "Ce lien n’est pas valide ou a expiré. Si vous avez fait un signalement sans "
            "compte, faites-le à nouveau : un nouveau lien vous sera envoyé."
        ),
        400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirmer(request: HttpRequest, jeton: str) -> HttpResponse:
    """The reporter's emailed link: GET asks (mail scanners open links), POST confirms."""
    if request.method != "POST":
        if not jeton or len(jeton) > 300:
            return _lien_invalide(request)
        return render(
            request,
            "signalements/confirmer.html",
            {
                "titre": _("Confirmer votre signalement"),
                "question": _(
                    "Confirmez que vous avez fait ce signalement : il sera alors transmis."
                ),
                "bouton": _("Confirmer mon signalement"),
            },
        )
    signalement = services.signalement_confirm_by_link(jeton=jeton, request=request)
    if signalement is None:
        return _lien_invalide(request)
    if not signalement.public:
        return render(
            request,
            "signalements/en_relecture.html",
            {"signalement": signalement, "destinataire": services.recipient_label(signalement)},
        )
    messages.success(request, _("Merci : votre signalement est confirmé."))
    return redirect("signalements-site:suivi", reference=signalement.reference)


@require_http_methods(["GET", "HEAD", "POST"])
def suivre_confirmer(request: HttpRequest, jeton: str) -> HttpResponse:
    """The follower's emailed link: GET asks, POST confirms."""
    if request.method != "POST":
        if not jeton or len(jeton) > 64:
            return _lien_invalide(request)
        return render(
            request,
            "signalements/confirmer.html",
            {
                "titre": _("Suivre ce signalement"),
                "question": _(
                    "Confirmez que vous voulez recevoir les nouvelles de ce signalement."
                ),
                "bouton": _("Suivre ce signalement"),
            },
        )
    abonnement = services.abonnement_confirm(jeton=jeton)
    if abonnement is None:
        return _lien_invalide(request)
    signalement = abonnement.signalement
    if signalement.public:
        messages.success(request, _("C’est confirmé : vous suivez ce signalement."))
        return redirect("signalements-site:suivi", reference=signalement.reference)
    return _problem(
        request,
        _("Suivi confirmé"),
        _("C’est confirmé : vous recevrez les nouvelles de ce signalement."),
        200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def desabonner(request: HttpRequest, jeton: str) -> HttpResponse:
    """Stop a follower's emails: GET asks (mail scanners follow links), POST does it."""
    if request.method == "POST":
        abonnement = services.abonnement_unsubscribe(jeton=jeton)
        if abonnement is None:
            return _lien_invalide(request)
        return render(
            request,
            "signalements/desabonner.html",
            {"fait": True, "reference": abonnement.signalement.reference},
        )
    if not jeton or len(jeton) > 64:
        return _lien_invalide(request)
    return render(request, "signalements/desabonner.html", {"fait": False})


@require_http_methods(["GET", "HEAD"])
def photo(request: HttpRequest, pk: int, taille: str) -> HttpResponse:
    """A report's photo (already stripped of its metadata), if the viewer may see it."""
    if taille not in ("image", "vignette"):
        raise Http404
    found = selectors.photo_for_viewer(user=request.user, pk=pk)
    if found is None:
        raise Http404
    fichier = found.image if taille == "image" else found.vignette
    try:
        with fichier.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="image/jpeg")
    public = found.masque_le is None and found.signalement.public
    response["Cache-Control"] = (
        # Short: a photo an agent hides must stop being served from caches soon.
        "public, max-age=300, must-revalidate" if public else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Lists ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def liste(request: HttpRequest) -> HttpResponse:
    """Recent public reports of the whole territory."""
    return _liste(request, getattr(request, "host_membre", None))


@require_http_methods(["GET", "HEAD"])
def membre_liste(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's public reports."""
    return _liste(request, _module_membre(slug))


def _liste(request: HttpRequest, membre: Membre | None) -> HttpResponse:
    form = FiltreForm(
        request.GET or None,
        categories=selectors.categories_platform(),
        statuts=Signalement.Statut.choices,
    )
    filtres = form.cleaned_data if form.is_valid() else {}
    qs = selectors.signalements_public_filter(
        membre=membre,
        commune=filtres.get("commune", ""),
        categorie=filtres.get("categorie", ""),
        statut=filtres.get("statut", ""),
    ).select_related("service")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    points = [
        {
            "lat": round(s.lat, 6),
            "lon": round(s.lon, 6),
            "titre": f"{s.reference} — {s.categorie_nom}",
            "url": services.tracking_url(s),
        }
        for s in page.object_list
    ]
    return _render(
        request,
        "signalements/liste.html",
        {
            "membre": membre,
            "form": form,
            "page": page,
            "points": points,
            "carte": _carte(membre),
            "communes": _communes(membre),
            "ouverts": OPEN_STATUSES,
            "nav": "signalements",
        },
    )
