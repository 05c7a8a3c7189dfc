"""A NUL character in a URL or a form gets the French « requête incorrecte » page (400)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/?q=saint%00", None),
        ("post", "/comptes/connexion/", {"username": "a\x00@example.fr", "password": "x"}),
        ("post", "/comptes/inscription/", {"email": "x\x00@example.fr"}),
    ],
)
def test_it_answers_400_in_french(client, method, path, data):
    response = getattr(client, method)(path, data) if data else client.get(path)
    assert response.status_code == 400
    assert "Cette adresse n’est pas servie ici" in response.content.decode() or (
        "Requête incorrecte" in response.content.decode()
    )
