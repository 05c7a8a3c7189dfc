"""The open data API: the catalogue of published datasets, and each dataset's rows, paginated,
filtered by column and sorted. Open to all (public_endpoint), errors in the API's shape.

`GET /api/v1/donnees/<member slug | structure>/<dataset>/lignes`:
- `page` (from 1), `page_size` (1 to 1000, default 50), `version` (a number; default the latest);
- `<column>=value` keeps the rows whose column equals the value, `<column>__contient=value`
  those whose column contains it, ignoring case; `tri=<column>` (or `-<column>`) sorts by the
  column's text;
- any other parameter is a column that does not exist: 400.
The count is the version's number of rows when nothing is filtered; a filtered answer has no
count (counting 200,000 rows on every call is what we avoid), only `next`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import http_date
from django.utils.translation import gettext as _

from socle.api.http import api_error, json_response, public_endpoint
from socle.membres.models import Membre
from socle.opendata import dcat, selectors
from socle.opendata.models import Jeu, Version

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
CONTAINS = "__contient"
RESERVED = ("page", "page_size", "version", "tri")

# Error codes of this API (documented in socle.opendata.openapi).
JEU_INCONNU = "jeu_inconnu"
VERSION_INCONNUE = "version_inconnue"
PARAMETRE_INVALIDE = "parametre_invalide"
COLONNE_INCONNUE = "colonne_inconnue"
MEMBRE_INCONNU = "membre_inconnu"
SCHEMA_INCONNU = "schema_inconnu"


class BadRequest(Exception):
    """A parameter the API cannot answer: its code, French message and details."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


def _integer(params: QueryDict, name: str, default: int, low: int, high: int | None) -> int:
    values = params.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise BadRequest(
            PARAMETRE_INVALIDE,
            _("Le paramètre « %(name)s » est donné plusieurs fois.") % {"name": name},
            {"parametre": name},
        )
    text = values[0].strip()
    if not text.isdigit() or not (low <= int(text) and (high is None or int(text) <= high)):
        bounds = (
            _("un entier entre %(low)s et %(high)s") % {"low": low, "high": high}
            if high is not None
            else _("un entier à partir de %(low)s") % {"low": low}
        )
        raise BadRequest(
            PARAMETRE_INVALIDE,
            _("Le paramètre « %(name)s » doit être %(bounds)s (reçu : « %(value)s »).")
            % {"name": name, "bounds": bounds, "value": values[0][:50]},
            {"parametre": name},
        )
    return int(text)


def _unknown_column(name: str, colonnes: list[str]) -> BadRequest:
    return BadRequest(
        COLONNE_INCONNUE,
        _("Colonne inconnue : « %(name)s ». Colonnes de ce jeu : %(columns)s.")
        % {"name": name[:80], "columns": ", ".join(colonnes)},
        {"colonne": name[:80], "colonnes": colonnes},
    )


def _filters(params: QueryDict, colonnes: list[str]) -> tuple[dict, dict, str, bool]:
    """Return (equal, contains, sort column, descending) from the query, or raise BadRequest."""
    egal: dict[str, str] = {}
    contient: dict[str, str] = {}
    for name in params:
        if name in RESERVED:
            continue
        values = params.getlist(name)
        if name in colonnes:
            target, column = egal, name
        elif name.endswith(CONTAINS) and name[: -len(CONTAINS)] in colonnes:
            target, column = contient, name[: -len(CONTAINS)]
        else:
            raise _unknown_column(name, colonnes)
        if len(values) > 1:
            raise BadRequest(
                PARAMETRE_INVALIDE,
                _("Le filtre « %(name)s » est donné plusieurs fois.") % {"name": name[:80]},
                {"parametre": name[:80]},
            )
        target[column] = values[0]
    tri = params.getlist("tri")
    if len(tri) > 1:
        raise BadRequest(
            PARAMETRE_INVALIDE,
            _("Le paramètre « tri » est donné plusieurs fois."),
            {"parametre": "tri"},
        )
    column = tri[0] if tri else ""
    descending = column.startswith("-")
    column = column[1:] if descending else column
    if tri and column not in colonnes:
        raise _unknown_column(column, colonnes)
    return egal, contient, column, descending


def _owner(slug: str) -> tuple[bool, Membre | None]:
    """(found, member) for the address's first segment: « structure » is the structure."""
    if slug == dcat.STRUCTURE:
        return True, None
    membre = selectors.membre_opendata(slug)
    return membre is not None, membre


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return dcat.absolute(request.path) + "?" + params.urlencode()


# How long a page of a version stays cached (a version never changes; memory is the limit).
LIGNES_CACHE_SECONDS = 3600


