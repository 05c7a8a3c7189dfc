"""« Qui a consulté mes données » says, for each collectivité that accessed the data, whom to
ask: its DPO (name and email), or the mairie's contact when it has no DPO on the platform."""

import pytest

from socle.membres.models import Role
from socle.membres.services import role_end
from tests.helpers.journal import journal_page, record_access

pytestmark = pytest.mark.django_db
URL = "/gestion/mes-acces/"


def _contacts(html: str) -> str:
    return html[html.index('id="contacts-titre"') :]


def test_it_names_the_dpo_of_the_member_that_accessed(
    client, citizen, demo_members, dpo_pessac, dpo_bordeaux
):
    record_access(demo_members.agent_pessac, citizen, demo_members.pessac)
    _response, html = journal_page(client, citizen, URL)
    contacts = _contacts(html)
    assert "Pessac" in contacts
    assert "Delphine Dépéo" in contacts
    assert 'href="mailto:delphine.dpo@pessac.example.fr"' in contacts
    # Bordeaux did not access this citizen's data: its DPO is not offered.
    assert "damien.dpo@bordeaux.example.fr" not in contacts


def test_it_gives_the_mairie_contact_without_a_dpo(client, citizen, demo_members, dpo_pessac):
    # Pessac's DPO roles end (the demo's and Delphine's): the mairie answers instead.
    dpo_roles = Role.objects.filter(
        membre=demo_members.pessac, kind=Role.Kind.DPO, ended_at__isnull=True
    )
    assert dpo_roles.count() >= 1
    for role in dpo_roles:
        role_end(acting_user=None, role=role)
    collectivite = demo_members.pessac.collectivite
    collectivite.email = "accueil@mairie-pessac.example.fr"
    collectivite.save()
    record_access(demo_members.agent_pessac, citizen, demo_members.pessac)
    _response, html = journal_page(client, citizen, URL)
    contacts = _contacts(html)
    assert "delphine.dpo@pessac.example.fr" not in contacts
    assert "écrivez à la mairie" in contacts
    assert 'href="mailto:accueil@mairie-pessac.example.fr"' in contacts


def test_it_lists_each_member_that_accessed(
    client, citizen, demo_members, dpo_pessac, dpo_bordeaux
):
    record_access(demo_members.agent_pessac, citizen, demo_members.pessac)
    record_access(demo_members.agent_bordeaux, citizen, demo_members.bordeaux)
    _response, html = journal_page(client, citizen, URL)
    contacts = _contacts(html)
    assert "delphine.dpo@pessac.example.fr" in contacts
    assert "damien.dpo@bordeaux.example.fr" in contacts
