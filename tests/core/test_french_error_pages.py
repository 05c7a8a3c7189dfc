"""A failed CSRF check (403) and an unknown host name (400) answer a French page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_explains_a_failed_csrf_check_in_french():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "a@example.fr", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Votre formulaire n’a pas pu être envoyé" in page
    assert "CSRF verification failed" not in page
    assert "Content-Security-Policy" in response


def test_it_explains_an_unknown_host_name_in_french(client):
    response = client.get("/", HTTP_HOST="attaquant.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Cette adresse n’est pas servie ici" in page
    assert "Bad Request" not in page
