"""The DPO reaches the journal and citizen support of its member, and not its back office:
docs/permissions.md and the code agree (issue: the DPO used to open member pages)."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_leads_the_dpo_to_the_journal_not_to_the_member_pages(client, dpo_pessac):
    client.force_login(dpo_pessac)
    home = client.get("/gestion/")
    assert home.status_code == 200
    html = home.content.decode()
    assert 'href="/gestion/pessac/journal/"' in html
    # The member list of the back office is not the DPO's.
    assert 'href="/gestion/pessac/"' not in html
    for path, status in [
        ("/gestion/pessac/", 403),
        ("/gestion/pessac/competences/", 403),
        ("/gestion/pessac/historique/", 403),
        ("/gestion/pessac/journal/", 200),
        ("/gestion/pessac/usagers/", 200),
        ("/gestion/bordeaux/journal/", 403),
    ]:
        assert client.get(path).status_code == status, path
