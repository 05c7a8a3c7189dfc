"""The DCAT-AP catalogues (JSON-LD and Turtle), a member's and the structure's, parse as RDF
and describe each published dataset: publisher, dates, licence, frequency, schema, files."""

import pytest
from rdflib import Graph, Literal, URIRef, namespace

from socle.opendata.services import jeu_create
from tests.opendata.serve_data import (  # noqa: F401 - fixture
    lieux,
    opendata_media,
    subventions,
    with_opendata,
    without_opendata,
)

pytestmark = pytest.mark.django_db
ETALAB = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
ODBL = URIRef("https://opendatacommons.org/licenses/odbl/1-0/")
FREQ = "http://publications.europa.eu/resource/authority/frequency/"


@pytest.fixture
def published(demo_members, admin_pessac):
    pessac = with_opendata(demo_members.pessac)
    subventions_jeu = subventions(pessac, admin_pessac)
    lieux_jeu = lieux(pessac, admin_pessac)
    jeu_create(acting_user=admin_pessac, membre=pessac, titre="Pas encore publié")
    return subventions_jeu, lieux_jeu


def _graph(client, url: str, format: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format=format)
    return graph


def _modified(jeu) -> Literal:
    return Literal(jeu.modifie_le.isoformat(timespec="seconds"), datatype=namespace.XSD.dateTime)


@pytest.mark.parametrize(
    ("suffix", "rdf_format", "content_type"),
    [("jsonld", "json-ld", "application/ld+json"), ("ttl", "turtle", "text/turtle")],
)
def test_it_describes_a_members_datasets(
    client, published, settings, suffix, rdf_format, content_type
):
    subventions_jeu, lieux_jeu = published
    url = f"/pessac/donnees/catalogue.{suffix}"
    assert client.get(url)["Content-Type"].startswith(content_type)
    graph = _graph(client, url, rdf_format)
    base = settings.SITE_URL
    catalogue = URIRef(f"{base}/pessac/donnees/")
    assert (catalogue, namespace.RDF.type, namespace.DCAT.Catalog) in graph
    subventions_iri = URIRef(f"{base}/pessac/donnees/subventions-versees/")
    lieux_iri = URIRef(f"{base}/pessac/donnees/lieux-publics/")
    assert set(graph.objects(catalogue, namespace.DCAT.dataset)) == {subventions_iri, lieux_iri}

    assert (subventions_iri, namespace.RDF.type, namespace.DCAT.Dataset) in graph
    assert (
        subventions_iri,
        namespace.DCTERMS.title,
        Literal("Subventions versées", lang="fr"),
    ) in graph
    assert (subventions_iri, namespace.DCTERMS.modified, _modified(subventions_jeu)) in graph
    assert (lieux_iri, namespace.DCTERMS.modified, _modified(lieux_jeu)) in graph
    assert (subventions_iri, namespace.DCTERMS.license, ETALAB) in graph
    assert (lieux_iri, namespace.DCTERMS.license, ODBL) in graph
    assert (subventions_iri, namespace.DCTERMS.accrualPeriodicity, URIRef(FREQ + "ANNUAL")) in graph
    assert (lieux_iri, namespace.DCTERMS.accrualPeriodicity, URIRef(FREQ + "MONTHLY")) in graph
    assert (
        subventions_iri,
        namespace.DCTERMS.conformsTo,
        URIRef("https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json"),
    ) in graph

    publisher = graph.value(subventions_iri, namespace.DCTERMS.publisher)
    assert (publisher, namespace.RDF.type, namespace.FOAF.Organization) in graph
    assert (publisher, namespace.FOAF.name, Literal("Pessac")) in graph
    assert (publisher, namespace.DCTERMS.identifier, Literal("33318")) in graph

    distributions = set(graph.objects(subventions_iri, namespace.DCAT.distribution))
    downloads = {graph.value(d, namespace.DCAT.downloadURL) for d in distributions}
    assert downloads == {
        URIRef(f"{base}/pessac/donnees/subventions-versees.csv"),
        URIRef(f"{base}/pessac/donnees/subventions-versees.json"),
    }
    csv_distribution = URIRef(f"{base}/pessac/donnees/subventions-versees.csv")
    assert (
        csv_distribution,
        namespace.DCAT.mediaType,
        URIRef("http://www.iana.org/assignments/media-types/text/csv"),
    ) in graph
    assert (
        csv_distribution,
        namespace.DCTERMS["format"],
        URIRef("http://publications.europa.eu/resource/authority/file-type/CSV"),
    ) in graph
    assert len(set(graph.objects(lieux_iri, namespace.DCAT.distribution))) == 3


def test_every_address_it_gives_answers(client, published):
    graph = _graph(client, "/pessac/donnees/catalogue.ttl", "turtle")
    addresses = set(graph.objects(None, namespace.DCAT.downloadURL)) | set(
        graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset)
    )
    assert len(addresses) == 2 + 5
    for address in addresses:
        path = str(address).split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200, address


@pytest.mark.parametrize(("suffix", "rdf_format"), [("jsonld", "json-ld"), ("ttl", "turtle")])
def test_the_structures_catalogue_lists_the_members_and_its_own(
    client, published, settings, suffix, rdf_format, demo_members
):
    lieux(None, None)
    subventions(without_opendata(demo_members.bordeaux), None, titre="Subventions de Bordeaux")
    graph = _graph(client, f"/donnees/catalogue.{suffix}", rdf_format)
    base = settings.SITE_URL
    catalogue = URIRef(f"{base}/donnees/")
    assert set(graph.objects(catalogue, namespace.DCAT.dataset)) == {
        URIRef(f"{base}/pessac/donnees/subventions-versees/"),
        URIRef(f"{base}/pessac/donnees/lieux-publics/"),
        URIRef(f"{base}/donnees/structure/lieux-publics/"),
    }
    publishers = {
        str(graph.value(p, namespace.FOAF.name))
        for p in graph.objects(None, namespace.DCTERMS.publisher)
    }
    assert publishers == {"Pessac", settings.SITE_NAME}


def test_a_member_without_the_module_has_no_catalogue(client, demo_members):
    without_opendata(demo_members.bordeaux)
    assert client.get("/bordeaux/donnees/catalogue.ttl").status_code == 404
    assert client.get("/bordeaux/donnees/catalogue.jsonld").status_code == 404
