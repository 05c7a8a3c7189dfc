"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), with mySociety's
`servicerequestupdates`. Each endpoint answers in `.json` and `.xml` with the same content.

`jurisdiction_id` is a member's collectivité code (INSEE for a commune, SIREN for an EPCI).
Reading is open; posting a request needs an `api_key` of socle.api holding the scope
`signalements.open311`. No personal data ever leaves: only public reports, public history lines
and visible photos.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from socle.api.models import ApiKey
from socle.api.services import KeyRejected, api_key_authenticate, api_key_rate_hit
from socle.membres.models import Membre
from socle.routage.adresse import AddressApiUnavailable, address_search
from socle.signalements.models import OPEN_STATUSES, Question, Signalement
from socle.signalements.open311 import queries
from socle.signalements.open311.render import FORMATS, XML, render, render_errors, w3c
from socle.signalements.selectors import category_at, signalement_by_reference
from socle.signalements.services import (
    MAX_PHOTOS,
    photos_process,
    placement_for,
    recipient_label,
    signalement_create,
)

SCOPE = "signalements.open311"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation of the API last changed.
CHANGESET = "2026-05-01T00:00:00+02:00"
WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
MAX_PAGE = 100
MAX_IDS = 1000
TOKEN_SALT = "signalements.open311.token"  # noqa: S105 - a signing salt, not a secret
# Our statuses as mySociety's extended Open311 statuses (for servicerequestupdates).
UPDATE_STATUSES = {
    Signalement.Statut.NOUVEAU: "open",
    Signalement.Statut.PRIS_EN_COMPTE: "investigating",
    Signalement.Statut.PROGRAMME: "action_scheduled",
    Signalement.Statut.EN_COURS: "in_progress",
    Signalement.Statut.RESOLU: "fixed",
    Signalement.Statut.REJETE: "closed",
    Signalement.Statut.DOUBLON: "duplicate",
}
# Where a report's field problems came from, in the request's own parameter names.
PARAMETERS = {
    "position": "lat/long",
    "categorie": "service_code",
    "description": "description",
    "email": "email",
    "photos": "media",
}


class Open311Error(Exception):
    """Stop and answer these errors with this HTTP status."""

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None):
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = [str(text) for text in descriptions]
        self.headers = headers or {}


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Check the format suffix and the method; turn an Open311Error into the spec's errors."""
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # A client application has no session: there is no cross-site request to forge.
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return render_errors(XML, 404, [_("Format inconnu : demandez .json ou .xml.")])
            if request.method not in allowed:
                response = render_errors(
                    fmt,
                    405,
                    [_("Méthode « %(method)s » non autorisée ici.") % {"method": request.method}],
                )
            else:
                try:
                    response = view(request, fmt, **kwargs)
                except Open311Error as error:
                    response = render_errors(fmt, error.status, error.descriptions)
                    for name, value in error.headers.items():
                        response[name] = value
            response["Allow"] = ", ".join(allowed)
            return response

        return wrapper

    return decorator


