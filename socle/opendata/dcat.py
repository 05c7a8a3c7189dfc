"""The stable addresses of published datasets, and their DCAT-AP catalogue (JSON-LD, Turtle).

Every IRI is the public URL of a page or a file (SITE_URL + path), so it stays the same as long
as the dataset keeps its address: the catalogue is the portal page, a dataset is its page, a
distribution is its « latest » download. data.gouv.fr harvests these documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from socle.membres.models import Membre
from socle.opendata.models import Jeu
from socle.opendata.schemas import SCHEMAS_DIR, schema_load

# The address segment of the structure's own datasets in the API (/api/v1/donnees/structure/…).
STRUCTURE = "structure"

FORMATS = ("csv", "json", "geojson")
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
}
# The EU file-type vocabulary (what DCAT-AP expects in dct:format).
FILE_TYPES = {"csv": "CSV", "json": "JSON", "geojson": "GEOJSON"}
LICENCES: dict[str, str] = {
    Jeu.Licence.LO: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Jeu.Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}
LICENCE_NAMES: dict[str, str] = {
    Jeu.Licence.LO: "Licence Ouverte 2.0",
    Jeu.Licence.ODBL: "ODbL 1.0",
}
# Our frequencies → the EU frequency vocabulary (udata reads « punctual » from NEVER).
FREQUENCIES: dict[str, str] = {
    Jeu.Frequence.CONTINUE: "CONT",
    Jeu.Frequence.QUOTIDIENNE: "DAILY",
    Jeu.Frequence.HEBDOMADAIRE: "WEEKLY",
    Jeu.Frequence.MENSUELLE: "MONTHLY",
    Jeu.Frequence.ANNUELLE: "ANNUAL",
    Jeu.Frequence.PONCTUELLE: "NEVER",
    Jeu.Frequence.INCONNUE: "UNKNOWN",
}
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA_MEDIA = Namespace("http://www.iana.org/assignments/media-types/")


# --- Addresses ---------------------------------------------------------------------------------


def absolute(path: str) -> str:
    """Return the public URL of a path of this site."""
    return settings.SITE_URL + path


def _kwargs(jeu: Jeu) -> tuple[str, dict[str, str]]:
    """The URL namespace of a dataset's pages, and the member's slug (none: the structure)."""
    if jeu.membre is None:
        return "opendata-site", {}
    return "opendata", {"slug": jeu.membre.slug}


def jeu_url(jeu: Jeu) -> str:
    """Return the path of a dataset's page."""
    namespace, kwargs = _kwargs(jeu)
    return reverse(f"{namespace}:jeu", kwargs={**kwargs, "jeu": jeu.slug})


def telechargement_url(jeu: Jeu, format: str, numero: int | None = None) -> str:
    """Return the path of a dataset's file: its latest version, or the version `numero`."""
    namespace, kwargs = _kwargs(jeu)
    kwargs = {**kwargs, "jeu": jeu.slug, "format": format}
    if numero is None:
        return reverse(f"{namespace}:telecharger", kwargs=kwargs)
    return reverse(f"{namespace}:telecharger_version", kwargs={**kwargs, "numero": numero})


def formats_of(jeu: Jeu) -> tuple[str, ...]:
    """Return the formats a dataset is served in (GeoJSON only for geographic data)."""
    return FORMATS if jeu.geographique else FORMATS[:2]


def api_url(jeu: Jeu) -> str:
    """Return the path of a dataset's rows in the API."""
    return reverse(
        "api-opendata:lignes",
        args=[jeu.membre.slug if jeu.membre is not None else STRUCTURE, jeu.slug],
    )


def portail_url(membre: Membre | None) -> str:
    """Return the path of a member's open data page (None: the structure's)."""
    if membre is None:
        return reverse("opendata-site:accueil")
    return reverse("opendata:accueil", args=[membre.slug])


def catalogue_url(membre: Membre | None, format: str) -> str:
    """Return the path of a member's DCAT catalogue (None: the structure's)."""
    if membre is None:
        return reverse("opendata-site:catalogue", kwargs={"format": format})
    return reverse("opendata:catalogue", kwargs={"slug": membre.slug, "format": format})


@dataclass(frozen=True)
class SchemaRef:
    """The national schema a dataset follows: for its badge and dct:conformsTo."""

    name: str
    title: str
    version: str
    url: str


@cache
def _catalogue_urls() -> dict[tuple[str, str], str]:
    """(schema, version) → its URL on schema.data.gouv.fr, from the shipped catalogue."""
    path = SCHEMAS_DIR / "schemas-scdl.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for entry in data.get("schemas", []):
        for version in entry.get("versions", []):
            url = version.get("schema_url", "")
            if url.endswith(".yml"):
                url = url[: -len(".yml")] + ".json"
            found[(entry.get("name", ""), version.get("version_name", ""))] = url
    return found


def schema_ref(jeu: Jeu) -> SchemaRef | None:
    """Return the schema a dataset declares (name, version, IRI), if any."""
    if not jeu.schema:
        return None
    schema = schema_load(jeu.schema)
    version = schema.version if schema is not None else ""
    title = schema.title if schema is not None else jeu.schema
    base = f"https://schema.data.gouv.fr/schemas/{jeu.schema}"
    url = _catalogue_urls().get((jeu.schema, version)) or (
        f"{base}/{version}/schema.json" if version else f"{base}/latest/schema.json"
    )
    return SchemaRef(name=jeu.schema, title=title, version=version, url=url)


