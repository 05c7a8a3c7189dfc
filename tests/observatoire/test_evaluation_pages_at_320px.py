"""At 320 px the evaluation, follow-up and configuration pages do not scroll sideways: the
flows table stacks its years as cards, the radar shrinks, the answers wrap."""

import pytest

from tests.observatoire.helpers_evaluation import (
    CONFIGURATION_URL,
    FLUX,
    answers,
    default_grid_ensure,
    evaluation_url,
    suivi_url,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_evaluation_pages_within_320_pixels(
    browser, live_server, gironde_transactional, client, settings
):
    from socle.demo.setup import setup_members
    from socle.membres.models import Role
    from socle.observatoire.evaluation import (
        evaluation_save,
        grille,
        indicateur_create,
        jalon_create,
    )
    from socle.observatoire.services import projet_create
    from tests.helpers.personas import persona

    default_grid_ensure()  # a transactional test before this one flushed the migration's rows
    pessac = setup_members().members["pessac"]
    agent = persona("anne.agent@pessac.example.fr", kind=Role.Kind.AGENT, membre=pessac)
    operateur = persona("olivia.operatrice@socle.localhost", kind=Role.Kind.OPERATEUR)
    projet = projet_create(
        acting_user=agent,
        membre=pessac,
        titre="Application de signalement des problèmes de voirie et de propreté urbaine",
    )
    for kind, pick in (("ex_ante", "best"), ("ex_post", "first")):
        evaluation_save(
            acting_user=agent, projet=projet, kind=kind, reponses=answers(grille(), pick), flux=FLUX
        )
    jalon_create(
        acting_user=agent, projet=projet, titre="Mise en service", date_prevue="2026-03-01"
    )
    indicateur_create(
        acting_user=agent, projet=projet, nom="Signalements traités", cible="1200", realise="900"
    )

    wide: dict[str, int] = {}
    problems: list[str] = []
    for user, paths in (
        (
            agent,
            [evaluation_url(projet), evaluation_url(projet, "ex-post"), suivi_url(projet)],
        ),
        (operateur, [CONFIGURATION_URL]),
    ):
        client.force_login(user)
        context = browser.new_context(viewport={"width": 320, "height": 800})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            # Open every <details> (answers' editing, the radar's data): still no sideways scroll.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
        context.close()
    assert wide == {}
    assert problems == []
