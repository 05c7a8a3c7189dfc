"""A report without an account: the page asks to confirm by the emailed link; the link confirms
it and makes it public; a replay still shows it; a forged link gets a French 400."""

import re

from socle.signalements.models import Signalement
from tests.helpers.mail import path_in
from tests.signalements.citizen_helpers import report_data


def test_it_confirms_an_anonymous_report_by_the_emailed_link(client, demo_members, smtp_server):
    response = client.post("/signaler/", report_data(email="dominique@example.fr", nom="Dominique"))

    assert response.status_code == 200, response.text
    assert "Confirmez votre signalement avec le lien envoyé à dominique@example.fr" in response.text
    report = Signalement.objects.get()
    assert not report.public and report.confirme_le is None
    assert client.get(f"/signalements/{report.reference}/").status_code == 404

    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "dominique@example.fr"
    link = path_in(mail, re.compile(r"https?://[^/\s]+(/signalements/confirmer/[^\s]+/)"))
    # Opening the link (a mail scanner does too) only asks; the button confirms.
    asked = client.get(link)
    assert asked.status_code == 200 and "Confirmer mon signalement" in asked.text
    report.refresh_from_db()
    assert report.confirme_le is None
    confirmed = client.post(link, follow=True)

    assert confirmed.status_code == 200
    assert confirmed.redirect_chain[-1][0] == f"/signalements/{report.reference}/"
    assert "Bordeaux Métropole — Pôle territorial Sud — voirie" in confirmed.text
    report.refresh_from_db()
    assert report.public and report.confirme_le is not None

    replay = client.post(link, follow=True)
    assert replay.status_code == 200 and report.reference in replay.text


def test_it_answers_a_forged_link_with_a_french_400(client, demo_members):
    response = client.post("/signalements/confirmer/pas-un-jeton/")
    assert response.status_code == 400
    assert "Ce lien n’est pas valide ou a expiré" in response.text
