"""After the secret key changes, the DPO still finds the searches made for an address before."""

import pytest

from socle.journal.models import CitizenSearch
from socle.journal.selectors import JournalFilters, JournalScope, citizen_searches

pytestmark = pytest.mark.django_db


def test_it_finds_searches_digested_with_a_previous_key(
    client, agent_pessac, citizen, demo_members, settings
):
    settings.JOURNAL_SIGNING_KEY = ""
    client.force_login(agent_pessac)
    client.post("/gestion/pessac/usagers/", {"email": citizen.email})
    assert CitizenSearch.objects.count() == 1
    # The key rotates; the old one stays as a fallback, as Django documents.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 40
    found = citizen_searches(
        scope=JournalScope(membre=demo_members.pessac),
        filters=JournalFilters(citizen_email=citizen.email),
    )
    assert found.count() == 1
