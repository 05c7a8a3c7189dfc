"""The observatory's read API, open to all (public_endpoint), errors in the API's shape.

- `GET /api/v1/observatoire/projets`: the published projects, searched and filtered as the
  public page does: `q` (French words), `theme` and `statut` (repeatable: any of them),
  `departement`, `region`, `tranche`, `logiciel` (a software's slug); `page` (from 1) and
  `page_size` (1 to 100, default 20). Any other parameter, a value out of its list or a bad
  number is a 400 (`parametre_invalide`).
- `GET /api/v1/observatoire/projets/<slug>`: one published project, in full; a draft, a
  withdrawn page or an unknown address is a 404 (`projet_inconnu`).

No personal data: no contact person (see socle.observatoire.exports).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from socle.api.http import api_error, json_response, public_endpoint
from socle.observatoire import exports, public_search, selectors
from socle.observatoire.models import Projet
from socle.observatoire.themes import THEMES, TRANCHES

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_QUERY = 200
REPEATABLE = ("theme", "statut")
PARAMETERS = (
    "q",
    "theme",
    "statut",
    "departement",
    "region",
    "tranche",
    "logiciel",
    "page",
    "page_size",
)
CODE_RE = re.compile(r"^[0-9A-Za-z]{1,3}$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")

# Error codes of this API (documented in socle.observatoire.openapi).
PARAMETRE_INVALIDE = "parametre_invalide"
PROJET_INCONNU = "projet_inconnu"


class BadRequest(Exception):
    """A parameter the API cannot answer: its French message and details."""

    def __init__(self, message: str, details: dict[str, Any]):
        super().__init__(message)
        self.message = message
        self.details = details


def _integer(params: QueryDict, name: str, default: int, high: int | None) -> int:
    text = params.get(name, "").strip()
    if name not in params:
        return default
    if not text.isdigit() or int(text) < 1 or (high is not None and int(text) > high):
        bounds = (
            _("un entier entre 1 et %(high)s") % {"high": high}
            if high is not None
            else _("un entier à partir de 1")
        )
        raise BadRequest(
            _("Le paramètre « %(name)s » doit être %(bounds)s (reçu : « %(value)s »).")
            % {"name": name, "bounds": bounds, "value": text[:50]},
            {"parametre": name},
        )
    return int(text)


def _among(name: str, values: list[str], allowed: list[str]) -> list[str]:
    for value in values:
        if value not in allowed:
            raise BadRequest(
                _(
                    "Valeur inconnue pour « %(name)s » : « %(value)s ». "
                    "Valeurs possibles : %(allowed)s."
                )
                % {"name": name, "value": value[:80], "allowed": ", ".join(allowed)},
                {"parametre": name, "valeurs_possibles": allowed},
            )
    return values


def _one(params: QueryDict, name: str, pattern: re.Pattern[str] | None = None) -> str:
    value = params.get(name, "").strip()
    if value and pattern is not None and not pattern.match(value):
        raise BadRequest(
            _("Valeur invalide pour « %(name)s » : « %(value)s ».")
            % {"name": name, "value": value[:80]},
            {"parametre": name},
        )
    return value


def _criteria(params: QueryDict) -> dict[str, Any]:
    """Read and check the query; raise BadRequest on the first problem."""
    for name in params:
        if name not in PARAMETERS:
            raise BadRequest(
                _("Paramètre inconnu : « %(name)s ». Paramètres possibles : %(names)s.")
                % {"name": name[:80], "names": ", ".join(PARAMETERS)},
                {"parametre": name[:80], "parametres_possibles": list(PARAMETERS)},
            )
        if name not in REPEATABLE and len(params.getlist(name)) > 1:
            raise BadRequest(
                _("Le paramètre « %(name)s » est donné plusieurs fois.") % {"name": name},
                {"parametre": name},
            )
    q = params.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise BadRequest(
            _("La recherche tient en %(n)s caractères au plus.") % {"n": MAX_QUERY},
            {"parametre": "q"},
        )
    tranches = [code for code, _label, _low, _high in TRANCHES]
    tranche = _one(params, "tranche")
    if tranche:
        _among("tranche", [tranche], tranches)
    return {
        "q": q,
        "themes": _among("theme", [v.strip() for v in params.getlist("theme")], list(THEMES)),
        "statuts": _among(
            "statut", [v.strip() for v in params.getlist("statut")], list(Projet.Statut.values)
        ),
        "departement": _one(params, "departement", CODE_RE).upper(),
        "region": _one(params, "region", CODE_RE).upper(),
        "tranche": tranche,
        "logiciel": _one(params, "logiciel", SLUG_RE),
        "page": _integer(params, "page", 1, None),
        "per_page": _integer(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    }


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return settings.SITE_URL + request.path + "?" + params.urlencode()


@public_endpoint
def projets(request: HttpRequest) -> HttpResponse:
    """The published projects matching the query: one page, and the facet counts."""
    try:
        criteria = _criteria(request.GET)
    except BadRequest as bad:
        return api_error(400, PARAMETRE_INVALIDE, bad.message, bad.details)
    found = public_search.recherche_projets(**criteria)
    last = max(1, -(-found.total // found.per_page))
    return json_response(
        {
            "count": found.total,
            "page": found.page,
            "page_size": found.per_page,
            "results": [exports.projet_resume(projet) for projet in found.projets],
            "facettes": found.facettes,
            "next": _page_url(request, found.page + 1) if found.page < last else None,
            "previous": _page_url(request, found.page - 1) if found.page > 1 else None,
        }
    )


@public_endpoint
def projet(request: HttpRequest, slug: str) -> HttpResponse:
    """One published project, everything public about it."""
    try:
        found = selectors.projet_public(slug=slug)
    except Http404:
        return api_error(
            404, PROJET_INCONNU, _("Aucun projet publié à l’adresse « %(slug)s ».") % {"slug": slug}
        )
    return json_response(exports.projet_record(found))
