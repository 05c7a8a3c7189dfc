"""The invitation page offers ProConnect, when it is configured, beside the password form."""

import pytest

from socle.membres.models import Role
from socle.membres.services import invitation_create
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_path(demo_members):
    _invitation, token = invitation_create(
        email="ines.ecole@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
    )
    return f"/comptes/invitation/{token}/"


@pytest.fixture
def proconnect_configured(settings):
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "proconnect": {
            **settings.OIDC_PROVIDERS["proconnect"],
            "ISSUER": "https://proconnect.example.test/api/v2",
            "CLIENT_ID": "socle",
            "CLIENT_SECRET": "secret",
        },
    }


@pytest.fixture
def proconnect_not_configured(settings):
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "proconnect": {**settings.OIDC_PROVIDERS["proconnect"], "ISSUER": "", "CLIENT_ID": ""},
    }


def test_it_offers_proconnect_to_accept(client, invitation_path, proconnect_configured):
    response = client.get(invitation_path)
    html = response.content.decode()

    assert 'action="/comptes/oidc/proconnect/connexion/"' in html
    assert "S’identifier avec ProConnect" in html
    # Back to the member's back office once ProConnect's login has accepted the invitation.
    assert '<input type="hidden" name="next" value="/gestion/pessac/">' in html
    assert "ines.ecole@pessac.example.fr" in html
    # The password form stays, for whoever has no ProConnect.
    assert 'name="password1"' in html
    assert_accessible(response)


def test_it_hides_proconnect_when_it_is_not_configured(
    client, invitation_path, proconnect_not_configured
):
    html = client.get(invitation_path).content.decode()
    assert "/comptes/oidc/proconnect/connexion/" not in html
    assert "Créer votre accès" in html
