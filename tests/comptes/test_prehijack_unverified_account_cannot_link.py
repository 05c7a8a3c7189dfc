"""Pre-hijack: an account whose address nobody proved cannot be given a provider identity."""

import pytest
from django.utils import timezone

from socle.comptes.models import Identity, User
from socle.demo.fake_franceconnect import pick_identity
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import log_in
from tests.helpers.oidc import assert_rejected, logged_in_user, login_through

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db

SQUATTER_PASSWORD = "Squatteur-Mot-2026!"


@pytest.fixture
def unverified(client):
    """An account registered through the sign-up page; its address was never proved."""
    response = client.post(
        "/comptes/inscription/",
        {
            "email": "futur.agent@pessac.example.fr",
            "first_name": "Futur",
            "last_name": "Agent",
            "password1": SQUATTER_PASSWORD,
            "password2": SQUATTER_PASSWORD,
        },
    )
    assert response.status_code == 302
    return User.objects.get(email="futur.agent@pessac.example.fr")


def test_it_refuses_to_link_franceconnect_to_an_unverified_account(client, fake_fc, unverified):
    assert log_in(client, unverified, SQUATTER_PASSWORD).status_code == 302
    authorize = client.post("/comptes/oidc/franceconnect/lier/")["Location"]
    response = client.get(pick_identity(authorize, "angela"))

    assert_rejected(response, "account_unverified", status=403)
    assert "Confirmez d’abord votre adresse électronique" in response.content.decode()
    assert_accessible(response)
    assert not Identity.objects.exists()


def test_it_refuses_to_fold_a_franceconnect_account_into_an_unverified_one(
    client, fake_fc, unverified
):
    login_through(client, "angela")
    provider_account = logged_in_user(client)

    response = client.post(
        "/comptes/oidc/identites/",
        {"email": unverified.email, "password": SQUATTER_PASSWORD},
    )

    assert_rejected(response, "account_unverified", status=403)
    assert Identity.objects.get().user_id == provider_account.pk


def test_it_links_once_the_address_is_verified(client, fake_fc, unverified):
    User.objects.filter(pk=unverified.pk).update(email_verified_at=timezone.now())
    assert log_in(client, unverified, SQUATTER_PASSWORD).status_code == 302
    authorize = client.post("/comptes/oidc/franceconnect/lier/")["Location"]
    client.get(pick_identity(authorize, "angela"))
    assert Identity.objects.get().user_id == unverified.pk
