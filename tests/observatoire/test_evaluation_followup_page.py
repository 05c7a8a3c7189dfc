"""The follow-up page: progress, milestones planned then reached, indicators planned vs
achieved (a table and a bar chart), each form checked in one round."""

import datetime
import re

from socle.observatoire.models import Indicateur, Jalon
from tests.helpers.a11y import assert_accessible
from tests.observatoire.helpers_evaluation import suivi_url

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def test_it_follows_progress_milestones_and_indicators(client, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    url = suivi_url(projet_pessac)
    response = client.get(url)
    assert response.status_code == 200
    assert_accessible(response)

    assert client.post(url, {"formulaire": "avancement", "avancement": "40"}).status_code == 302
    response = client.post(
        url,
        {
            "formulaire": "jalon_ajout",
            "nouveau-jalon-titre": "Mise en service",
            "nouveau-jalon-date_prevue": "2026-03-01",
            "nouveau-jalon-date_reelle": "2026-02-12",
        },
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "formulaire": "jalon_ajout",
            "nouveau-jalon-titre": "Bilan à un an",
            "nouveau-jalon-date_prevue": "2099-01-31",
        },
    )
    client.post(
        url,
        {
            "formulaire": "indicateur_ajout",
            "nouvel-indicateur-nom": "Signalements traités",
            "nouvel-indicateur-unite": "par mois",
            "nouvel-indicateur-cible": "1 200",
            "nouvel-indicateur-realise": "900",
        },
    )
    response = client.get(url)
    assert_accessible(response)
    html = response.content.decode()
    assert '<progress id="avancement-barre" max="100" value="40">' in html
    assert "1 jalon atteint sur 2." in html
    assert "✓</span>Atteint" in html and "i</span>À venir" in html
    # 100 × 900/1200 = 75 %
    assert re.search(r'data-label="Part de la cible">75\u00a0%<', html)
    assert "Part de la cible atteinte" in html and 'class="kit-chart-svg"' in html

    jalon = Jalon.objects.get(titre="Bilan à un an")
    prefix = f"jalon-{jalon.pk}"
    response = client.post(
        url,
        {
            "formulaire": "jalon",
            "pk": str(jalon.pk),
            f"{prefix}-titre": "Bilan à un an",
            f"{prefix}-date_prevue": "2099-01-31",
            f"{prefix}-date_reelle": "2025-12-01",
        },
    )
    jalon.refresh_from_db()
    assert jalon.date_reelle == datetime.date(2025, 12, 1)
    indicateur = Indicateur.objects.get()
    client.post(url, {"formulaire": "indicateur_supprimer", "pk": str(indicateur.pk)})
    assert not Indicateur.objects.exists()
    projet_pessac.refresh_from_db()
    assert projet_pessac.avancement == 40


def test_it_refuses_wrong_follow_up_input_in_one_round(client, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    url = suivi_url(projet_pessac)
    response = client.post(
        url,
        {
            "formulaire": "indicateur_ajout",
            "nouvel-indicateur-nom": "",
            "nouvel-indicateur-cible": "-5",
            "nouvel-indicateur-realise": "beaucoup",
            "nouvel-indicateur-date_mesure": "32/01/2026",
        },
    )
    assert response.status_code == 400
    assert_accessible(response)
    html = response.content.decode()
    assert "<title>Erreur : Suivi" in html
    for field, message in (
        ("nom", "Indiquez le nom de l’indicateur."),
        ("cible", "Un indicateur se mesure par une valeur positive ou nulle."),
        ("realise", "Saisissez un nombre (1 250 ou 12,5)."),
        ("date_mesure", "Saisissez une date valide (jj/mm/aaaa)."),
    ):
        assert f'href="#id_nouvel-indicateur-{field}"' in html
        assert message in html
    assert not Indicateur.objects.exists()

    response = client.post(url, {"formulaire": "avancement", "avancement": "140"})
    assert response.status_code == 400
    assert "L’avancement est compris entre 0 et 100 %." in response.content.decode()
