"""A citizen logs in with FranceConnect: the authorization code flow over real HTTP.

The Django test client plays the browser on our side; the fake FranceConnect runs on
127.0.0.1 and is reached over HTTP both by the « browser » (its identity page) and by the
relying party (token, userinfo, JWKS).
"""

import datetime

import pytest

from socle.comptes.models import Identity, SecurityEvent, User
from tests.helpers.oidc import (
    SITE,
    logged_in_user,
    login_through,
    query,
    start_login,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_asks_franceconnect_for_eidas1_and_the_identity_claims(client, fake_fc):
    authorize = start_login(client)
    assert authorize.startswith(fake_fc.issuer + "/authorize?")
    params = query(authorize)
    assert params["response_type"] == "code"
    assert params["client_id"] == "socle-demo"
    assert params["redirect_uri"] == SITE + "/comptes/oidc/franceconnect/retour/"
    assert params["acr_values"] == "eidas1"
    assert params["scope"].split() == [
        "openid",
        "given_name",
        "family_name",
        "birthdate",
        "birthplace",
        "birthcountry",
        "gender",
        "email",
    ]
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    # Random each time.
    again = query(start_login(client))
    assert again["state"] != params["state"] and again["nonce"] != params["nonce"]


def test_it_logs_a_citizen_in_and_keeps_the_verified_identity(client, fake_fc):
    response = login_through(client, "angela")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/apres-connexion/"
    user = logged_in_user(client)
    assert user.is_authenticated
    assert user.email == "angela.dubois@example.fr"
    # FranceConnect passes on an address its provider verified: it is trusted as verified.
    assert user.email_verified_at is not None
    assert not user.has_usable_password()
    identity = Identity.objects.get(user=user)
    assert identity.provider == "franceconnect"
    assert identity.sub == fake_fc.sub_for("angela")
    assert identity.given_name == "Angela Claire Louise"
    assert identity.family_name == "DUBOIS"
    assert identity.birthdate == datetime.date(1962, 8, 24)
    assert identity.birthplace == "75107"
    assert identity.birthcountry == "99100"
    assert identity.gender == "female"
    assert identity.acr == "eidas1"
    assert identity.verified_at is not None

    space = client.get("/comptes/espace/")
    assert "Angela Claire Louise DUBOIS" in space.content.decode()
    login = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN, user=user)
    assert login.details["method"] == "franceconnect"


def test_it_brings_the_same_citizen_back_to_the_same_account(client, fake_fc):
    login_through(client, "pierre")
    first = logged_in_user(client)
    client.logout()

    login_through(client, "pierre")

    assert logged_in_user(client).pk == first.pk
    assert User.objects.count() == 1
    assert Identity.objects.count() == 1


def test_it_goes_back_to_the_page_the_citizen_was_going_to(client, fake_fc):
    response = login_through(client, "eric", next_url="/comptes/oidc/identites/")

    assert response["Location"] == "/comptes/oidc/identites/"
    page = client.get(response["Location"]).content.decode()
    assert "Identités vérifiées" in page
    assert "MARTIN" in page