def _param(request: HttpRequest, name: str) -> str:
    """Return a parameter from the form body or the query string (for POST both are allowed)."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name, "")
    return value.replace("\x00", "").strip()


def _jurisdiction(request: HttpRequest) -> Membre | None:
    code = _param(request, "jurisdiction_id")
    if not code:
        return None
    membre = queries.membre_for_jurisdiction(code)
    if membre is None:
        raise Open311Error(
            404,
            _("jurisdiction_id inconnu : « %(code)s » n’est pas une collectivité membre.")
            % {"code": code[:20]},
        )
    return membre


# --- discovery, services -----------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Say where the API is and what it speaks."""
    data = {
        "changeset": CHANGESET,
        "contact": _("Opérateur de la plateforme %(site)s : %(url)s")
        % {"site": settings.SITE_NAME, "url": settings.SITE_URL + "/"},
        "key_service": _(
            "Les clés d’API (portée « signalements.open311 ») sont délivrées par l’opérateur "
            "de la plateforme, dans la gestion des clés d’API ou avec « socle open311 "
            "create-key »."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": settings.SITE_URL + "/open311/v2/",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """List the services (categories) of the jurisdiction, or the platform's taxonomy."""
    membre = _jurisdiction(request)
    data = [
        {
            "service_code": item.code,
            "service_name": item.nom,
            "description": item.categorie.description,
            "metadata": bool(item.questions),
            "type": "realtime",
            "keywords": "",
            "group": item.categorie.competence.nom,
        }
        for item in queries.services_offered(membre)
    ]
    return render(fmt, "services", data)


def _attribute(question: Question) -> dict[str, Any]:
    values: list[dict[str, str]] = []
    datatype = question.kind
    if question.kind == Question.Kind.OUI_NON:
        datatype = Question.Kind.CHOIX
        values = [{"key": "oui", "name": _("Oui")}, {"key": "non", "name": _("Non")}]
    elif question.kind == Question.Kind.CHOIX:
        values = [{"key": str(key), "name": str(name)} for key, name in question.choix]
    attribute: dict[str, Any] = {
        "variable": True,
        "code": question.code,
        "datatype": datatype,
        "required": question.obligatoire,
        "datatype_description": question.aide or None,
        "order": question.ordre,
        "description": question.libelle,
    }
    if values:
        attribute["values"] = values
    return attribute


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """Describe a service's attributes: the questions its jurisdiction asks."""
    membre = _jurisdiction(request)
    item = queries.service_offered(membre, service_code)
    if item is None:
        raise Open311Error(
            404, _("service_code inconnu : « %(code)s ».") % {"code": service_code[:60]}
        )
    data = {
        "service_code": item.code,
        "attributes": [_attribute(question) for question in item.questions],
    }
    return render(fmt, "service_definition", data)


# --- reading requests --------------------------------------------------------------------------


def _when(request: HttpRequest, name: str) -> datetime | None:
    value = _param(request, name)
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day is not None else None
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s n’est pas une date W3C (par exemple 2026-01-31T00:00:00+01:00).")
            % {"name": name},
        )
    if not 2000 <= moment.year <= 2100:
        raise Open311Error(
            400, _("%(name)s : donnez une date entre 2000 et 2100.") % {"name": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _window(request: HttpRequest) -> tuple[datetime | None, datetime | None]:
    """Return the requested_datetime range: 90 days at most, the last 90 by default."""
    start, end = _when(request, "start_date"), _when(request, "end_date")
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date est avant start_date."))
        if end - start > WINDOW:
            raise Open311Error(400, _("start_date et end_date couvrent 90 jours au plus."))
    elif start is not None:
        end = start + WINDOW
    elif end is not None:
        start = end - WINDOW
    else:
        start = timezone.now() - WINDOW
    return start, end


def _list(request: HttpRequest, name: str) -> list[str]:
    return [item.strip() for item in _param(request, name).split(",") if item.strip()]


def _int(request: HttpRequest, name: str, *, default: int, highest: int) -> int:
    value = _param(request, name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= highest:
        raise Open311Error(
            400,
            _("%(name)s doit être un entier entre 1 et %(max)d.") % {"name": name, "max": highest},
        )
    return number


def _photo_url_template() -> str:
    marker = 987654321
    url = reverse("signalements-site:photo", kwargs={"pk": marker, "taille": "image"})
    return settings.SITE_URL + url.replace(str(marker), "{pk}")


def _request_data(signalement: Signalement, photo_url: str) -> dict[str, Any]:
    photo_id = getattr(signalement, "photo_id", None)
    return {
        "service_request_id": signalement.reference,
        "status": "open" if signalement.statut in OPEN_STATUSES else "closed",
        "status_notes": getattr(signalement, "status_notes", None) or None,
        "service_name": signalement.categorie_nom,
        "service_code": signalement.categorie.code,
        "description": signalement.description,
        "agency_responsible": recipient_label(signalement),
        "service_notice": None,
        "requested_datetime": w3c(signalement.cree_le),
        "updated_datetime": w3c(signalement.modifie_le),
        "expected_datetime": None,
        "address": signalement.adresse or signalement.commune_nom,
        "address_id": None,
        "zipcode": None,
        "lat": signalement.lat,
        "long": signalement.lon,
        "media_url": photo_url.format(pk=photo_id) if photo_id else None,
    }


# How long a public answer is reused while no report changed (the default window moves with
# the clock, so not for ever).
CACHE_SECONDS = 60


def _cached(request: HttpRequest, build: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer a public GET from the cache while no report changed since it was built.

    The key holds the request (path and parameters) and the latest change of any report, read
    in one indexed query: a new report, a status change, a reply or a hidden report or photo
    gives new keys at once, in every worker. The same value is the ETag, so a client polling
    with If-None-Match gets a 304 while nothing changed.
    """
    latest = queries.latest_change()
    params = sorted((name, values) for name, values in request.GET.lists())
    digest = hashlib.sha256(repr((request.path, params, latest)).encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        key = f"open311:{digest}"
        stored = cache.get(key)
        if stored is None:
            response = build()
            if response.status_code == 200:
                cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        else:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
    return response


def _requests_get(request: HttpRequest, fmt: str) -> HttpResponse:
    return _cached(request, lambda: _requests_get_built(request, fmt))


def _requests_get_built(request: HttpRequest, fmt: str) -> HttpResponse:
    membre = _jurisdiction(request)
    references = _list(request, "service_request_id")
    if len(references) > MAX_IDS:
        raise Open311Error(400, _("%(max)d service_request_id au plus.") % {"max": MAX_IDS})
    statuses: list[str] = []
    for status in _list(request, "status"):
        if status == "open":
            statuses += OPEN_STATUSES
        elif status == "closed":
            statuses += [s for s in Signalement.Statut.values if s not in OPEN_STATUSES]
        else:
            raise Open311Error(
                400, _("status vaut open ou closed (ou les deux, séparés par une virgule).")
            )
    start, end = _window(request)
    page = _int(request, "page", default=1, highest=MAX_PAGE)
    page_size = _int(request, "page_size", default=MAX_RESULTS, highest=MAX_RESULTS)
    found = queries.requests_public(
        membre=membre,
        references=references or None,
        codes=_list(request, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    photo_url = _photo_url_template()
    return render(fmt, "service_requests", [_request_data(s, photo_url) for s in found])


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    """Give one public request."""
    return _cached(request, lambda: _request_detail_built(request, fmt, service_request_id))


def _request_detail_built(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    membre = _jurisdiction(request)
    found = queries.request_public(service_request_id[:20], membre=membre)
    if found is None:
        raise Open311Error(
            404,
            _("Aucune demande publique « %(id)s ».") % {"id": service_request_id[:20]},
        )
    return render(fmt, "service_requests", [_request_data(found, _photo_url_template())])


@endpoint("GET")
def servicerequestupdates(request: HttpRequest, fmt: str) -> HttpResponse:
    """mySociety's extension: the public updates of public requests, oldest first."""
    membre = _jurisdiction(request)
    start, end = _window(request)
    assert start is not None
    page = _int(request, "page", default=1, highest=MAX_PAGE)
    page_size = _int(request, "page_size", default=MAX_RESULTS, highest=MAX_RESULTS)
    events = queries.updates_public(
        membre=membre,
        start=start,
        end=end or timezone.now(),
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    labels = dict(Signalement.Statut.choices)
    data = [
        {
            "update_id": str(event.pk),
            "service_request_id": event.signalement.reference,
            "status": UPDATE_STATUSES.get(event.statut_alors, "open"),  # type: ignore[attr-defined]
            "updated_datetime": w3c(event.cree_le),
            "description": event.texte
            or _("Statut : %(statut)s") % {"statut": labels.get(event.statut_alors, "")},  # type: ignore[attr-defined]
            "media_url": None,
        }
        for event in events
    ]
    return render(fmt, "service_requests_updates", data)


# --- posting a request -------------------------------------------------------------------------


def _key(request: HttpRequest) -> ApiKey:
    """Return the request's valid key, counted against its rate; else 403 or 429."""
    plaintext = _param(request, "api_key")
    if not plaintext:
        raise Open311Error(403, _("api_key manquante : une clé d’API est nécessaire pour déposer."))
    try:
        key = api_key_authenticate(plaintext)
    except KeyRejected as rejected:
        if rejected.revoked:
            raise Open311Error(403, _("Cette clé d’API a été révoquée.")) from rejected
        raise Open311Error(403, _("api_key invalide.")) from rejected
    retry_after = api_key_rate_hit(key)
    if retry_after is not None:
        seconds = max(1, math.ceil(retry_after))
        raise Open311Error(
            429,
            _(
                "Trop de requêtes : cette clé est limitée à %(rate)s requêtes par minute. "
                "Réessayez dans %(seconds)s s."
            )
            % {"rate": key.rate_per_minute, "seconds": seconds},
            headers={"Retry-After": str(seconds)},
        )
    if SCOPE not in key.scopes:
        raise Open311Error(
            403, _("Cette clé d’API n’a pas la portée « %(scope)s ».") % {"scope": SCOPE}
        )
    if key.membre is not None and not key.membre.active:
        raise Open311Error(403, _("Ce membre est suspendu : ses clés d’API ne donnent plus accès."))
    return key


def _validation_errors(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    descriptions = []
    for name, messages in error.message_dict.items():
        if name.startswith("q_"):
            parameter = f"attribute[{name[2:]}]"
        else:
            parameter = PARAMETERS.get(name, name)
        descriptions += [f"{parameter} : {message}" for message in messages]
    return descriptions


def _position(request: HttpRequest) -> tuple[float, float, str]:
    """Return lat, long and the address: given, or found from `address_string`."""
    address = _param(request, "address_string")[:300]
    lat_text, lon_text = _param(request, "lat"), _param(request, "long")
    if lat_text or lon_text:
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            lat = lon = math.nan
        if not (
            math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
        ):
            raise Open311Error(400, _("lat/long : donnez deux nombres décimaux (WGS84)."))
        return lat, lon, address
    if not address:
        raise Open311Error(400, _("Donnez la position : lat et long, ou address_string."))
    try:
        places = address_search(address)
    except AddressApiUnavailable as unavailable:
        raise Open311Error(
            503,
            _("La recherche d’adresse ne répond pas : envoyez lat et long."),
        ) from unavailable
    if not places:
        raise Open311Error(400, _("address_string : adresse introuvable, envoyez lat et long."))
    return places[0].lat, places[0].lon, places[0].label


def _attributes(request: HttpRequest) -> dict[str, str]:
    answers = {}
    for name in request.POST:
        if name.startswith("attribute[") and name.endswith("]"):
            answers[name[len("attribute[") : -1]] = request.POST.get(name, "")
    return answers


def _competent_check(
    *, key: ApiKey, membre: Membre | None, code: str, lat: float, lon: float
) -> None:
    """A member's key posts only where that member acts; a jurisdiction must be the one that
    acts there for this service."""
    if key.membre is None and membre is None:
        return
    # The category as signalement_create will find it at this point: the same routing decides.
    offered = category_at(lat=lat, lon=lon, code=code)
    if offered is None:
        return  # signalement_create names the problem, and creates nothing
    try:
        placement = placement_for(lat=lat, lon=lon, competence=offered.categorie.competence.code)
    except ValidationError as error:
        raise Open311Error(400, *_validation_errors(error)) from error
    if key.membre is not None and placement.membre != key.membre:
        raise Open311Error(
            403,
            _("Cette clé d’API ne dépose que pour %(membre)s ; ici, c’est %(titulaire)s.")
            % {"membre": key.membre.collectivite.nom, "titulaire": placement.titulaire_nom},
        )
    if membre is not None and placement.membre != membre:
        raise Open311Error(
            400,
            _("jurisdiction_id : ici, ce service relève de %(titulaire)s.")
            % {"titulaire": placement.titulaire_nom},
        )


def _requests_post(request: HttpRequest, fmt: str) -> HttpResponse:
    key = _key(request)
    membre = _jurisdiction(request)
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code manquant."))
    lat, lon, address = _position(request)
    _competent_check(key=key, membre=membre, code=code, lat=lat, lon=lon)
    files = request.FILES.getlist("media")
    if len(files) > MAX_PHOTOS:
        raise Open311Error(400, _("media : %(n)d photos au plus.") % {"n": MAX_PHOTOS})
    try:
        photos = photos_process(files)
        nom = " ".join(
            part for part in (_param(request, "first_name"), _param(request, "last_name")) if part
        )
        # media_url is never fetched: we do not load what a remote address serves.
        signalement = signalement_create(
            categorie_code=code,
            description=_param(request, "description"),
            lat=lat,
            lon=lon,
            adresse=address,
            reponses=_attributes(request),
            photos=photos,
            email=_param(request, "email"),
            nom=nom,
            telephone=_param(request, "phone"),
            source=Signalement.Source.OPEN311,
            cle_api=key,
            request=request,
        )
    except ValidationError as error:
        raise Open311Error(400, *_validation_errors(error)) from error
    recipient = recipient_label(signalement)
    answer: dict[str, Any]
    if signalement.publie_le is None:
        answer = {
            "token": signing.Signer(salt=TOKEN_SALT).sign(signalement.reference),
            "service_notice": _("Reçu : %(to)s publiera le signalement après relecture.")
            % {"to": recipient},
            "account_id": None,
        }
    else:
        if signalement.membre is not None:
            notice = _("Votre signalement est transmis à %(to)s.") % {"to": recipient}
        else:
            notice = _(
                "Votre signalement est enregistré ; %(to)s n’est pas membre de la plateforme."
            ) % {"to": recipient}
        answer = {
            "service_request_id": signalement.reference,
            "service_notice": notice,
            "account_id": None,
        }
    return render(fmt, "service_requests", [answer])


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the public requests, filtered. POST: file a request (needs an api_key)."""
    if request.method == "POST":
        return _requests_post(request, fmt)
    return _requests_get(request, fmt)


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Give the request id a token stands for, once the request is published."""
    try:
        reference = signing.Signer(salt=TOKEN_SALT).unsign(token[:100])
    except signing.BadSignature as bad:
        raise Open311Error(404, _("Jeton inconnu.")) from bad
    signalement = signalement_by_reference(reference)
    if signalement is None:
        raise Open311Error(404, _("Jeton inconnu."))
    data = [
        {
            "service_request_id": signalement.reference if signalement.public else None,
            "token": token,
        }
    ]
    return render(fmt, "service_requests", data)
