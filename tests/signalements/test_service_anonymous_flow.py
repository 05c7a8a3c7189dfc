"""An anonymous report waits for its address to be confirmed by the emailed link: unseen,
untransmitted; the link confirms it once; the address gets a password-less account."""

import time

from django.core import signing

from socle.comptes.models import User
from socle.comptes.services import account_register
from socle.signalements.models import Envoi, Evenement, Signalement
from socle.signalements.selectors import (
    signalements_for_user,
    signalements_hors_membres,
    signalements_public,
    transmission_state,
)
from socle.signalements.services import (
    signalement_confirm_by_link,
    signalement_create,
)
from tests.helpers.mail import path_in
from tests.signalements.conftest import PESSAC, SAINT_EMILION

NEWCOMER = "nouvelle.habitante@example.fr"


def _anonymous(email=NEWCOMER, point=PESSAC):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=point[0],
        lon=point[1],
        email=email,
    )


def _token_from_mail(smtp_server) -> str:
    [mail] = smtp_server.wait_for(1)
    assert "Confirmez votre signalement" in str(mail["Subject"])
    return path_in(mail, r"/signalements/confirmer/([^/\s]+)/")


def test_it_keeps_an_unconfirmed_report_out_of_public_view_queues_and_the_services_mail(
    demo_members, agent_voirie_sud, operateur, smtp_server
):
    report = _anonymous()
    assert report.confirme_le is None and not report.public
    assert report not in signalements_public()
    assert report not in signalements_for_user(user=agent_voirie_sud, membre=report.membre)
    outside = _anonymous(email="autre@example.fr", point=SAINT_EMILION)
    assert outside not in signalements_hors_membres(user=operateur)
    # Only the confirmation mails, to the reporters.
    assert set(Envoi.objects.values_list("destinataire", flat=True)) == {Envoi.Destinataire.CITOYEN}
    assert transmission_state(report) == "aucun"
    smtp_server.wait_for(2)
    assert all("Confirmez" in str(m["Subject"]) for m in smtp_server.messages)


def test_it_confirms_once_by_the_emailed_link_and_a_replay_changes_nothing(
    demo_members, agent_voirie_sud, smtp_server
):
    report = _anonymous()
    token = _token_from_mail(smtp_server)
    smtp_server.clear()

    confirmed = signalement_confirm_by_link(jeton=token)
    assert confirmed == report
    assert confirmed.confirme_le is not None and confirmed.public
    assert confirmed in signalements_for_user(user=agent_voirie_sud, membre=report.membre)
    envois = Envoi.objects.count()
    first_confirmed_at = confirmed.confirme_le

    again = signalement_confirm_by_link(jeton=token)
    assert again == report
    again.refresh_from_db()
    assert again.confirme_le == first_confirmed_at
    assert Envoi.objects.count() == envois
    assert report.evenements.filter(kind=Evenement.Kind.CONFIRME).count() == 1
    mails = smtp_server.wait_for(2)
    subjects = sorted(str(m["Subject"]) for m in mails)
    assert len(mails) == 2, subjects  # the service and the reporter, once each
    assert any("Nouveau signalement" in s for s in subjects)
    assert any("est transmis à Bordeaux Métropole" in s for s in subjects)


def test_it_refuses_a_tampered_or_forged_link(demo_members, smtp_server):
    report = _anonymous()
    token = _token_from_mail(smtp_server)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert signalement_confirm_by_link(jeton=tampered) is None
    forged = signing.dumps({"r": report.reference}, salt="another.salt")
    assert signalement_confirm_by_link(jeton=forged) is None
    assert signalement_confirm_by_link(jeton="") is None
    report.refresh_from_db()
    assert report.confirme_le is None


def test_it_refuses_an_expired_link(demo_members, smtp_server, settings, monkeypatch):
    settings.SIGNALEMENTS_CONFIRMATION_JOURS = 7
    report = _anonymous()
    token = _token_from_mail(smtp_server)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 8 * 86400)
    assert signalement_confirm_by_link(jeton=token) is None
    monkeypatch.setattr(time, "time", lambda: now + 6 * 86400)
    assert signalement_confirm_by_link(jeton=token) == report


def test_it_gives_a_new_address_a_passwordless_account_that_cannot_log_in(
    demo_members, client, smtp_server
):
    report = _anonymous()
    user = User.objects.get(email=NEWCOMER)
    assert report.auteur == user
    assert not user.has_usable_password()
    assert user.email_verified_at is None
    assert not client.login(email=NEWCOMER, password="")
    assert not client.login(email=NEWCOMER, password="n’importe quoi 2026")

    # Registering later with this address creates nothing and tells the owner by email, as
    # account_register does for any existing address.
    smtp_server.wait_for(1)
    smtp_server.clear()
    assert account_register(email=NEWCOMER, password="un-mot-de-passe-solide-2026") is None
    assert User.objects.filter(email__iexact=NEWCOMER).count() == 1
    [mail] = smtp_server.wait_for(1)
    assert "Tentative d’inscription" in str(mail["Subject"])


def test_it_keeps_a_report_filed_with_an_existing_accounts_address_unconfirmed_until_the_link(
    demo_members, citizen, smtp_server
):
    report = _anonymous(email=citizen.email.upper())
    assert report.auteur == citizen
    assert report.confirme_le is None and not report.public
    assert not report.abonnements.filter(confirme_le__isnull=False).exists()
    token = _token_from_mail(smtp_server)
    assert signalement_confirm_by_link(jeton=token).confirme_le is not None
    assert Signalement.objects.get(pk=report.pk).abonnements.get(auteur=True).confirme_le
