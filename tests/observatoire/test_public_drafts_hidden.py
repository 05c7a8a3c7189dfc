"""A project that is not published — a draft, one waiting for review, one withdrawn — is a 404
on every public page and in the API, and absent from the search, the exports and the open
data dataset."""

import json

import pytest
from django.urls import reverse

from socle.observatoire.services import projet_submit, projet_withdraw

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _hidden_everywhere(client, projet):
    assert client.get(reverse("observatoire-site:projet", args=[projet.slug])).status_code == 404
    response = client.get(reverse("api-observatoire:projet", args=[projet.slug]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "projet_inconnu"
    for url, params in (
        (reverse("observatoire-site:accueil"), {"q": projet.titre.split()[-1]}),
        (reverse("observatoire-site:accueil"), {}),
        (reverse("api-observatoire:projets"), {"q": projet.titre.split()[-1]}),
        (reverse("observatoire-site:export", args=["csv"]), {}),
        (reverse("observatoire-site:export", args=["json"]), {}),
        (reverse("observatoire-site:pres"), {"commune": "Pessac", "rayon": "tout"}),
        (reverse("observatoire-site:logiciels"), {}),
    ):
        body = _body(client.get(url, params))
        assert projet.slug not in body, url
        assert projet.titre not in body, url


def test_it_hides_a_draft(client, observatoire):
    _hidden_everywhere(client, observatoire.brouillon)


def test_it_hides_a_project_waiting_for_review(client, observatoire, agent_pessac):
    projet_submit(acting_user=agent_pessac, projet=observatoire.brouillon)
    _hidden_everywhere(client, observatoire.brouillon)


def test_it_hides_a_withdrawn_project(client, observatoire, agent_pessac):
    before = json.loads(_body(client.get(reverse("observatoire-site:export", args=["json"]))))
    assert observatoire.ecoles.slug in {record["slug"] for record in before}
    projet_withdraw(acting_user=agent_pessac, projet=observatoire.voirie)
    observatoire.voirie.refresh_from_db()
    _hidden_everywhere(client, observatoire.voirie)
    # Its software is no longer named by a published project, but Pessac still uses it.
    page = client.get(reverse("observatoire-site:logiciel", args=["publik"])).content.decode()
    assert observatoire.voirie.titre not in page


def test_it_keeps_software_and_actors_of_drafts_only_off_the_pages(
    client, demo_members, agent_pessac
):
    from socle.observatoire.services import logiciel_ensure, projet_create, projet_logiciels_set

    projet = projet_create(
        acting_user=agent_pessac,
        membre=demo_members.pessac,
        titre="Brouillon",
        themes=["inclusion"],
    )
    secret = logiciel_ensure(acting_user=agent_pessac, nom="Logiciel secret")
    projet_logiciels_set(acting_user=agent_pessac, projet=projet, logiciels=[secret])
    assert client.get(reverse("observatoire-site:logiciel", args=[secret.slug])).status_code == 404
    assert (
        "Logiciel secret" not in client.get(reverse("observatoire-site:logiciels")).content.decode()
    )
    # Pessac carries only a draft: no page for it yet.
    assert client.get(reverse("observatoire-site:acteur", args=["pessac"])).status_code == 404


def test_it_keeps_drafts_out_of_the_open_data_dataset(observatoire):
    from socle.opendata.generators import observatoire_lignes

    slugs = {row["slug"] for row in observatoire_lignes()}
    assert slugs == {observatoire.voirie.slug, observatoire.dkcl.slug, observatoire.ecoles.slug}
