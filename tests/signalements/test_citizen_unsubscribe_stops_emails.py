"""The unsubscribe link of a status email: GET only asks (mail scanners follow links), POST
stops the emails, and the next change sends none to that follower."""

import re

from socle.signalements.services import signalement_create, signalement_status_set
from tests.helpers.mail import path_in
from tests.signalements.conftest import PESSAC


def test_it_stops_the_next_email_after_unsubscribing(
    client, demo_members, citizen, agent_voirie_sud, smtp_server
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    smtp_server.wait_for(2)
    smtp_server.clear()
    signalement_status_set(acting_user=agent_voirie_sud, signalement=report, statut="programme")
    mail = next(m for m in smtp_server.wait_for(1) if m["To"] == citizen.email)
    link = path_in(mail, re.compile(r"https?://[^/\s]+(/signalements/desabonner/[^\s]+/)"))

    asked = client.get(link)
    assert asked.status_code == 200
    assert "Ne plus recevoir de messages" in asked.text
    assert report.abonnements.get(email=citizen.email).desabonne_le is None

    done = client.post(link)
    assert done.status_code == 200
    assert "vous ne recevrez plus de messages" in done.text
    assert report.abonnements.get(email=citizen.email).desabonne_le is not None

    smtp_server.clear()
    signalement_status_set(acting_user=agent_voirie_sud, signalement=report, statut="en_cours")
    from tests.conftest import run_tasks

    run_tasks()
    assert not [m for m in smtp_server.messages if m["To"] == citizen.email]
