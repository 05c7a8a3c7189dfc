"""« Mon espace » shows the user's own last ten security events: date, event, IP."""

import re

import pytest

from socle.comptes.models import SecurityEvent
from socle.comptes.security import security_event_record
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import log_in

pytestmark = pytest.mark.django_db


def test_it_lists_my_last_ten_events(client, citizen, password):
    for round_ in range(2):
        for _ in range(4):
            client.post(
                "/comptes/connexion/",
                {"username": citizen.email, "password": "pas-le-bon"},
                REMOTE_ADDR="198.51.100.23",
            )
        log_in(client, citizen, password)
        if round_ == 0:
            client.post("/comptes/deconnexion/")
    assert SecurityEvent.objects.filter(user=citizen).count() == 11
    page = client.get("/comptes/espace/")
    html = page.content.decode()
    assert "Activité récente de mon compte" in html
    cell = r"<td[^>]*>(.*?)</td>"
    rows = re.findall(rf"<tr>{cell}{cell}{cell}</tr>", html)
    assert len(rows) == 10
    assert rows[0][1:] == ("Connexion avec mot de passe", "127.0.0.1")
    assert rows[1][1:] == ("Échec de connexion", "198.51.100.23")
    assert re.match(r"\d{1,2} \w+ \d{4} à \d{2}:\d{2}", rows[0][0])
    assert_accessible(page)


def test_it_shows_nobody_elses_events(client, citizen, operateur):
    security_event_record(kind=SecurityEvent.Kind.LOGIN, user=operateur)
    security_event_record(kind=SecurityEvent.Kind.TOTP_RESET, user=operateur, actor=citizen)
    client.force_login(citizen)
    html = client.get("/comptes/espace/").content.decode()
    assert "Aucune activité enregistrée pour l’instant." in html
    assert "Second facteur réinitialisé" not in html
