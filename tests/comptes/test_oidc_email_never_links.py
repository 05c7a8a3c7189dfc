"""FranceConnect's email never opens an existing local account."""

import pytest

from socle.comptes.models import Identity, User
from socle.comptes.oidc.services import is_placeholder_email
from tests.helpers.oidc import (
    logged_in_user,
    login_through,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_opens_a_new_account_even_when_the_email_is_taken(client, fake_fc, password):
    local = User.objects.create_user(email="citoyen@example.fr", password=password)

    response = login_through(client, "camille")  # FranceConnect says: citoyen@example.fr

    user = logged_in_user(client)
    assert user.pk != local.pk
    assert is_placeholder_email(user.email)
    assert user.get_full_name() == "Camille CITOYENNE"
    assert Identity.objects.get(user=user).email == "citoyen@example.fr"
    assert not Identity.objects.filter(user=local).exists()
    # The citizen is invited to link the two accounts, by proving the local one is his.
    assert response["Location"] == "/comptes/oidc/identites/"
    page = client.get("/comptes/oidc/identites/").content.decode()
    assert "Un compte existe déjà avec l’adresse électronique transmise par FranceConnect" in page
    assert "Mot de passe du compte existant" in page
