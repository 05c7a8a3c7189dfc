"""At 320 px the contribution and review pages do not scroll sideways, and the project form is
filled and saved there, its errors shown in one round."""

import pytest
from django.conf import settings

from socle.membres.models import Role
from tests.helpers.personas import persona


def _context(browser, client, user, base):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    return context


def _too_wide(page, base, paths) -> dict[str, int]:
    wide = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    return wide


@pytest.mark.browser
def test_it_keeps_the_project_form_within_320_pixels(
    browser, live_server, gironde_transactional, client
):
    from socle.demo.setup import setup_members
    from socle.observatoire.models import Projet
    from socle.observatoire.services import projet_create, projet_submit

    members = setup_members().members
    pessac = members["pessac"]
    agent = persona("anne.agent@pessac.example.fr", kind=Role.Kind.AGENT, membre=pessac)
    operateur = persona("olivia.operatrice@socle.localhost", kind=Role.Kind.OPERATEUR)
    projet = projet_create(
        acting_user=agent,
        membre=pessac,
        titre="Cartable numérique de l’élu, partagé entre toutes les communes du territoire",
        resume="Les élus reçoivent convocations et délibérations sur une tablette.",
        themes=["administration", "cooperation"],
        financements=[{"source": "Fonds européen de développement régional", "montant": "125000"}],
        description="Un très_long_mot_sans_espace_" * 8,
    )
    base = live_server.url
    context = _context(browser, client, agent, base)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    prefix = f"/gestion/{pessac.slug}/observatoire"
    wide = _too_wide(
        page,
        base,
        [
            f"{prefix}/",
            f"{prefix}/projets/nouveau/",
            f"{prefix}/projets/{projet.pk}/",
            f"{prefix}/projets/{projet.pk}/modifier/",
            f"{prefix}/projets/{projet.pk}/acteurs/?q=talence",
            f"{prefix}/projets/{projet.pk}/logiciels/",
            f"{prefix}/projets/{projet.pk}/contacts/",
            f"{prefix}/projets/{projet.pk}/documents/",
            f"{prefix}/projets/{projet.pk}/historique/",
        ],
    )
    assert wide == {}

    # The form, filled at 320 px: a bad amount and dates in the wrong order, in one round.
    page.goto(f"{base}{prefix}/projets/nouveau/")
    page.fill("#id_titre", "Végétalisons la ville")
    page.check("#id_themes_0")
    page.fill("#id_date_debut", "2026-05-01")
    page.fill("#id_date_fin", "2025-01-01")
    page.fill("#id_budget_investissement", "beaucoup")
    page.fill("#id_financements-0-montant", "3 000")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    summary = page.locator(".kit-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "La date de fin précède la date de début." in text
    assert "Saisissez un montant en euros" in text
    assert "Indiquez la source de ce financement." in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.fill("#id_date_fin", "2027-01-01")
    page.fill("#id_budget_investissement", "40 000")
    page.fill("#id_financements-0-source", "Région")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url(f"**{prefix}/projets/*/")
    assert Projet.objects.filter(titre="Végétalisons la ville").exists()
    context.close()

    projet_submit(acting_user=agent, projet=projet)
    context = _context(browser, client, operateur, base)
    page = context.new_page()
    wide = _too_wide(
        page,
        base,
        [
            "/gestion/observatoire/relecture/",
            f"/gestion/observatoire/relecture/{projet.pk}/",
            "/gestion/observatoire/acteurs/",
            "/gestion/observatoire/logiciels/",
        ],
    )
    assert wide == {}
    assert errors == []
    context.close()
