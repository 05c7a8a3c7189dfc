"""The public side of open data: the portal pages, the files of every version, the catalogue.

Pages are a member's (/<slug>/donnees/…, only where it switched the module on) or the
structure's (/donnees/…; `slug` is None for its own datasets). Files are streamed from the
stored version, with Last-Modified (the version's publication) and ETag (its SHA-256): a client
that has them gets a 304. CSV cells that a spreadsheet would run as a formula are neutralised
(socle.core.tableur.csv_safe).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from socle.core.cartes import map_tiles_allowed
from socle.core.tableur import csv_safe
from socle.membres.models import Membre
from socle.opendata import dcat, selectors
from socle.opendata.models import Jeu, Version
from socle.routage.contact import membre_centre
from socle.territoires.holdings import outline_geojson
from socle.territoires.selectors import departement_mapped

PREVIEW_ROWS = 20
MAP_POINTS = 1000
ROWS_PER_CHUNK = 500
OUTLINE_CACHE_SECONDS = 6 * 3600

# --- Points --------------------------------------------------------------------------------------

LATITUDE_NAMES = ("latitude", "lat", "lat_coor1", "y_latitude", "ylat", "coord_lat")
LONGITUDE_NAMES = ("longitude", "long", "lon", "lng", "long_coor1", "x_longitude", "xlong")
LATITUDE_WORDS = {"lat", "latitude"}
LONGITUDE_WORDS = {"lon", "long", "lng", "longitude"}


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", name.lower()) if word]


def colonnes_geo(colonnes: Iterable[str]) -> tuple[str, str] | None:
    """Return the (latitude, longitude) columns of a table, recognised by their usual names
    (lat, latitude, lat_coor1, EQUIP_LAT…; long, lon, longitude, long_coor1…), or None."""
    colonnes = list(colonnes)

    def find(names: tuple[str, ...], words: set[str]) -> str | None:
        for name in names:
            for colonne in colonnes:
                if colonne.strip().lower() == name:
                    return colonne
        for colonne in colonnes:
            parts = _words(colonne)
            if any(word in words for word in parts) or any(
                word.startswith(tuple(words)) and word.rstrip("0123456789") in words
                for word in parts
            ):
                return colonne
        return None

    latitude = find(LATITUDE_NAMES, LATITUDE_WORDS)
    longitude = find(LONGITUDE_NAMES, LONGITUDE_WORDS)
    if latitude is None or longitude is None or latitude == longitude:
        return None
    return latitude, longitude


def _coordinate(value: Any, limit: float) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


def point(row: dict[str, Any], colonnes: tuple[str, str]) -> tuple[float, float] | None:
    """Return a row's (latitude, longitude), or None when either is missing or out of range."""
    latitude = _coordinate(row.get(colonnes[0], ""), 90)
    longitude = _coordinate(row.get(colonnes[1], ""), 180)
    if latitude is None or longitude is None:
        return None
    return latitude, longitude


# --- Helpers -------------------------------------------------------------------------------------


def _membre(slug: str | None) -> Membre | None:
    """The member of a page (None: the structure); 404 where the module is off."""
    if slug is None:
        return None
    membre = selectors.membre_opendata(slug)
    if membre is None:
        raise Http404(_("Cette collectivité ne publie pas de données ouvertes sur la plateforme."))
    return membre


def _jeu(slug: str | None, jeu: str) -> tuple[Membre | None, Jeu]:
    membre = _membre(slug)
    found = selectors.jeu_public(membre=membre, slug=jeu)
    if found is None:
        raise Http404(_("Ce jeu de données n’existe pas ou n’est pas encore publié."))
    return membre, found


def _version(jeu: Jeu, numero: str | int | None) -> Version:
    if numero is None:
        version = selectors.version_courante(jeu)
    else:
        version = selectors.version_numero(jeu, int(numero))
    if version is None:
        raise Http404(_("Cette version du jeu de données n’existe pas."))
    return version


def _liens(jeu: Jeu, numero: int | None = None) -> list[dict[str, str]]:
    return [
        {"format": fmt.upper(), "url": dcat.telechargement_url(jeu, fmt, numero)}
        for fmt in dcat.formats_of(jeu)
    ]


def _fiche(jeu: Jeu) -> dict[str, Any]:
    """What a listing shows of a dataset."""
    return {
        "jeu": jeu,
        "url": dcat.jeu_url(jeu),
        "licence": dcat.LICENCE_NAMES.get(jeu.licence, jeu.get_licence_display()),
        "licence_url": dcat.LICENCES.get(jeu.licence, ""),
        "schema": dcat.schema_ref(jeu),
        "liens": _liens(jeu),
        "api": dcat.api_url(jeu),
    }


