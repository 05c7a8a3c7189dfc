"""A weak password and a different confirmation are both told at once."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_strength_and_confirmation_together(client):
    response = client.post(
        "/comptes/inscription/",
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille.martin@example.fr",
            "password1": "court",
            "password2": "autre chose",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "password1" in errors
    assert "password2" in errors


def test_it_titles_the_page_as_an_error_and_focuses_the_summary(client):
    response = client.post("/comptes/inscription/", {"email": "pas-une-adresse"})
    html = response.content.decode()
    assert "<title>Erreur : Créer un compte" in html
    # kit.js moves the focus to the summary marked data-kit-focus; its links lead to the fields.
    assert 'id="erreurs" data-kit-focus' in html
    assert 'href="#id_email"' in html