# --- The catalogue -----------------------------------------------------------------------------


def _publisher(graph: Graph, membre: Membre | None) -> URIRef:
    if membre is None:
        node = URIRef(absolute(reverse("portail:accueil")) + "#organisation")
        name = settings.SITE_NAME
    else:
        node = URIRef(absolute(reverse("portail:membre", args=[membre.slug])) + "#organisation")
        name = membre.collectivite.nom
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(name)))
    if membre is not None:
        # INSEE code of a commune, département or région; SIREN of an EPCI.
        graph.add((node, DCTERMS.identifier, Literal(membre.collectivite.code)))
    return node


def _datetime(value) -> Literal:
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def _dataset(graph: Graph, jeu: Jeu, publishers: dict[Any, URIRef]) -> URIRef:
    page = absolute(jeu_url(jeu))
    node = URIRef(page)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(page)))
    graph.add((node, DCTERMS.title, Literal(jeu.titre, lang="fr")))
    graph.add((node, DCTERMS.description, Literal(jeu.description or jeu.titre, lang="fr")))
    graph.add((node, DCAT.landingPage, URIRef(page)))
    owner = jeu.membre_id
    if owner not in publishers:
        publishers[owner] = _publisher(graph, jeu.membre)
    graph.add((node, DCTERMS.publisher, publishers[owner]))
    graph.add((node, DCTERMS.issued, _datetime(jeu.cree_le)))
    if jeu.modifie_le is not None:
        graph.add((node, DCTERMS.modified, _datetime(jeu.modifie_le)))
    licence = URIRef(LICENCES.get(jeu.licence, LICENCES[Jeu.Licence.LO]))
    graph.add((node, DCTERMS.license, licence))
    frequency = FREQUENCIES.get(jeu.frequence, "UNKNOWN")
    graph.add((node, DCTERMS.accrualPeriodicity, EU_FREQUENCY[frequency]))
    reference = schema_ref(jeu)
    if reference is not None:
        graph.add((node, DCTERMS.conformsTo, URIRef(reference.url)))
    for keyword in jeu.mots_cles or []:
        if str(keyword).strip():
            graph.add((node, DCAT.keyword, Literal(str(keyword).strip(), lang="fr")))
    for format in formats_of(jeu):
        url = absolute(telechargement_url(jeu, format))
        distribution = URIRef(url)
        graph.add((node, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(f"{jeu.titre} ({format.upper()})")))
        graph.add((distribution, DCAT.accessURL, URIRef(page)))
        graph.add((distribution, DCAT.downloadURL, distribution))
        graph.add((distribution, DCAT.mediaType, IANA_MEDIA[MEDIA_TYPES[format]]))
        graph.add((distribution, DCTERMS["format"], EU_FILE_TYPE[FILE_TYPES[format]]))
        graph.add((distribution, DCTERMS.license, licence))
        if jeu.modifie_le is not None:
            graph.add((distribution, DCTERMS.modified, _datetime(jeu.modifie_le)))
        if reference is not None:
            graph.add((distribution, DCTERMS.conformsTo, URIRef(reference.url)))
    return node


def catalogue_graph(*, membre: Membre | None, jeux: list[Jeu]) -> Graph:
    """Return the DCAT-AP catalogue of a member (None: the structure) listing `jeux`."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    catalogue = URIRef(absolute(portail_url(membre)))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    if membre is None:
        title = f"Données ouvertes — {settings.SITE_NAME}"
        description = (
            f"Les jeux de données publiés sur {settings.SITE_NAME} par ses collectivités "
            "membres et par la structure."
        )
    else:
        title = f"Données ouvertes — {membre.collectivite.nom}"
        description = f"Les jeux de données publiés par {membre.collectivite.nom}."
    graph.add((catalogue, DCTERMS.title, Literal(title, lang="fr")))
    graph.add((catalogue, DCTERMS.description, Literal(description, lang="fr")))
    graph.add((catalogue, FOAF.homepage, URIRef(absolute(portail_url(membre)))))
    graph.add(
        (
            catalogue,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
        )
    )
    publishers: dict[Any, URIRef] = {}
    publishers[membre.pk if membre is not None else None] = _publisher(graph, membre)
    graph.add((catalogue, DCTERMS.publisher, publishers[membre.pk if membre is not None else None]))
    modified = [jeu.modifie_le for jeu in jeux if jeu.modifie_le is not None]
    if modified:
        graph.add((catalogue, DCTERMS.modified, _datetime(max(modified))))
    for jeu in jeux:
        graph.add((catalogue, DCAT.dataset, _dataset(graph, jeu, publishers)))
    return graph


def catalogue_serialize(graph: Graph, format: str) -> str:
    """Return the catalogue as JSON-LD (`jsonld`) or Turtle (`ttl`)."""
    if format == "jsonld":
        context = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "xsd": str(XSD)}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format="turtle")
