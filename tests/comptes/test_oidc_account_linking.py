"""A citizen with both a password and FranceConnect sees one account.

Linking needs proof of the local account: either the citizen is logged in with it and then
goes through FranceConnect, or he is logged in through FranceConnect and types its password.
"""

import pytest
from django.utils import timezone

from socle.comptes.models import Identity, SecurityEvent, User
from socle.demo.fake_franceconnect import pick_identity
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import log_in
from tests.helpers.oidc import (
    assert_rejected,
    logged_in_user,
    login_through,
    start_login,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def local(db, password):
    return User.objects.create_user(
        email="citoyen@example.fr",
        password=password,
        first_name="Camille",
        last_name="C.",
        # Only an account whose address its owner proved can be linked.
        email_verified_at=timezone.now(),
    )


def _password_login(client, user, password):
    response = log_in(client, user, password)
    assert response.status_code == 302, response.content.decode()[:500]


def test_it_links_franceconnect_to_the_account_logged_in_with_its_password(
    client, fake_fc, local, password
):
    _password_login(client, local, password)
    page = client.get("/comptes/oidc/identites/")
    assert "Lier mon compte FranceConnect" in page.content.decode()
    assert_accessible(page)

    response = client.post("/comptes/oidc/franceconnect/lier/")
    back = pick_identity(response["Location"], "camille")
    response = client.get(back)

    assert response["Location"] == "/comptes/oidc/identites/"
    assert logged_in_user(client).pk == local.pk
    identity = Identity.objects.get(user=local)
    assert identity.family_name == "CITOYENNE"
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.IDENTITY_LINKED, user=local
    ).exists()

    # Later, FranceConnect alone opens the same account.
    client.logout()
    login_through(client, "camille")
    assert logged_in_user(client).pk == local.pk
    assert User.objects.count() == 1


def test_it_links_the_local_account_once_its_password_is_typed(client, fake_fc, local, password):
    login_through(client, "camille")
    provider_account = logged_in_user(client)
    assert provider_account.pk != local.pk

    response = client.post(
        "/comptes/oidc/identites/", {"email": "citoyen@example.fr", "password": password}
    )

    assert response.status_code == 302
    assert logged_in_user(client).pk == local.pk
    assert Identity.objects.get().user_id == local.pk
    provider_account.refresh_from_db()
    assert not provider_account.is_active
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IDENTITY_LINKED, user=local)
    assert event.details["merged_account"] == provider_account.pk

    # Both logins now lead to the one account.
    client.logout()
    login_through(client, "camille")
    assert logged_in_user(client).pk == local.pk
    client.logout()
    _password_login(client, local, password)
    assert logged_in_user(client).pk == local.pk


def test_it_refuses_to_link_without_the_right_password(client, fake_fc, local):
    login_through(client, "camille")
    provider_account = logged_in_user(client)

    response = client.post(
        "/comptes/oidc/identites/", {"email": "citoyen@example.fr", "password": "pas-le-bon"}
    )

    assert response.status_code == 400
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()
    assert logged_in_user(client).pk == provider_account.pk
    assert Identity.objects.get().user_id == provider_account.pk
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, user=local).exists()
    assert_accessible(response)


def test_it_refuses_an_identity_already_linked_to_another_local_account(
    client, fake_fc, local, password
):
    other = User.objects.create_user(
        email="autre@example.fr", password=password, email_verified_at=timezone.now()
    )
    _password_login(client, other, password)
    pick = pick_identity(client.post("/comptes/oidc/franceconnect/lier/")["Location"], "camille")
    client.get(pick)
    client.logout()

    _password_login(client, local, password)
    authorize = client.post("/comptes/oidc/franceconnect/lier/")["Location"]
    response = client.get(pick_identity(authorize, "camille"))

    assert_rejected(response, "identity_linked_elsewhere", status=403)
    assert Identity.objects.get().user_id == other.pk


def test_it_does_not_link_in_the_name_of_whoever_logs_in_meanwhile(
    client, fake_fc, local, password
):
    _password_login(client, local, password)
    authorize = client.post("/comptes/oidc/franceconnect/lier/")["Location"]
    client.logout()  # the session changes hands before the provider answers
    start_login(client)  # (a new session)

    response = client.get(pick_identity(authorize, "camille"))

    assert response.status_code == 400
    assert not Identity.objects.filter(user=local).exists()
