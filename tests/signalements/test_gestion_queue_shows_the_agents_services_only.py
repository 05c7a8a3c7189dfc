from django.urls import reverse

from socle.signalements.services import signalement_create
from tests.signalements.conftest import BORDEAUX, PESSAC


def _report(citizen, point, description):
    return signalement_create(
        categorie_code="nid-de-poule",
        description=description,
        lat=point[0],
        lon=point[1],
        auteur=citizen,
    )


def test_it_shows_the_southern_agent_pessacs_pothole_and_not_bordeauxs(
    client, demo_members, citizen, agent_voirie_sud, agent_voirie_nord
):
    pessac = _report(citizen, PESSAC, "Trou devant la mairie de Pessac.")
    bordeaux = _report(citizen, BORDEAUX, "Trou rue Sainte-Catherine.")
    slug = demo_members.metropole.slug
    url = reverse("gestion:signalements:file", args=[slug])

    client.force_login(agent_voirie_sud)
    page = client.get(url).content.decode()
    assert pessac.reference in page
    assert bordeaux.reference not in page
    detail = reverse("gestion:signalements:detail", args=[slug, bordeaux.reference])
    assert client.get(detail).status_code == 404

    client.force_login(agent_voirie_nord)
    page = client.get(url).content.decode()
    assert bordeaux.reference in page
    assert pessac.reference not in page


def test_it_offers_only_the_agents_services_in_the_filter(client, demo_members, agent_voirie_sud):
    client.force_login(agent_voirie_sud)
    response = client.get(reverse("gestion:signalements:file", args=[demo_members.metropole.slug]))
    form = response.context["form"]
    services = [label for value, label in form.fields["service"].choices if value]
    assert services == ["Pôle territorial Sud — voirie"]
