"""Generated datasets get a new version only when their content changed."""

from socle.opendata.models import Jeu, Version
from socle.opendata.services import opendata_generate
from tests.helpers.open311 import report


def test_it_publishes_nothing_new_when_nothing_changed(demo_members, citizen):
    metropole = demo_members.metropole
    report((44.8065, -0.6310), auteur=citizen)

    first = opendata_generate(membre=metropole)
    assert {version.jeu.generateur for version in first} == {
        "equipements",
        "signalements",
        "elus",
        "catalogue",
    }
    assert all(version.numero == 1 for version in first)

    assert opendata_generate(membre=metropole) == []
    assert Version.objects.count() == len(first)
    assert Jeu.objects.filter(membre=metropole).count() == 4


def test_it_publishes_a_new_version_when_a_public_report_comes_in(demo_members, citizen):
    metropole = demo_members.metropole
    report((44.8065, -0.6310), auteur=citizen)
    opendata_generate(membre=metropole)
    jeu = Jeu.objects.get(membre=metropole, generateur="signalements")
    before = jeu.versions.get()

    new = report((44.8410, -0.5800), auteur=citizen)
    versions = opendata_generate(membre=metropole)

    assert [version.jeu.generateur for version in versions] == ["signalements"]
    latest = jeu.versions.order_by("-numero").first()
    assert latest.numero == 2 and latest.nb_lignes == before.nb_lignes + 1
    assert latest.sha256 != before.sha256
    assert new.reference in latest.fichier.open("rb").read().decode("utf-8")
    # The first version stays as it was.
    assert new.reference not in before.fichier.open("rb").read().decode("utf-8")


def test_it_creates_no_dataset_without_rows(demo_members):
    opendata_generate(membre=demo_members.metropole)

    assert not Jeu.objects.filter(membre=demo_members.metropole, generateur="signalements")
    assert Jeu.objects.filter(membre=demo_members.metropole, generateur="equipements").exists()
