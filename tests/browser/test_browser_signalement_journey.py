"""The Signalements issue's "Done means" journey, in headless Chromium, end to end.

An anonymous citizen reports a pothole in Pessac on the map with a photo carrying GPS EXIF,
reads that Bordeaux Métropole will act, confirms by the link the real SMTP server received;
an agent of the Métropole's southern road service finds it in the queue, replies publicly
and resolves it, by clicking the page's forms; the citizen receives each email, each with an
unsubscribe link; the public page shows the resolution, no personal data, and a photo without
metadata. The same report made with the keyboard alone, without the map, by a logged-in
citizen, reaches the same service.

With SOCLE_SHOTS=1, screenshots of the main pages at 1280 and 320 px go to /tmp/shots/
(the temporary directory's shots/).
"""

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from PIL import Image

from tests.helpers.comptes import fill_login_form
from tests.signalements.citizen_helpers import photo_with_gps
from tests.signalements.conftest import PESSAC

SHOTS = Path(tempfile.gettempdir()) / "shots" if os.environ.get("SOCLE_SHOTS") == "1" else None
SERVICE = "Pôle territorial Sud — voirie"
RECIPIENT = f"Bordeaux Métropole — {SERVICE}"
CITIZEN_EMAIL = "dominique.lambert@example.fr"
CITIZEN_NAME = "Dominique Lambert"
REPLY = "Nous intervenons cette semaine."
GPS_IFD = 0x8825


