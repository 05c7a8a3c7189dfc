"""The public pages of a report (tracking page, lists, the form's fragments) never show its
reporter's name, email or phone, and render the description escaped."""

from socle.signalements.services import (
    confirmation_url,
    signalement_confirm_by_link,
    signalement_create,
)
from tests.signalements.conftest import PESSAC


def test_it_shows_no_personal_data_on_public_pages(client, demo_members):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou <script>alert(1)</script>\nsur deux lignes.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="secret.auteur@example.fr",
        nom="Zéphyrin Secret",
        telephone="06 12 34 56 78",
    )
    signalement_confirm_by_link(jeton=confirmation_url(report).rstrip("/").rsplit("/", 1)[1])
    report.refresh_from_db()
    assert report.public

    pages = [
        client.get(f"/signalements/{report.reference}/"),
        client.get("/signalements/"),
        client.get("/bordeaux-metropole/signalements/"),
        client.get(
            "/signalements/proches.json",
            {"lat": PESSAC[0], "lon": PESSAC[1], "categorie": "nid-de-poule"},
        ),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        for secret in ("secret.auteur", "Zéphyrin", "Secret", "06 12 34 56 78", "0612345678"):
            assert secret not in text, (page.request["PATH_INFO"], secret)
    suivi = pages[0].text
    assert report.reference in pages[1].text and report.reference in pages[2].text
    assert "<script>alert(1)</script>" not in suivi
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>sur deux lignes." in suivi
