"""The DPO of Pessac reads Pessac's journal, never Bordeaux's; filters, pages, chain status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_record
from tests.helpers.a11y import assert_accessible
from tests.helpers.journal import journal_page, record_access

pytestmark = pytest.mark.django_db


def _page(client, user, url="/gestion/pessac/journal/", **params):
    return journal_page(client, user, url, **params)


def test_it_shows_pessacs_entries_to_its_dpo(client, dpo_pessac, pessac_and_bordeaux_entries):
    response, page = _page(client, dpo_pessac)
    assert response.status_code == 200
    assert_accessible(response)
    assert "Journal des accès aux données — Pessac" in page
    assert "Demande d'assistance au guichet" in page
    assert "camille.citoyenne@example.fr" in page
    assert "anne.agent@pessac.example.fr" in page


def test_it_never_shows_bordeauxs_entries_to_pessacs_dpo(
    client, dpo_pessac, pessac_and_bordeaux_entries
):
    _response, page = _page(client, dpo_pessac)
    assert "Instruction de la demande 2026-0042" not in page
    assert "dominique.citoyen@example.fr" not in page
    assert "beatrice.agent@bordeaux.example.fr" not in page
    # Not even through a filter naming Bordeaux's citizen or agent.
    _response, page = _page(client, dpo_pessac, usager="dominique.citoyen@example.fr")
    assert "Instruction de la demande" not in page
    bordeaux_agent = pessac_and_bordeaux_entries[1].agent_id
    response, _page_text = _page(client, dpo_pessac, agent=bordeaux_agent)
    assert response.status_code == 400  # not one of the choices


def test_it_shows_bordeauxs_entries_to_bordeauxs_dpo_only(
    client, dpo_bordeaux, pessac_and_bordeaux_entries
):
    _response, page = _page(client, dpo_bordeaux, url="/gestion/bordeaux/journal/")
    assert "Instruction de la demande 2026-0042" in page
    assert "Demande d'assistance au guichet" not in page
    response, _page_text = _page(client, dpo_bordeaux)
    assert response.status_code == 403


def test_it_says_the_chain_is_verified(client, dpo_pessac, pessac_and_bordeaux_entries):
    _response, page = _page(client, dpo_pessac)
    assert "Chaîne vérifiée : le journal de la plateforme est intègre, aucune entrée" in page
    assert "2 entrées" not in page  # the platform's volume is the ethics committee's business


def test_it_says_the_chain_is_broken(client, dpo_pessac, pessac_and_bordeaux_entries):
    first = pessac_and_bordeaux_entries[0]
    PersonalDataAccess.objects.filter(pk=first.pk).update(purpose="Curiosité")
    _response, page = _page(client, dpo_pessac)
    assert f"Chaîne rompue : le contenu de l’entrée n°{first.pk} a été modifié" in page


@pytest.fixture
def more_pessac_entries(demo_members, citizen, other_citizen, admin_pessac):
    def record(agent, who, data, purpose):
        return journal_record(
            agent=agent,
            citizen=who,
            membre=demo_members.pessac,
            data=data,
            channel="back-office : démarches",
            purpose=purpose,
        )

    return [
        record(admin_pessac, other_citizen, "justificatif de domicile", "Inscription cantine"),
        record(admin_pessac, citizen, "coordonnées bancaires", "Prélèvement cantine"),
    ]


def test_it_filters_by_agent_citizen_and_data(
    client, dpo_pessac, pessac_and_bordeaux_entries, more_pessac_entries, admin_pessac
):
    _response, page = _page(client, dpo_pessac, agent=admin_pessac.pk)
    assert "Inscription cantine" in page and "Prélèvement cantine" in page
    assert "Demande d'assistance au guichet" not in page

    _response, page = _page(client, dpo_pessac, usager="DOMINIQUE.citoyen@example.fr")
    assert "Inscription cantine" in page
    assert "Prélèvement cantine" not in page

    _response, page = _page(client, dpo_pessac, donnees="coordonnées bancaires")
    assert "Prélèvement cantine" in page
    assert "Inscription cantine" not in page


def test_it_filters_by_date_range(
    client, dpo_pessac, pessac_and_bordeaux_entries, more_pessac_entries
):
    old = more_pessac_entries[0]
    last_year = timezone.now() - timedelta(days=365)
    PersonalDataAccess.objects.filter(pk=old.pk).update(created_at=last_year)
    today = timezone.localdate().isoformat()
    _response, page = _page(client, dpo_pessac, du=today, au=today)
    assert "Inscription cantine" not in page
    assert "Prélèvement cantine" in page
    day = timezone.localtime(last_year).date().isoformat()
    _response, page = _page(client, dpo_pessac, du=day, au=day)
    assert "Inscription cantine" in page
    assert "Prélèvement cantine" not in page


def test_it_refuses_a_backwards_date_range(client, dpo_pessac, pessac_and_bordeaux_entries):
    response, page = _page(client, dpo_pessac, du="2026-03-01", au="2026-02-01")
    assert response.status_code == 400
    assert_accessible(response)
    assert "La date de fin précède la date de début." in page


def test_it_pages_the_journal(client, dpo_pessac, demo_members, agent_pessac, citizen):
    for number in range(55):
        record_access(agent_pessac, citizen, demo_members.pessac, purpose=f"Guichet n°{number:02d}")
    _response, page = _page(client, dpo_pessac, donnees="identité et coordonnées")
    assert "Guichet n°54" in page and "Guichet n°05" in page
    assert "Guichet n°04" not in page
    assert "Page 1 sur 2" in page
    assert 'href="?donnees=identité+et+coordonnées&page=2"' in page.replace("%C3%A9", "é")
    _response, page = _page(client, dpo_pessac, donnees="identité et coordonnées", page=2)
    assert "Guichet n°04" in page and "Guichet n°00" in page
    assert "Guichet n°05" not in page