def _fits_and_shoot(page, name: str) -> None:
    """The page's ids are unique (each label names its own field) and it does not scroll
    sideways at 320 px; with SOCLE_SHOTS=1, save it at 1280 and 320 px. The viewport comes
    back to 1280 px."""
    twice = page.evaluate(
        """() => {
            const seen = new Set(), twice = new Set();
            document.querySelectorAll('[id]').forEach(e => {
                (seen.has(e.id) ? twice : seen).add(e.id);
            });
            return [...twice];
        }"""
    )
    assert twice == [], f"{page.url} repeats the ids {twice}"
    for width in (320, 1280) if SHOTS is None else (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 320:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 320, f"{page.url} scrolls sideways at 320 px ({scroll} px)"
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _tab_to(page, test: str, limit: int = 150) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!e && ({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def _mails(smtp_server, to: str) -> dict[str, str]:
    """The mails `to` received, once every queued message of the reports is delivered:
    subject → body. (Django folds a long encoded subject right after « Subject: », which
    Python's parser reads with a leading space: strip it, as mail clients do.)"""
    from socle.signalements.models import Envoi

    smtp_server.wait_for(Envoi.objects.count())
    return {
        str(m["Subject"]).strip(): m.get_content() for m in smtp_server.messages if m["To"] == to
    }


def _link(body: str, path: str) -> str:
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", body)
    assert found, body
    return found.group(0)


@pytest.mark.browser
def test_it_takes_a_pothole_from_the_citizen_to_its_resolution(
    browser, live_server, gironde_transactional, client, smtp_server, settings, tmp_path
):
    from django.utils import timezone

    from socle.comptes.models import User
    from socle.demo.setup import DEMO_PASSWORD, setup_members
    from socle.membres.models import Role
    from socle.routage import routing
    from socle.signalements.models import Signalement
    from tests.helpers.personas import persona

    settings.SITE_URL = live_server.url
    settings.MAP_TILES_URL = ""
    metropole = setup_members().members["bordeaux-metropole"]
    routing.reset_router()
    agent = persona(
        "victor.voirie@bordeaux-metropole.example.fr",
        kind=Role.Kind.AGENT,
        membre=metropole,
        service=metropole.services.get(nom=SERVICE),
        first_name="Victor",
        last_name="Voirin",
    )
    # An agent's address is verified once the invitation is accepted.
    User.objects.filter(pk=agent.pk).update(email_verified_at=timezone.now())
    base = live_server.url
    errors: list[str] = []

    def new_page(context):
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
        )
        return page

    # 1. The anonymous citizen places the pothole on the map, with a photo that says where.
    photo = tmp_path / "nid-de-poule.jpg"
    photo.write_bytes(photo_with_gps().getvalue())
    assert Image.open(photo).getexif().get_ifd(GPS_IFD), "the photo must carry a GPS position"
    citizen = new_page(browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR"))
    citizen.goto(f"{base}/signaler/")
    carte = citizen.locator("[data-carte]")
    carte.scroll_into_view_if_needed()
    x, y = citizen.evaluate(
        """([lat, lon]) => {
            const map = document.querySelector('[data-carte]').signalerMap;
            map.setView([lat, lon], 16, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        list(PESSAC),
    )
    carte.click(position={"x": x, "y": y})
    citizen.get_by_label("Nid-de-poule, chaussée abîmée").check()
    citizen.get_by_label("Description").fill("Un trou profond au milieu de la chaussée.")
    citizen.locator("input[name=photos]").set_input_files(str(photo))
    citizen.get_by_label("Votre adresse électronique").fill(CITIZEN_EMAIL)
    citizen.get_by_label("Votre nom (facultatif)").fill(CITIZEN_NAME)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Envoyer le signalement").click()
    result = citizen.locator("main").inner_text()
    assert "Bordeaux Métropole" in result and RECIPIENT in result, result
    assert f"Confirmez votre signalement avec le lien envoyé à {CITIZEN_EMAIL}" in result
    report = Signalement.objects.get()
    assert report.reference in result
    assert not report.public and report.photos.count() == 1
    assert abs(report.lat - PESSAC[0]) < 0.0005 and abs(report.lon - PESSAC[1]) < 0.0005
    _fits_and_shoot(citizen, "1-resultat")

    # 2. The confirmation arrives by mail; its link makes the report public.
    ref = report.reference
    mails = _mails(smtp_server, CITIZEN_EMAIL)
    confirmation = mails[f"Confirmez votre signalement {ref}"]
    citizen.goto(_link(confirmation, "/signalements/confirmer/"))
    citizen.get_by_role("button", name="Confirmer mon signalement").click()
    citizen.wait_for_url(f"{base}/signalements/{ref}/")
    assert "Merci : votre signalement est confirmé." in citizen.locator("main").inner_text()
    report.refresh_from_db()
    assert report.public and report.confirme_le is not None
    assert report.service.nom == SERVICE
    mails = _mails(smtp_server, CITIZEN_EMAIL)
    sent = mails[f"Votre signalement {ref} est transmis à {RECIPIENT}"]
    assert RECIPIENT in sent

    # 3. The southern road agent finds it in the queue, replies, resolves it.
    agent_page = new_page(
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    )
    queue = f"{base}/gestion/bordeaux-metropole/signalements/"
    fill_login_form(agent_page, base, agent.email, DEMO_PASSWORD, next_url=queue)
    agent_page.wait_for_url(queue)
    row = agent_page.locator("#file tbody tr", has_text=ref)
    assert "Nid-de-poule, chaussée abîmée" in row.inner_text()
    assert "Pessac" in row.inner_text()
    _fits_and_shoot(agent_page, "3-file")
    row.get_by_role("link", name=ref).click()
    agent_page.wait_for_url(f"{queue}{ref}/")
    assert CITIZEN_EMAIL not in agent_page.content()  # only on demand, journaled
    agent_page.get_by_label("Réponse publique").fill(REPLY)
    agent_page.get_by_role("button", name="Publier la réponse").click()
    agent_page.get_by_text("La réponse a été publiée.").wait_for()
    agent_page.get_by_label("Nouveau statut").select_option(label="Résolu")
    agent_page.get_by_role("button", name="Changer le statut").click()
    agent_page.get_by_text("Le statut a été changé.").wait_for()
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.RESOLU and report.resolu_le is not None
    history = agent_page.locator("section[aria-labelledby=historique-titre]").inner_text()
    assert "Statut changé : Résolu" in history and REPLY in history, history
    _fits_and_shoot(agent_page, "4-detail")
    agent_page.goto(f"{queue}tableau-de-bord/")
    assert "Résolu" in agent_page.locator("main").inner_text()
    _fits_and_shoot(agent_page, "5-tableau-de-bord")

    # 4. The citizen receives the reply and the status change, each with an unsubscribe link.
    mails = _mails(smtp_server, CITIZEN_EMAIL)
    reply_mail = mails[f"Réponse à votre signalement {ref}"]
    status_mail = mails[f"Signalement {ref} : Résolu"]
    assert REPLY in reply_mail
    for body in (reply_mail, status_mail):
        unsubscribe = _link(body, "/signalements/desabonner/")
        assert citizen.request.get(unsubscribe).ok, unsubscribe

    # 5. The public page: resolved, the reply, nobody's name or address, a clean photo.
    citizen.goto(f"{base}/signalements/{ref}/")
    public = citizen.locator("main").inner_text()
    assert "Résolu" in public and REPLY in public and RECIPIENT in public
    html = citizen.content()
    for private in (CITIZEN_EMAIL, CITIZEN_NAME, "Lambert", agent.email, "Victor", "Voirin"):
        assert private not in html, private
    images = citizen.locator(".signaler-photos img")
    assert images.count() == 1
    sources = [
        images.first.get_attribute("src"),
        citizen.locator(".signaler-photos a").first.get_attribute("href"),
    ]
    for src in sources:
        served = citizen.request.get(f"{base}{src}")
        assert served.ok and served.headers["content-type"] == "image/jpeg", src
        exif = Image.open(io.BytesIO(served.body())).getexif()
        assert len(exif) == 0, dict(exif)
    _fits_and_shoot(citizen, "2-suivi")

    # 6. A logged-in citizen, the keyboard alone, no map: commune, street, category, text.
    resident = User.objects.create_user(email="claude.clavier@example.fr", password="x" * 20)
    client.force_login(resident)
    keyboard_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    keyboard_context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    keyboard = new_page(keyboard_context)
    keyboard.goto(f"{base}/signaler/")
    _tab_to(keyboard, "e.id === 'id_commune'")
    keyboard.keyboard.type("Pessac")
    _tab_to(keyboard, "e.id === 'id_lieu'")
    keyboard.keyboard.type("avenue Jean Jaurès")
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    _tab_to(keyboard, "e.name === 'categorie' && e.value === 'nid-de-poule'")
    keyboard.keyboard.press("Space")
    _tab_to(keyboard, "e.id === 'id_description'")
    keyboard.keyboard.type("Un autre nid-de-poule, avenue Jean Jaurès.")
    _tab_to(keyboard, "e.tagName === 'BUTTON' && e.textContent.includes('Envoyer le signalement')")
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    assert RECIPIENT in keyboard.locator("main").inner_text()
    by_keyboard = Signalement.objects.exclude(pk=report.pk).get()
    assert by_keyboard.auteur == resident and by_keyboard.position_approchee
    assert by_keyboard.commune_nom == "Pessac"
    assert by_keyboard.service == report.service and by_keyboard.service.nom == SERVICE

    assert errors == []
