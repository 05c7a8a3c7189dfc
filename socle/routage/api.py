"""The public open API: who handles a competence at a point, and the competence catalogue.

Open endpoints (`socle.api.http.public_endpoint`): GET (and HEAD) with JSON, any origin (CORS),
errors in the API's one shape (`api_error`). The OpenAPI document is socle.api's, which reads
this module's part (socle.routage.openapi) through the registry.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from socle.api.http import api_error, json_response, public_endpoint
from socle.routage import routing
from socle.territoires.models import Competence

# Example points shown on the documentation page.
EXAMPLES = [
    (44.8378, -0.5792, "voirie", "Hôtel de ville de Bordeaux, voirie"),
    (44.8945, -0.1557, "eclairage-public", "Saint-Émilion, éclairage public"),
    (44.8945, -0.1557, "dechets", "Saint-Émilion, déchets ménagers"),
]


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
    return json_response(result.to_dict())


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
    return json_response(
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
