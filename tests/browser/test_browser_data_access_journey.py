"""Issue 3's journey in a real browser: an access to a citizen's data, seen by the DPO and the
citizen.

The administrator of Pessac logs in with a password and a second factor, opens a citizen's
account in the citizen-support view, giving a reason; the DPO of Pessac (second factor too)
reads the entry this created in the journal; the citizen sees the same access in « Mon espace ».
"""

import pytest

from socle.comptes import totp
from socle.comptes.models import User
from socle.journal.models import PersonalDataAccess
from tests.helpers.comptes import enrol_totp, fill_login_form

PURPOSE = "Demande d'assistance au guichet n° 2026-118"


def _with_second_factor(email: str) -> str:
    """Enrol the account's authenticator as its owner would; return the secret."""
    return enrol_totp(User.objects.get(email=email))


def _log_in(
    page, base: str, email: str, password: str, secret: str | None = None, lands: str = "/gestion/"
) -> None:
    fill_login_form(page, base, email, password)
    if secret:
        page.wait_for_url(f"{base}/comptes/second-facteur/**")
        page.get_by_label("Code à 6 chiffres").fill(totp.code_at(secret))
        page.get_by_role("button", name="Valider le code").click()
    # Staff land in « Gestion », citizens in « Mon espace » (tests/portail/test_it_lands_…).
    page.wait_for_url(f"{base}{lands}")


@pytest.mark.browser
def test_it_shows_an_agents_access_to_the_dpo_and_to_the_citizen(
    browser, live_server, gironde_transactional, password
):
    from socle.demo.setup import setup_members

    setup_members()
    base = live_server.url
    admin_secret = _with_second_factor("admin@pessac.socle.localhost")
    dpo_secret = _with_second_factor("dpo@pessac.socle.localhost")
    citizen = "citoyen@example.fr"

    # The administrator of Pessac helps the citizen at the front desk.
    agent = browser.new_context().new_page()
    agent.set_default_timeout(30_000)
    _log_in(agent, base, "admin@pessac.socle.localhost", password, admin_secret)
    agent.goto(f"{base}/gestion/pessac/")
    agent.get_by_role("link", name="Assistance aux usagers").click()
    agent.get_by_label("Adresse électronique").fill(citizen)
    agent.get_by_role("button", name="Rechercher").click()
    agent.get_by_role("link", name="Ouvrir le compte de l’usager").click()
    agent.get_by_label("Motif de la consultation").fill(PURPOSE)
    with agent.expect_navigation():
        agent.get_by_role("button", name="Consulter le compte").click()
    assert citizen in agent.locator("main").inner_text()
    entry = PersonalDataAccess.objects.get()
    assert entry.purpose == PURPOSE

    # The DPO of Pessac reads the journal.
    dpo = browser.new_context().new_page()
    dpo.set_default_timeout(30_000)
    _log_in(dpo, base, "dpo@pessac.socle.localhost", password, dpo_secret)
    # The DPO lands on the back office's home, which leads to the journals he or she reads.
    dpo.goto(f"{base}/gestion/")
    with dpo.expect_navigation():
        dpo.get_by_role("link", name="Journal des accès aux données personnelles — Pessac").click()
    journal = dpo.locator("main").inner_text()
    assert PURPOSE in journal
    assert citizen in journal
    assert "Chaîne vérifiée" in journal

    # The citizen sees who looked, and why, in his or her space.
    person = browser.new_context().new_page()
    person.set_default_timeout(30_000)
    _log_in(person, base, citizen, password, lands="/comptes/espace/")
    with person.expect_navigation():
        person.get_by_role("link", name="Qui a consulté mes données").click()
    mine = person.locator("main").inner_text()
    assert PURPOSE in mine
    assert "Pessac" in mine
    assert "admin@pessac.socle.localhost" not in mine
