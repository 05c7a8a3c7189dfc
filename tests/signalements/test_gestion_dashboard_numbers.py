from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from socle.signalements.models import Signalement
from socle.signalements.selectors import dashboard_of, signalements_for_user
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def _report(citizen, code):
    return signalement_create(
        categorie_code=code, description="Problème.", lat=PESSAC[0], lon=PESSAC[1], auteur=citizen
    )


def test_it_counts_by_status_and_category_and_gives_median_times(
    client, demo_members, citizen, admin_pessac
):
    now = timezone.now()
    start = now - timedelta(days=3)
    a, b, c = _report(citizen, "tag"), _report(citizen, "tag"), _report(citizen, "depot-sauvage")
    Signalement.objects.filter(pk=a.pk).update(
        cree_le=start,
        statut="resolu",
        premiere_reponse_le=start + timedelta(hours=2),
        resolu_le=start + timedelta(hours=10),
    )
    Signalement.objects.filter(pk=b.pk).update(
        cree_le=start, statut="en_cours", premiere_reponse_le=start + timedelta(hours=4)
    )
    Signalement.objects.filter(pk=c.pk).update(
        cree_le=start,
        statut="resolu",
        premiere_reponse_le=start + timedelta(hours=6),
        resolu_le=start + timedelta(hours=30),
    )
    numbers = dashboard_of(
        signalements_for_user(user=admin_pessac, membre=demo_members.pessac), now=now
    )
    assert numbers.total == 3
    assert dict(numbers.by_status) == {"En cours": 1, "Résolu": 2}
    assert numbers.by_category == [("Tag, graffiti", 2), ("Dépôt sauvage", 1)]
    assert numbers.median_first_response_h == 4
    assert numbers.median_resolution_h == 20
    assert len(numbers.weeks) == 12
    assert sum(count for _w, count in numbers.weeks) == 3

    client.force_login(admin_pessac)
    url = reverse("gestion:signalements:tableau", args=[demo_members.pessac.slug])
    html = client.get(url).content.decode()
    assert "4,0 h" in html and "20,0 h" in html
    assert "Tag, graffiti" in html and "<table" in html

    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get(url, {"depuis": later})
    assert response.context["numbers"].total == 0


def test_it_shows_the_dashboard_to_an_elu(client, demo_members):
    client.force_login(demo_members.elu_pessac)
    url = reverse("gestion:signalements:tableau", args=[demo_members.pessac.slug])
    assert client.get(url).status_code == 200
    assert client.get(url, {"depuis": "pas une date"}).status_code == 400
