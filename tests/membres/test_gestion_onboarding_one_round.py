"""Onboarding checks every field in one round, the address with the rest, and shows it in full."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_the_address_with_the_other_errors(client, operateur, demo_members):
    client.force_login(operateur)
    response = client.post(
        "/gestion/membres/nouveau/",
        {
            "collectivite": "commune:33281",
            # Taken, and the e-mail and colour are wrong too: all three are said at once.
            "slug": "pessac",
            "admin_email": "pas-une-adresse",
            "couleur": "bleu",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["slug"] == ["Cette adresse est déjà utilisée."]
    assert "admin_email" in errors
    assert errors["couleur"] == ["La couleur doit être au format #RRVVBB."]
    assert response.content.decode().startswith("<!doctype html>")
    assert "Erreur" in response.content.decode().split("<title>")[1].split("</title>")[0]


def test_it_previews_the_full_address(client, operateur, demo_members, settings):
    client.force_login(operateur)
    page = client.get("/gestion/membres/nouveau/?collectivite=commune:33281").content.decode()
    assert f"{settings.SITE_URL.rstrip('/')}/merignac/" in page
    response = client.post(
        "/gestion/membres/nouveau/",
        {"collectivite": "commune:33281", "slug": "ville-de-merignac", "couleur": "x"},
    )
    assert f"{settings.SITE_URL.rstrip('/')}/ville-de-merignac/" in response.content.decode()
