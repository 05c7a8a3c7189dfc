"""The independent PyPI client `georeport` reads our services, service definitions, requests and
single requests from a live server, in JSON and in XML."""

import importlib

import pytest
from django.apps import apps
from georeport import GeoReport

from tests.signalements.conftest import PESSAC

METROPOLE = "243300316"


@pytest.fixture
def world(gironde_transactional):
    from socle.demo.setup import setup_members
    from socle.signalements.models import Categorie, Question
    from socle.signalements.services import signalement_create
    from tests.helpers.personas import persona

    # A transactional test before this one flushed what the migrations had seeded.
    importlib.import_module("socle.signalements.migrations.0002_seed_platform_categories").seed(
        apps, None
    )
    metropole = setup_members().members["bordeaux-metropole"]
    Question.objects.create(
        membre=metropole,
        categorie=Categorie.objects.get(code="nid-de-poule", membre=None),
        code="voie",
        libelle="Sur quelle voie ?",
        kind=Question.Kind.CHOIX,
        choix=[["chaussee", "Chaussée"], ["piste", "Piste cyclable"]],
        obligatoire=True,
    )
    citizen = persona("camille.citoyenne@example.fr")
    return [
        signalement_create(
            categorie_code="nid-de-poule",
            description=f"Trou numéro {n}.",
            lat=PESSAC[0],
            lon=PESSAC[1],
            reponses={"voie": "chaussee"},
            auteur=citizen,
        )
        for n in (1, 2)
    ]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_client_reads_our_api(live_server, world, output_format):
    first, second = world
    root = f"{live_server.url}/open311/v2"
    platform = GeoReport(root, output_format=output_format)
    metropole = GeoReport(root, jurisdiction=METROPOLE, output_format=output_format)

    codes = {service["service_code"] for service in platform.get_service_list()}
    assert {"nid-de-poule", "eclairage", "fuite-eau"} <= codes
    services = {s["service_code"]: s for s in metropole.get_service_list()}
    assert "eclairage" not in services
    assert str(services["nid-de-poule"]["metadata"]).lower() == "true"

    definition = metropole.get_service_definition("nid-de-poule")
    attributes = definition["attributes"]
    attribute = attributes[0] if output_format == "json" else attributes["attribute"]
    assert attribute["code"] == "voie"
    assert str(attribute["required"]).lower() == "true"
    values = attribute["values"] if output_format == "json" else attribute["values"]["value"]
    assert [value["key"] for value in values] == ["chaussee", "piste"]

    requests = platform.get_service_requests(service_code="nid-de-poule", status="open")
    assert [r["service_request_id"] for r in requests] == [second.reference, first.reference]
    assert requests[0]["description"] == "Trou numéro 2."
    assert requests[0]["agency_responsible"] == (
        "Bordeaux Métropole — Pôle territorial Sud — voirie"
    )
    assert "camille" not in str(requests).lower()

    single = metropole.get_service_request(first.reference)
    assert single["service_request_id"] == first.reference
    assert single["status"] == "open"
    assert float(single["lat"]) == PESSAC[0] and float(single["long"]) == PESSAC[1]
