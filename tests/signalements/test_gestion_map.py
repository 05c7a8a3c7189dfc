import json

from django.urls import reverse

from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_gives_the_filtered_reports_as_points_and_as_a_list(
    client, demo_members, citizen, admin_pessac, settings
):
    settings.MAP_TILES_URL = ""
    report = signalement_create(
        categorie_code="tag", description="Tag.", lat=PESSAC[0], lon=PESSAC[1], auteur=citizen
    )
    other = signalement_create(
        categorie_code="depot-sauvage",
        description="Dépôt.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(admin_pessac)
    slug = demo_members.pessac.slug
    response = client.get(reverse("gestion:signalements:carte", args=[slug]), {"categorie": "tag"})
    assert response.status_code == 200
    points = response.context["points"]
    assert [p["reference"] for p in points] == [report.reference]
    assert points[0]["url"] == reverse("gestion:signalements:detail", args=[slug, report.reference])
    html = response.content.decode()
    assert 'id="signalements-points"' in html
    assert json.loads(response.context["outline"])["type"] in {"Polygon", "MultiPolygon"}
    assert 'data-tuiles=""' in html
    # The text alternative lists the same reports.
    assert f">{report.reference}</a>" in html
    assert other.reference not in html
