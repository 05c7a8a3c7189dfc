"""The member's datasets in its back office: the list (latest version, state, schema) that the
menu points to, and declaring a dataset."""

from django.urls import reverse

from socle.membres.models import AuditEvent
from socle.opendata.models import Jeu
from socle.opendata.services import version_publish
from tests.opendata.gestion_helpers import VALIDE


def test_it_lists_the_datasets_with_their_latest_version_state_and_schema(
    client, pessac, subventions, admin_pessac
):
    version_publish(acting_user=admin_pessac, jeu=subventions, contenu=VALIDE)
    version_publish(acting_user=admin_pessac, jeu=subventions, contenu=VALIDE)
    Jeu.objects.create(membre=pessac, slug="arbres", titre="Arbres d’alignement")
    client.force_login(admin_pessac)
    url = reverse("gestion:opendata:jeux", args=["pessac"])
    page = client.get(url).content.decode()
    assert f'href="{url}"' in page  # the menu entry
    jeu_url = reverse("gestion:opendata:jeu", args=["pessac", "subventions-versees"])
    assert f'<a href="{jeu_url}">Subventions versées</a>' in page
    assert "Version 2 du " in page and "Publié" in page
    assert "Subventions</td>" in page  # the schema's title
    assert "Arbres d’alignement" in page and "Jamais publié" in page
    assert reverse("gestion:opendata:nouveau", args=["pessac"]) in page


def test_it_shows_an_agent_the_list_without_the_way_to_declare(client, pessac, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(reverse("gestion:opendata:jeux", args=["pessac"]))
    assert response.status_code == 200
    assert "Aucun jeu de données pour le moment." in response.content.decode()
    assert reverse("gestion:opendata:nouveau", args=["pessac"]) not in response.content.decode()


def test_it_is_not_found_where_the_module_is_off(client, demo_members, admin_pessac):
    from socle.membres.services import membre_update

    pessac = demo_members.pessac
    membre_update(
        acting_user=None,
        membre=pessac,
        couleur=pessac.couleur,
        modules=[code for code in pessac.modules if code != "opendata"],
        hostname=pessac.hostname,
    )
    client.force_login(admin_pessac)
    assert client.get(reverse("gestion:opendata:jeux", args=["pessac"])).status_code == 404


def test_it_declares_a_dataset_then_asks_for_its_first_version(client, pessac, admin_pessac):
    client.force_login(admin_pessac)
    page = client.get(reverse("gestion:opendata:nouveau", args=["pessac"])).content.decode()
    assert '<option value="scdl/subventions">Subventions</option>' in page
    response = client.post(
        reverse("gestion:opendata:nouveau", args=["pessac"]),
        {
            "titre": "Délibérations du conseil",
            "description": "Depuis 2020.",
            "schema": "scdl/deliberations",
            "licence": "odbl",
            "frequence": "monthly",
        },
        follow=True,
    )
    jeu = Jeu.objects.get(membre=pessac)
    assert (jeu.slug, jeu.schema, jeu.licence, jeu.frequence) == (
        "deliberations-du-conseil",
        "scdl/deliberations",
        "odbl",
        "monthly",
    )
    assert response.redirect_chain[-1][0] == reverse(
        "gestion:opendata:deposer", args=["pessac", jeu.slug]
    )
    assert "déclaré : déposez-en la première version" in response.content.decode()
    assert AuditEvent.objects.filter(membre=pessac, action="jeu.creation").count() == 1


def test_it_refuses_a_dataset_without_title_or_with_a_taken_one(
    client, pessac, subventions, admin_pessac
):
    client.force_login(admin_pessac)
    url = reverse("gestion:opendata:nouveau", args=["pessac"])
    data = {"titre": "", "schema": "", "licence": "lo-2.0", "frequence": "unknown"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.content.decode()
    response = client.post(url, {**data, "titre": "Subventions versées"})
    assert response.status_code == 400
    assert "Un jeu de données porte déjà ce nom." in response.content.decode()
    assert Jeu.objects.filter(membre=pessac).count() == 1


def test_it_keeps_the_page_addresses_free(client, pessac, admin_pessac):
    client.force_login(admin_pessac)
    client.post(
        reverse("gestion:opendata:nouveau", args=["pessac"]),
        {"titre": "Nouveau", "schema": "", "licence": "lo-2.0", "frequence": "unknown"},
    )
    assert Jeu.objects.get(membre=pessac).slug == "nouveau-jeu"