def _outline(membre: Membre | None) -> str:
    collectivite = membre.collectivite if membre is not None else departement_mapped()
    if collectivite is None:
        return ""
    key = f"opendata:contour:{collectivite.kind}:{collectivite.code}"
    found = cache.get(key)
    if found is None:
        found = outline_geojson(collectivite)
        cache.set(key, found, OUTLINE_CACHE_SECONDS)
    return found


def _carte(membre: Membre | None) -> dict[str, Any]:
    """What the map needs: tiles, or the member's outline on a blank background."""
    return {
        "tuiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "contour": "" if settings.MAP_TILES_URL else _outline(membre),
        "centre": membre_centre(membre) if membre is not None else None,
    }


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    return map_tiles_allowed(response) if context.get("carte") else response


# --- Portal pages --------------------------------------------------------------------------------


@require_safe
def accueil(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's open data: its published datasets."""
    membre = _membre(slug)
    jeux = selectors.jeux_publics_avec_version(membre=membre)
    return render(
        request,
        "opendata/accueil.html",
        {
            "membre": membre,
            "fiches": [_fiche(jeu) for jeu in jeux],
            "catalogue_jsonld": dcat.catalogue_url(membre, "jsonld"),
            "catalogue_ttl": dcat.catalogue_url(membre, "ttl"),
        },
    )


class FiltreForm(forms.Form):
    """The structure's portal filters: by member, by schema."""

    membre = forms.ChoiceField(label=gettext_lazy("Collectivité"), required=False)
    schema = forms.ChoiceField(label=gettext_lazy("Schéma"), required=False)

    def __init__(self, *args: Any, membres: list[Membre], schemas: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["membre"]).choices = [
            ("", _("Toutes")),
            (dcat.STRUCTURE, _("La structure elle-même")),
            *((m.slug, m.collectivite.nom) for m in membres),
        ]
        cast(forms.ChoiceField, self.fields["schema"]).choices = [
            ("", _("Tous")),
            *((s, s) for s in schemas),
        ]


@require_safe
def site_accueil(request: HttpRequest) -> HttpResponse:
    """The structure's open data: every member's published datasets and its own."""
    membres = selectors.membres_opendata()
    every = selectors.jeux_du_site()
    form = FiltreForm(
        request.GET or None, membres=membres, schemas=selectors.schemas_publies(every)
    )
    jeux = every
    if form.is_valid():
        chosen = form.cleaned_data["membre"]
        if chosen == dcat.STRUCTURE:
            jeux = jeux.filter(membre__isnull=True)
        elif chosen:
            jeux = jeux.filter(membre__slug=chosen)
        if form.cleaned_data["schema"]:
            jeux = jeux.filter(schema=form.cleaned_data["schema"])
    elif form.is_bound:
        jeux = every.none()
    return render(
        request,
        "opendata/site_accueil.html",
        {
            "form": form,
            "fiches": [_fiche(jeu) for jeu in jeux],
            "catalogue_jsonld": dcat.catalogue_url(None, "jsonld"),
            "catalogue_ttl": dcat.catalogue_url(None, "ttl"),
        },
    )


@require_safe
def jeu_page(request: HttpRequest, slug: str | None, jeu: str) -> HttpResponse:
    """A dataset: what it is, its first rows, its map, its versions and their files."""
    membre, found = _jeu(slug, jeu)
    version = _version(found, None)
    colonnes = list(version.colonnes)
    apercu = [
        [row.get(colonne, "") for colonne in colonnes]
        for row in selectors.lignes_premieres(version, PREVIEW_ROWS)
    ]
    points: list[dict[str, Any]] = []
    geo = colonnes_geo(colonnes) if found.geographique else None
    if geo is not None:
        label = next((c for c in colonnes if c not in geo), colonnes[0])
        for row in selectors.lignes_premieres(version, MAP_POINTS):
            where = point(row, geo)
            if where is not None:
                points.append({"lat": where[0], "lon": where[1], "titre": str(row.get(label))})
    versions = [
        {"version": v, "liens": _liens(found, v.numero)} for v in selectors.versions_du_jeu(found)
    ]
    return _render(
        request,
        "opendata/jeu.html",
        {
            "membre": membre,
            "fiche": _fiche(found),
            "jeu": found,
            "version": version,
            "colonnes": colonnes,
            "apercu": apercu,
            "apercu_nombre": min(PREVIEW_ROWS, version.nb_lignes),
            "carte": _carte(membre) if geo is not None else None,
            "points": points,
            "points_limite": MAP_POINTS if version.nb_lignes > MAP_POINTS else 0,
            "versions": versions,
            "portail": dcat.portail_url(membre),
        },
    )


# --- Files ---------------------------------------------------------------------------------------


def _rows(version: Version) -> Iterator[list[str]]:
    """The stored file's rows, header first, blank rows skipped (as they were published)."""
    with version.fichier.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        for row in csv.reader(text):
            if any(cell for cell in row):
                yield row


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def _csv_lines(version: Version) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(version):
        writer.writerow([csv_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _records(version: Version) -> Iterator[dict[str, str]]:
    rows = _rows(version)
    header = next(rows, [])
    for row in rows:
        yield {name: row[index] if index < len(row) else "" for index, name in enumerate(header)}


def _json_lines(version: Version) -> Iterator[str]:
    yield "["
    for index, record in enumerate(_records(version)):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def _features(version: Version, geo: tuple[str, str]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for record in _records(version):
        where = point(record, geo)
        if where is None:
            continue
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [where[1], where[0]]},
            "properties": record,
        }
        yield ("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _skipped(version: Version, geo: tuple[str, str]) -> int:
    """How many rows have no usable point (counted once per version, then remembered)."""
    key = f"opendata:geojson-ignorees:{version.pk}"
    found = cache.get(key)
    if found is None:
        found = sum(1 for record in _records(version) if point(record, geo) is None)
        cache.set(key, found, None)
    return found


def _filename(jeu: Jeu, version: Version, format: str) -> str:
    owner = jeu.membre.slug if jeu.membre is not None else "structure"
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{owner}-{jeu.slug}-v{version.numero}")
    return f"{name.strip('-')[:150]}.{format}"


@require_safe
def telecharger(
    request: HttpRequest,
    slug: str | None,
    jeu: str,
    format: str,
    numero: str | None = None,
) -> HttpResponseBase:
    """A version's file (the latest, or `numero`) as CSV, JSON or GeoJSON, streamed."""
    _membre_found, found = _jeu(slug, jeu)
    version = _version(found, numero)
    geo = colonnes_geo(version.colonnes) if found.geographique else None
    if format == "geojson" and geo is None:
        raise Http404(_("Ce jeu de données n’a pas de coordonnées : pas de GeoJSON."))
    etag = f'"{version.sha256}-{format}"'
    last_modified = int(version.publie_le.timestamp())
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        conditional["Access-Control-Allow-Origin"] = "*"
        return conditional
    if format == "csv":
        body: Iterator[bytes] = _chunks(_csv_lines(version))
        content_type = "text/csv; charset=utf-8"
    elif format == "json":
        body = _chunks(_json_lines(version))
        content_type = "application/json; charset=utf-8"
    else:
        assert geo is not None
        body = _chunks(_features(version, geo))
        content_type = "application/geo+json; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type)
    if format == "geojson":
        assert geo is not None
        response["X-Lignes-Ignorees"] = str(_skipped(version, geo))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = f'attachment; filename="{_filename(found, version, format)}"'
    # A numbered version never changes; « latest » is revalidated (a 304 when unchanged).
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if numero is not None else "public, no-cache"
    )
    response["X-Version"] = str(version.numero)
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- The DCAT catalogue --------------------------------------------------------------------------

CATALOGUE_TYPES = {"jsonld": "application/ld+json", "ttl": "text/turtle"}


@require_safe
def catalogue(request: HttpRequest, slug: str | None, format: str) -> HttpResponse:
    """The DCAT-AP catalogue of a member (or of the structure: every dataset it lists)."""
    membre = _membre(slug)
    if slug is None:
        jeux = list(selectors.jeux_du_site())
    else:
        jeux = list(selectors.jeux_publics(membre=membre))
    graph = dcat.catalogue_graph(membre=membre, jeux=jeux)
    response = HttpResponse(
        dcat.catalogue_serialize(graph, format),
        content_type=f"{CATALOGUE_TYPES[format]}; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    modified = [jeu.modifie_le for jeu in jeux if jeu.modifie_le is not None]
    if modified:
        response["Last-Modified"] = http_date(max(modified).timestamp())
    return response
