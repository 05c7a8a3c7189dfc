"""The login page offers « S’identifier avec FranceConnect » and ProConnect for agents."""

import pytest

from tests.helpers.a11y import assert_accessible
from tests.helpers.oidc import (
    login_through,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_shows_the_franceconnect_and_proconnect_buttons(client, fake_fc, fake_pc):
    response = client.get("/comptes/connexion/?next=/comptes/espace/")

    html = response.content.decode()
    assert '<span class="fr-connect__login">S’identifier avec</span>' in html
    assert '<span class="fr-connect__brand">FranceConnect</span>' in html
    assert 'action="/comptes/oidc/franceconnect/connexion/"' in html
    assert "Qu’est-ce que FranceConnect ?" in html
    assert 'href="https://franceconnect.gouv.fr/"' in html
    assert "S’identifier avec ProConnect" in html
    assert 'action="/comptes/oidc/proconnect/connexion/"' in html
    assert html.count('<input type="hidden" name="next" value="/comptes/espace/">') == 3
    assert_accessible(response)


def test_it_hides_the_buttons_of_providers_said_unconfigured(rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "comptes/connexion.html",
        {"oidc_providers": {"franceconnect": True, "proconnect": False}, "form": None},
        request=rf.get("/comptes/connexion/"),
    )
    assert "fr-connect__brand" in html
    assert "S’identifier avec ProConnect" not in html


def test_its_error_and_account_pages_are_accessible(client, fake_fc):
    fake_fc.misbehave.id_token_nonce = "n" * 43
    refused = login_through(client, "angela")
    assert refused.status_code == 400
    assert_accessible(refused)

    fake_fc.misbehave.id_token_nonce = None
    login_through(client, "angela")
    assert_accessible(client.get("/comptes/oidc/identites/"))
    assert_accessible(client.get("/comptes/oidc/deconnexion/"))


def test_it_shows_no_identity_provider_button_when_none_is_configured(client, settings):
    settings.OIDC_PROVIDERS = {
        name: {**config, "ISSUER": "", "CLIENT_ID": ""}
        for name, config in settings.OIDC_PROVIDERS.items()
    }
    html = client.get("/comptes/connexion/").content.decode()
    assert "/comptes/oidc/franceconnect/connexion/" not in html
    assert "/comptes/oidc/proconnect/connexion/" not in html
    assert 'name="username"' in html
