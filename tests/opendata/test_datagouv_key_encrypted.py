"""The member's data.gouv.fr key is stored encrypted, audited without it, and never shown again:
only its last four characters."""

import pytest
from django.db import connection

from socle.membres.models import AuditEvent
from socle.opendata.datagouv import cle_dechiffrer
from socle.opendata.models import CompteDataGouv
from tests.opendata.datagouv_helpers import KEY, ORG, opendata_on

pytestmark = pytest.mark.django_db
URL = "/gestion/pessac/donnees/datagouv/"


@pytest.fixture
def admin(client, demo_members, admin_pessac):
    opendata_on(demo_members.pessac)
    client.force_login(admin_pessac)
    return client


def _row_text(compte: CompteDataGouv) -> str:
    table = CompteDataGouv._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [compte.pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


def test_it_stores_the_key_encrypted(admin, demo_members):
    response = admin.post(URL, {"organisation": ORG, "cle": KEY, "actif": "on"})
    assert response.status_code == 302
    compte = CompteDataGouv.objects.get(membre=demo_members.pessac)
    assert compte.organisation == ORG and compte.actif
    row = _row_text(compte)
    assert KEY not in row and KEY[-12:] not in row
    assert cle_dechiffrer(compte) == KEY

    [event] = AuditEvent.objects.filter(action="datagouv.reglage", membre=demo_members.pessac)
    assert event.details["organisation"] == ORG and event.details["cle_changee"] is True
    assert KEY not in str(event.details) and KEY not in event.target_label


def test_it_never_shows_the_key_again(admin, demo_members):
    admin.post(URL, {"organisation": ORG, "cle": KEY, "actif": "on"})
    html = admin.get(URL).content.decode()
    assert KEY not in html and KEY[:-4] not in html
    assert f"clé enregistrée …{KEY[-4:]}" in html
    assert 'type="password"' in html and 'value="' + KEY not in html

    # A form sent back with errors does not echo the key either.
    response = admin.post(URL, {"organisation": "pas-un-identifiant", "cle": KEY})
    assert response.status_code == 400
    assert KEY not in response.content.decode()


def test_it_keeps_the_saved_key_when_left_empty(admin, demo_members):
    admin.post(URL, {"organisation": ORG, "cle": KEY, "actif": "on"})
    other_org = "0123456789abcdef01234567"
    assert admin.post(URL, {"organisation": other_org, "cle": ""}).status_code == 302
    compte = CompteDataGouv.objects.get(membre=demo_members.pessac)
    assert compte.organisation == other_org and not compte.actif
    assert cle_dechiffrer(compte) == KEY
    last = AuditEvent.objects.filter(action="datagouv.reglage").order_by("-pk").first()
    assert last.details["cle_changee"] is False
