"""The open data back office of a member is its own: another member's administrator gets 403
on every page, an agent (no opendata.publier) may look but not declare nor upload, and a
dataset of another member is not found through this member's addresses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socle.membres.models import Role
from socle.opendata.models import Jeu, Version
from socle.opendata.services import jeu_create
from tests.helpers.personas import persona
from tests.opendata.gestion_helpers import VALIDE

# (name, arguments after the member's slug, what a POST gets from whoever may see the page)
PAGES = [
    ("gestion:opendata:jeux", [], 405),
    ("gestion:opendata:nouveau", [], 403),
    ("gestion:opendata:jeu", ["subventions-versees"], 405),
    ("gestion:opendata:deposer", ["subventions-versees"], 403),
]


def _post_data():
    return {
        "titre": "Intrus",
        "schema": "",
        "licence": "lo-2.0",
        "frequence": "unknown",
        "fichier": SimpleUploadedFile("s.csv", VALIDE),
    }


@pytest.mark.parametrize(("name", "args", "post_status"), PAGES)
def test_it_refuses_another_members_administrator(
    client, subventions, demo_members, name, args, post_status
):
    admin_bordeaux = persona(
        "bruno.admin@bordeaux.example.fr",
        kind=Role.Kind.ADMINISTRATEUR,
        membre=demo_members.bordeaux,
    )
    client.force_login(admin_bordeaux)
    url = reverse(name, args=["pessac", *args])
    assert client.get(url).status_code == 403
    # A page that takes no POST says so first (405), as every back-office page does.
    assert client.post(url, _post_data()).status_code == post_status
    assert Jeu.objects.count() == 1 and not Version.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [("gestion:opendata:nouveau", []), ("gestion:opendata:deposer", ["subventions-versees"])],
)
def test_it_refuses_an_agent_declaring_or_uploading(client, subventions, agent_pessac, name, args):
    client.force_login(agent_pessac)
    url = reverse(name, args=["pessac", *args])
    assert client.get(url).status_code == 403
    assert client.post(url, _post_data()).status_code == 403
    assert Jeu.objects.count() == 1 and not Version.objects.exists()


def test_it_lets_an_agent_look(client, subventions, agent_pessac):
    client.force_login(agent_pessac)
    assert client.get(reverse("gestion:opendata:jeux", args=["pessac"])).status_code == 200
    page = client.get(reverse("gestion:opendata:jeu", args=["pessac", subventions.slug]))
    assert page.status_code == 200
    assert "Déposer une nouvelle version" not in page.content.decode()


def test_it_does_not_find_another_members_dataset(client, subventions, demo_members, admin_pessac):
    jeu_create(acting_user=None, membre=demo_members.bordeaux, titre="Budget de Bordeaux")
    client.force_login(admin_pessac)
    for name in ("gestion:opendata:jeu", "gestion:opendata:deposer"):
        url = reverse(name, args=["pessac", "budget-de-bordeaux"])
        assert client.get(url).status_code == 404
    deposer = reverse("gestion:opendata:deposer", args=["pessac", "budget-de-bordeaux"])
    assert client.post(deposer, _post_data()).status_code == 404
    assert not Version.objects.exists()


def test_it_sends_visitors_to_the_login_page(client, subventions):
    for name, args, _post_status in PAGES:
        response = client.get(reverse(name, args=["pessac", *args]))
        assert response.status_code == 302 and "/connexion" in response["Location"]