@public_endpoint
def lignes(request: HttpRequest, slug: str, jeu: str) -> HttpResponse:
    """A dataset's rows: one page, filtered and sorted as asked."""
    found, membre = _owner(slug)
    dataset: Jeu | None = selectors.jeu_public(membre=membre, slug=jeu) if found else None
    if dataset is None:
        return api_error(
            404,
            JEU_INCONNU,
            _("Aucun jeu de données publié « %(jeu)s » pour « %(slug)s ».")
            % {"jeu": jeu, "slug": slug},
        )
    try:
        numero = _integer(request.GET, "version", 0, 1, None)
        page = _integer(request.GET, "page", 1, 1, None)
        page_size = _integer(request.GET, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    except BadRequest as bad:
        return api_error(400, bad.code, bad.message, bad.details)
    version: Version | None = (
        selectors.version_numero(dataset, numero) if numero else selectors.version_courante(dataset)
    )
    if version is None:
        return api_error(
            404,
            VERSION_INCONNUE,
            _("Ce jeu de données n’a pas de version %(numero)s.") % {"numero": numero},
        )
    colonnes = list(version.colonnes)
    try:
        egal, contient, tri, descending = _filters(request.GET, colonnes)
    except BadRequest as bad:
        return api_error(400, bad.code, bad.message, bad.details)
    # A version never changes: the same question about it always has the same answer, so
    # sorts and « contient » filters (which read the whole version) are computed once.
    key = (
        "opendata:lignes:"
        + hashlib.sha256(
            repr((version.pk, request.get_host(), sorted(request.GET.lists()))).encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = _page(request, version, colonnes, page, page_size, egal, contient, tri, descending)
        cache.set(key, body, LIGNES_CACHE_SECONDS)
    response = json_response(body)
    response["Last-Modified"] = http_date(version.publie_le.timestamp())
    return response


def _page(
    request: HttpRequest,
    version: Version,
    colonnes: list[str],
    page: int,
    page_size: int,
    egal,
    contient,
    tri,
    descending: bool,
) -> dict[str, Any]:
    """Compute one page of a version's rows, filtered and sorted."""
    rows = selectors.lignes_filtrees(
        version=version, egal=egal, contient=contient, tri=tri, descendant=descending
    )
    start = (page - 1) * page_size
    if not egal and not contient and not tri:
        # Rows are numbered from 1 in file order: a page of the whole file starts at its
        # number, without reading (OFFSET) every row before it.
        rows, start = rows.filter(numero__gt=start), 0
    # One row more than the page says whether there is a next page, without a COUNT.
    window = list(rows.values_list("donnees", flat=True)[start : start + page_size + 1])
    more = len(window) > page_size
    body: dict[str, Any] = {}
    if not egal and not contient:
        body["count"] = version.nb_lignes
    body.update(
        {
            "version": version.numero,
            "page": page,
            "page_size": page_size,
            "results": [
                {colonne: row.get(colonne, "") for colonne in colonnes}
                for row in window[:page_size]
            ],
            "next": _page_url(request, page + 1) if more else None,
        }
    )
    return body


def _entry(jeu: Jeu) -> dict[str, Any]:
    reference = dcat.schema_ref(jeu)
    return {
        "membre": jeu.membre.slug if jeu.membre is not None else None,
        "collectivite": jeu.membre.collectivite.nom if jeu.membre is not None else None,
        "slug": jeu.slug,
        "titre": jeu.titre,
        "description": jeu.description,
        "licence": jeu.licence,
        "licence_url": dcat.LICENCES.get(jeu.licence, ""),
        "schema": (
            {"nom": reference.name, "version": reference.version, "url": reference.url}
            if reference is not None
            else None
        ),
        "frequence": jeu.frequence,
        "geographique": jeu.geographique,
        "mots_cles": list(jeu.mots_cles or []),
        "modifie_le": jeu.modifie_le.isoformat() if jeu.modifie_le else None,
        "version": getattr(jeu, "derniere_version", None),
        "nb_lignes": getattr(jeu, "derniere_nb_lignes", None),
        "page": dcat.absolute(dcat.jeu_url(jeu)),
        "lignes": dcat.absolute(dcat.api_url(jeu)),
        "telechargements": {
            fmt: dcat.absolute(dcat.telechargement_url(jeu, fmt)) for fmt in dcat.formats_of(jeu)
        },
    }


@public_endpoint
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every published dataset of the platform; `?membre=<slug | structure>`, `?schema=`."""
    for name in request.GET:
        if name not in ("membre", "schema"):
            return api_error(
                400,
                PARAMETRE_INVALIDE,
                _("Paramètre inconnu : « %(name)s ». Paramètres possibles : membre, schema.")
                % {"name": name[:80]},
                {"parametre": name[:80]},
            )
    jeux = selectors.jeux_du_site(schema=request.GET.get("schema", "").strip())
    slug = request.GET.get("membre", "").strip()
    if slug:
        found, membre = _owner(slug)
        if not found:
            return api_error(
                404,
                MEMBRE_INCONNU,
                _("Aucune collectivité « %(slug)s » ne publie de données ouvertes ici.")
                % {"slug": slug[:80]},
            )
        jeux = jeux.filter(membre=membre) if membre is not None else jeux.filter(membre=None)
    results = [_entry(jeu) for jeu in jeux]
    return json_response({"count": len(results), "results": results})
