"""The return URL (`next`) never leads off the site."""

import pytest

from tests.helpers.oidc import (
    logged_in_user,
    login_through,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/comptes/espace/",
        "http://evil.example@testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
    ],
)
def test_it_ignores_a_return_url_to_another_site(client, fake_fc, next_url):
    response = login_through(client, "angela", next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == "/comptes/apres-connexion/"
    assert logged_in_user(client).is_authenticated


def test_it_keeps_a_return_url_on_this_site(client, fake_fc):
    response = login_through(client, "angela", next_url="/comptes/oidc/identites/?onglet=1")

    assert response["Location"] == "/comptes/oidc/identites/?onglet=1"
