from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from socle.signalements.models import Signalement
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def _report(citizen, code, description):
    return signalement_create(
        categorie_code=code, description=description, lat=PESSAC[0], lon=PESSAC[1], auteur=citizen
    )


def _refs(response) -> str:
    return response.content.decode()


def test_it_filters_by_status_category_text_and_dates(client, demo_members, citizen, admin_pessac):
    pessac = demo_members.pessac
    tag = _report(citizen, "tag", "Graffiti sur l’école.")
    depot = _report(citizen, "depot-sauvage", "Matelas abandonné rue des Lilas.")
    closed = _report(citizen, "tag", "Tag effacé.")
    Signalement.objects.filter(pk=closed.pk).update(statut=Signalement.Statut.RESOLU)
    old = _report(citizen, "depot-sauvage", "Vieux dépôt.")
    Signalement.objects.filter(pk=old.pk).update(cree_le=timezone.now() - timedelta(days=60))
    client.force_login(admin_pessac)
    url = reverse("gestion:signalements:file", args=[pessac.slug])

    # Default: the open ones.
    page = _refs(client.get(url))
    assert tag.reference in page and depot.reference in page and old.reference in page
    assert closed.reference not in page

    page = _refs(client.get(url, {"statut": ""}))
    assert closed.reference in page
    page = _refs(client.get(url, {"statut": "resolu"}))
    assert closed.reference in page and tag.reference not in page

    page = _refs(client.get(url, {"categorie": "depot-sauvage"}))
    assert depot.reference in page and tag.reference not in page

    page = _refs(client.get(url, {"texte": "lilas"}))
    assert depot.reference in page and tag.reference not in page
    page = _refs(client.get(url, {"texte": tag.reference}))
    assert tag.reference in page and depot.reference not in page

    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = _refs(client.get(url, {"depuis": since}))
    assert tag.reference in page and old.reference not in page


def test_it_sorts_by_priority(client, demo_members, citizen, admin_pessac):
    low = _report(citizen, "tag", "Premier.")
    high = _report(citizen, "tag", "Second.")
    Signalement.objects.filter(pk=low.pk).update(priorite=Signalement.Priorite.HAUTE)
    client.force_login(admin_pessac)
    url = reverse("gestion:signalements:file", args=[demo_members.pessac.slug])
    page = _refs(client.get(url))
    assert page.index(high.reference) < page.index(low.reference)
    page = _refs(client.get(url, {"tri": "priorite"}))
    assert page.index(low.reference) < page.index(high.reference)


def test_it_answers_400_in_french_to_a_wrong_filter(client, demo_members, admin_pessac):
    client.force_login(admin_pessac)
    url = reverse("gestion:signalements:file", args=[demo_members.pessac.slug])
    response = client.get(url, {"depuis": "2026-05-10", "jusqu_a": "2026-05-01"})
    assert response.status_code == 400
    assert "La date de fin précède la date de début." in response.content.decode()
    assert client.get(url, {"statut": "inconnu"}).status_code == 400
