"""A contact person appears on the public pages only while their consent holds: never before
they gave it, nowhere once they withdrew it (project, actor, software referent), and never in
the exports or the API, consent or not."""

import pytest
from django.urls import reverse

from socle.observatoire.services import contact_consent_give, contact_consent_withdraw

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def _pages(client, observatoire) -> dict[str, str]:
    urls = {
        "projet": reverse("observatoire-site:projet", args=[observatoire.voirie.slug]),
        "acteur": reverse("observatoire-site:acteur", args=["pessac"]),
        "logiciel": reverse("observatoire-site:logiciel", args=["publik"]),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def _data(client, observatoire) -> list[str]:
    bodies = []
    for format in ("csv", "json"):
        response = client.get(reverse("observatoire-site:export", args=[format]))
        bodies.append(b"".join(response.streaming_content).decode())
    bodies.append(client.get(reverse("api-observatoire:projets")).content.decode())
    bodies.append(
        client.get(
            reverse("api-observatoire:projet", args=[observatoire.voirie.slug])
        ).content.decode()
    )
    return bodies


def test_it_shows_a_consenting_contact_on_every_page(client, observatoire):
    pages = _pages(client, observatoire)
    for name, page in pages.items():
        assert "Anne Agent" in page, name
        assert observatoire.anne.email in page, name


def test_it_never_shows_someone_who_did_not_consent(client, observatoire):
    for name, page in _pages(client, observatoire).items():
        assert "Sylvain Silencieux" not in page, name
        assert "sylvain@pessac.example.fr" not in page, name


def test_it_hides_a_contact_everywhere_once_consent_is_withdrawn(client, observatoire):
    contact_consent_withdraw(contact=observatoire.anne)
    pages = _pages(client, observatoire)
    for name, page in pages.items():
        assert "Anne Agent" not in page, name
        assert observatoire.anne.email not in page, name
        assert "05 56 00 00 00" not in page, name
    # The project page falls back on the carrier's generic address, if any.
    assert "Qui contacter ?" in pages["projet"]


def test_it_falls_back_on_the_carriers_generic_address(client, observatoire):
    page = client.get(reverse("observatoire-site:projet", args=[observatoire.dkcl.slug]))
    page = page.content.decode()
    assert "Écrivez à Dunkerque" in page
    assert "mailto:accueil@ville-dunkerque.example.fr" in page
    assert "https://www.ville-dunkerque.fr" in page


def test_it_shows_a_contact_again_when_consent_is_given_again(client, observatoire):
    contact_consent_withdraw(contact=observatoire.anne)
    contact_consent_give(contact=observatoire.anne)
    assert "Anne Agent" in _pages(client, observatoire)["projet"]


def test_it_keeps_every_contact_out_of_the_data(client, observatoire):
    contact_consent_give(contact=observatoire.silencieux)
    for body in _data(client, observatoire):
        for text in ("Anne Agent", observatoire.anne.email, "Sylvain", "sylvain@pessac"):
            assert text not in body
        # Nobody who wrote or reviewed the pages either.
        assert "anne.agent" not in body and "olivia.operatrice" not in body
