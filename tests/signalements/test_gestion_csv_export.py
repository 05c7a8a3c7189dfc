import csv
import io

from django.urls import reverse

from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_exports_the_filtered_queue_without_personal_data_and_escapes_formulas(
    client, demo_members, citizen, admin_pessac
):
    report = signalement_create(
        categorie_code="tag",
        description="Tag insultant, appeler le 06 11 22 33 44.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        adresse='=HYPERLINK("http://evil.example")',
        auteur=citizen,
        nom="Camille Citoyenne",
        telephone="06 11 22 33 44",
    )
    other = signalement_create(
        categorie_code="depot-sauvage",
        description="Dépôt.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        adresse="-2+3",
        auteur=citizen,
    )
    client.force_login(admin_pessac)
    url = reverse("gestion:signalements:export", args=[demo_members.pessac.slug])
    response = client.get(url, {"categorie": "tag"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signalements-pessac-')
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Référence"
    assert [row[0] for row in rows[1:]] == [report.reference]
    assert rows[1][5] == '\'=HYPERLINK("http://evil.example")'
    for secret in (citizen.email, "Camille", "06 11 22 33 44", "Tag insultant"):
        assert secret not in body

    body = client.get(url, {"categorie": "depot-sauvage"}).content.decode()
    assert other.reference in body
    assert "'-2+3" in body
