"""Changing one's password from « Mon espace »: journaled, the owner is told by email."""

import pytest
from django.test import Client

from socle.comptes.models import SecurityEvent
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def test_it_changes_the_password_and_keeps_the_session(
    client, citizen, password, smtp_server, django_capture_on_commit_callbacks
):
    other_session = Client()
    other_session.force_login(citizen)
    client.force_login(citizen)
    page = client.get("/comptes/mot-de-passe/changer/")
    assert page.status_code == 200
    assert_accessible(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/comptes/mot-de-passe/changer/",
            {
                "old_password": password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/espace/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert client.get("/comptes/espace/").status_code == 200
    # Other sessions end.
    assert other_session.get("/comptes/espace/").status_code == 302
    assert SecurityEvent.objects.filter(
        user=citizen, kind="password_changed", details__via="change"
    ).exists()
    [notice] = smtp_server.wait_for(1)
    assert notice["To"] == citizen.email


def test_it_asks_for_the_current_password(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/comptes/mot-de-passe/changer/",
        {
            "old_password": "pas-le-bon",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "Ce n’est pas votre mot de passe actuel." in response.content.decode()
    assert_accessible(response)
    citizen.refresh_from_db()
    assert not citizen.check_password(NEW_PASSWORD)
