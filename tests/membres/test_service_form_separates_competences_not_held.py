"""The service form puts first the competences the member holds; the others apart, with why."""

import re

import pytest

from socle.membres.models import Service
from socle.territoires.models import Competence
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def _group(html: str, legend: str) -> str:
    """The HTML of the inner fieldset whose legend is `legend`."""
    match = re.search(rf"<legend>{re.escape(legend)}</legend>(.*?)</fieldset>", html, re.S)
    assert match, legend
    return match.group(1)


def _box(code: str) -> str:
    return f'value="{Competence.objects.get(code=code).pk}"'


def test_it_offers_first_what_pessac_holds_and_warns_about_the_rest(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    response = client.get("/gestion/pessac/services/nouveau/")
    html = response.content.decode()

    held = _group(html, "Exercées par Pessac")
    not_held = _group(html, "Non exercées par Pessac")
    # État civil is Pessac's; voirie and waste belong to the Métropole by law, collèges to the
    # département: a Pessac service for them would receive nothing.
    assert _box("etat-civil") in held and _box("espaces-verts") in held
    for code in ("voirie", "dechets", "colleges"):
        assert _box(code) in not_held and _box(code) not in held
    assert "un service d’ici qui les traite n’en reçoit aucune" in not_held
    assert 'aria-describedby="competences-non-exercees"' in html
    assert_accessible(response)


def test_it_offers_the_metropole_what_it_holds_by_law(client, demo_members, operateur):
    client.force_login(operateur)
    html = client.get("/gestion/bordeaux-metropole/services/nouveau/").content.decode()

    held = _group(html, "Exercées par Bordeaux Métropole")
    assert _box("voirie") in held and _box("dechets") in held
    assert _box("etat-civil") in _group(html, "Non exercées par Bordeaux Métropole")


def test_it_still_saves_a_competence_not_held(client, demo_members):
    """An older service keeps its competences when edited; the warning says what it means."""
    client.force_login(demo_members.admin_pessac)
    voirie = Competence.objects.get(code="voirie")
    response = client.post(
        "/gestion/pessac/services/nouveau/",
        {"nom": "Voirie communale", "competences": [voirie.pk]},
    )
    assert response.status_code == 302
    service = Service.objects.get(membre=demo_members.pessac, nom="Voirie communale")
    assert list(service.competences.values_list("code", flat=True)) == ["voirie"]
    html = client.get(f"/gestion/pessac/services/{service.pk}/").content.decode()
    assert re.search(rf"{_box('voirie')}[^>]*checked", _group(html, "Non exercées par Pessac"))
