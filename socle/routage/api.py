"""The public open API: who handles a competence at a point, and the competence catalogue.

Every endpoint answers GET (and HEAD) with JSON, allows any origin (CORS), and reports
errors in one shape: ``{"error": {"code": "...", "message": "<en français>", "details": {}}}``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from socle.routage import routing
from socle.routage.openapi import openapi_document
from socle.territoires.models import Competence

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")

# Example points shown on the documentation page.
EXAMPLES = [
    (44.8378, -0.5792, "voirie", "Hôtel de ville de Bordeaux, voirie"),
    (44.8945, -0.1557, "eclairage-public", "Saint-Émilion, éclairage public"),
    (44.8945, -0.1557, "dechets", "Saint-Émilion, déchets ménagers"),
]


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_error(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> JsonResponse:
    """Return an error in the API's documented shape."""
    return _json({"error": {"code": code, "message": message, "details": details or {}}}, status)


def public_endpoint(view: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a read-only endpoint to any origin; other methods get a JSON 405."""

    # An open API has no session to protect, and a POST must get its 405, not a 403.
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ALLOWED_METHODS:
            response = api_error(
                405,
                "methode_non_autorisee",
                _("Méthode « %(method)s » non autorisée : cette API ne répond qu'à GET.")
                % {"method": request.method},
                {"methodes_autorisees": ["GET", "HEAD", "OPTIONS"]},
            )
        else:
            response = view(request, *args, **kwargs)
        response["Allow"] = ", ".join(ALLOWED_METHODS)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@public_endpoint
def routage(request: HttpRequest) -> HttpResponse:
    """Say who handles a competence at a point: commune, holder and why, service or contact."""
    try:
        lat = routing.parse_coordinate(request.GET.get("lat"), "lat")
        lon = routing.parse_coordinate(request.GET.get("lon"), "lon")
        # Read the versions now: an API client must see a change as soon as it is saved.
        router = routing.get_router(refresh=True)
        code = request.GET.get("competence", "").strip()
        if not code:
            raise routing.MissingParameter(
                _("La compétence (paramètre « competence ») est obligatoire."),
                {"parametre": "competence", "competences_valides": router.rules.codes},
            )
        result = router.route(lat, lon, code)
    except routing.RoutingError as error:
        return api_error(400, error.code, error.message, error.details)
    if result.status == routing.HORS_FRANCE:
        return api_error(
            404,
            routing.HORS_FRANCE,
            _(
                "Ce point est hors de France (métropole, Corse et départements d'outre-mer) : "
                "aucune collectivité n'y est compétente."
            ),
            {"lat": lat, "lon": lon},
        )
    if result.status == routing.HORS_COMMUNE:
        nearest = result.nearest.to_dict() if result.nearest else None
        return api_error(
            404,
            routing.HORS_COMMUNE,
            hors_commune_message(result),
            {"lat": lat, "lon": lon, "commune_proche": nearest},
        )
    return _json(result.to_dict())


def hors_commune_message(result: routing.RoutingResult) -> str:
    """Explain in French that a point lies in no commune, naming the nearest when known."""
    if result.nearest is None:
        return _("Ce point n'est dans aucune commune (en mer ou à l'étranger).")
    return _(
        "Ce point n'est dans aucune commune (en mer ou à l'étranger) ; la plus proche est "
        "%(nom)s (%(code)s), à %(distance)s km."
    ) % {
        "nom": result.nearest.nom,
        "code": result.nearest.code,
        "distance": f"{result.nearest.distance_km:.1f}".replace(".", ","),
    }


@public_endpoint
def competences(request: HttpRequest) -> HttpResponse:
    """List the competence catalogue and who holds each by default."""
    rows = Competence.objects.order_by("code").values(
        "code", "nom", "description", "default_level", "epci_types"
    )
    return _json(
        {
            "competences": [
                {
                    "code": row["code"],
                    "nom": row["nom"],
                    "description": row["description"],
                    "niveau_par_defaut": row["default_level"],
                    "types_epci": row["epci_types"],
                }
                for row in rows
            ]
        }
    )


@public_endpoint
def openapi(request: HttpRequest) -> HttpResponse:
    """Describe the API in OpenAPI 3.1."""
    return _json(openapi_document())


@public_endpoint
def docs(request: HttpRequest) -> HttpResponse:
    """Show the API's endpoints, parameters, errors and examples to a person."""
    routage_url = reverse("api:routage")
    examples = [
        {"label": label, "url": f"{routage_url}?lat={lat}&lon={lon}&competence={code}"}
        for lat, lon, code, label in EXAMPLES
    ]
    return render(
        request,
        "routage/api_docs.html",
        {
            "examples": examples,
            "routage_url": routage_url,
            "competences_url": reverse("api:competences"),
            "openapi_url": reverse("api:openapi"),
            "competences": Competence.objects.order_by("code"),
        },
    )
