"""Signing up with an address that already has an account tells nothing, but warns its owner."""

import pytest

from socle.comptes.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-de-passe-2026"


def _sign_up(client, django_capture_on_commit_callbacks, email):
    data = {
        "email": email,
        "first_name": "Quelqu’un",
        "last_name": "D’autre",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/comptes/inscription/", data, follow=True)


def test_it_answers_the_same_whether_the_address_is_taken_or_not(
    client, citizen, password, smtp_server, django_capture_on_commit_callbacks
):
    taken = _sign_up(client, django_capture_on_commit_callbacks, citizen.email.upper())
    fresh = _sign_up(client, django_capture_on_commit_callbacks, "nouvelle@example.fr")
    assert taken.redirect_chain == fresh.redirect_chain == [("/comptes/inscription/envoyee/", 302)]
    assert taken.status_code == fresh.status_code == 200

    def page(response, email):
        return response.content.decode().replace(email, "ADRESSE")

    assert page(taken, citizen.email.upper().lower()) == page(fresh, "nouvelle@example.fr")
    # The existing account is untouched: same names, same password.
    citizen.refresh_from_db()
    assert citizen.first_name == "Test"
    assert citizen.check_password(password)
    assert User.objects.filter(email__iexact=citizen.email).count() == 1


def test_it_tells_the_owner_that_someone_tried(
    client, citizen, smtp_server, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks, citizen.email)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == citizen.email
    assert "Tentative d’inscription" in message["Subject"]
    body = message.get_content()
    assert "Vous avez déjà un compte" in body
    assert "/comptes/mot-de-passe/oubli/" in body
    assert "/comptes/verification/" not in body
