"""The journey of issue 3's "Done means": one access, seen by the DPO and by the citizen.

An agent of Pessac opens a citizen's account in the citizen-support view, giving a reason; the
DPO of Pessac reads the entry this created; the citizen sees the same access in his or her
space. Three people, three browsers (clients), one journal entry.
"""

import html

import pytest
from django.test import Client

from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_verify
from tests.helpers.journal import SUPPORT_LINK

pytestmark = pytest.mark.django_db

PURPOSE = "Demande d'assistance au guichet"


def test_it_shows_the_agents_access_to_the_dpo_and_to_the_citizen(
    agent_pessac, dpo_pessac, citizen
):
    agent = Client()
    agent.force_login(agent_pessac)
    found = agent.post("/gestion/pessac/usagers/", {"email": citizen.email})
    link = SUPPORT_LINK.search(found.content.decode())
    opened = agent.post(link.group(1), {"purpose": PURPOSE}, REMOTE_ADDR="192.0.2.44")
    assert opened.status_code == 200
    assert citizen.email in opened.content.decode()
    entry = PersonalDataAccess.objects.get()

    dpo = Client()
    dpo.force_login(dpo_pessac)
    journal = html.unescape(dpo.get("/gestion/pessac/journal/").content.decode())
    assert f"n° {entry.pk}" in journal
    assert PURPOSE in journal
    assert agent_pessac.email in journal
    assert citizen.email in journal
    assert "Chaîne vérifiée" in journal

    person = Client()
    person.force_login(citizen)
    mine = html.unescape(person.get("/gestion/mes-acces/").content.decode())
    assert PURPOSE in mine
    assert "Pessac — Propreté et espaces verts" in mine
    assert "identité et coordonnées" in mine
    assert "back-office : assistance aux usagers" in mine
    assert agent_pessac.email not in mine

    assert journal_verify().count == 1
