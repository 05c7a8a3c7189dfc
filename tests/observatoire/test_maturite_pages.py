"""The maturity pages of a member: the questionnaire (grouped by theme, a six-level scale and
« non concerné », pre-filled from the latest diagnostic), a diagnostic's radar (with the group's
median once five comparable collectivités have one, else a sentence saying so), and the
history over time."""

import re

from django.urls import reverse

from socle.observatoire.models import Diagnostic, MaturiteEnonce
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_feuilles import answers, comparable_members, diagnose

BASE = "/gestion/pessac/observatoire/diagnostic/"


def test_it_asks_every_statement_theme_by_theme(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(BASE + "nouveau/")
    html = response.content.decode()
    assert html.count('<fieldset class="maturite-theme"') == 10
    assert "<legend>Cybersécurité</legend>" in html
    enonce = MaturiteEnonce.objects.filter(actif=True).first()
    assert html.count(f'name="enonce_{enonce.pk}"') == 7  # 0 to 5, and « non concerné »
    assert "0 — Rien n’est engagé" in html and "5 — Exemplaire" in html
    assert "Non concerné" in html
    assert " checked" not in html  # nothing pre-filled the first time
    assert_accessible(response)


def test_it_records_a_diagnostic_and_prefills_the_next_one(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    given = {f"enonce_{key}": "4" for key in answers()}
    first = MaturiteEnonce.objects.filter(actif=True).order_by("pk").first()
    given[f"enonce_{first.pk}"] = "nc"
    response = client.post(BASE + "nouveau/", given)
    diagnostic = Diagnostic.objects.get()
    assert response["Location"] == reverse(
        "gestion:observatoire:diagnostic", args=["pessac", diagnostic.pk]
    )
    assert diagnostic.cree_par == agent_pessac
    html = client.get(BASE + "nouveau/").content.decode()
    assert re.search(rf'name="enonce_{first.pk}" value="nc"[^>]*checked', html)
    second = MaturiteEnonce.objects.filter(actif=True).order_by("pk")[1]
    assert re.search(rf'name="enonce_{second.pk}" value="4"[^>]*checked', html)


def test_it_says_the_comparison_comes_from_five(client, demo_members, agent_pessac):
    diagnostic = diagnose(demo_members.pessac, 2)
    for membre in comparable_members(demo_members.pessac, 4):
        diagnose(membre, 4)
    client.force_login(agent_pessac)
    response = client.get(f"{BASE}{diagnostic.pk}/")
    html = response.content.decode()
    assert "apparaîtra dès que 5 d’entre elles auront fait leur diagnostic" in html
    assert "Médiane des collectivités comparables" not in html
    assert "4 communes" not in html  # the size of a small group is not told
    assert 'role="img"' in html  # the radar
    assert "Niveau moyen : 2,0 sur 5." in html
    assert_accessible(response)


def test_it_overlays_the_median_of_five(client, demo_members, agent_pessac):
    diagnostic = diagnose(demo_members.pessac, 2)
    for membre in comparable_members(demo_members.pessac, 5):
        diagnose(membre, 4)
    client.force_login(agent_pessac)
    response = client.get(f"{BASE}{diagnostic.pk}/")
    html = response.content.decode()
    assert "Médiane des collectivités comparables" in html
    assert "5 communes de la tranche « De 50 000 à 199 999 habitants »" in html
    assert '<td data-label="Médiane des collectivités comparables">4,0</td>' in html
    assert_accessible(response)


def test_it_shows_the_history_over_time(client, demo_members, agent_pessac):
    first = diagnose(demo_members.pessac, 1)
    second = diagnose(demo_members.pessac, 3)
    client.force_login(agent_pessac)
    response = client.get(BASE)
    html = response.content.decode()
    assert f'href="{BASE}"' in html  # the menu entry
    assert f'href="{BASE}{first.pk}/"' in html and f'href="{BASE}{second.pk}/"' in html
    assert "Niveau moyen au fil des diagnostics" in html
    assert "Dernier diagnostic, du" in html
    assert html.count("3,0") >= 11  # the latest row: ten themes and the mean
    assert_accessible(response)


def test_it_does_not_show_another_members_diagnostic(client, demo_members, agent_pessac):
    theirs = diagnose(demo_members.bordeaux, 2)
    client.force_login(agent_pessac)
    assert client.get(f"{BASE}{theirs.pk}/").status_code == 404


def test_it_invites_to_a_first_diagnostic(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(BASE)
    html = response.content.decode()
    assert "Faire le premier diagnostic" in html and "Aucun diagnostic pour le moment." in html
    assert_accessible(response)


def test_it_draws_every_theme_once_on_the_radar():
    from socle.observatoire.themes import THEMES
    from socle.observatoire.views_maturite import RADAR_THEMES

    assert sorted(RADAR_THEMES) == sorted(THEMES)
