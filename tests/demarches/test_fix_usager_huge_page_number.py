"""Page numbers, row counts and kept-file numbers of thousands of digits: a 400 or a 404, never
a 500 (Python refuses int() of more than 4,300 digits)."""

import pytest

from socle.demarches import depot
from tests.demarches.test_depot_filing import SCHEMA

HUGE = "9" * 5000


@pytest.fixture
def draft(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA)
    return depot.dossier_start(usager=citizen, demarche=demarche)


def test_it_answers_400_or_404_to_huge_numbers(client, citizen, draft):
    client.force_login(citizen)
    base = f"/demarches/dossiers/{draft.reference}"
    response = client.post(f"{base}/brouillon/", {"page": HUGE, "f-nom": "Martin"})
    assert response.status_code == 400
    assert client.post(f"{base}/brouillon/", {"page": "²"}).status_code == 400
    assert client.get(f"{base}/page/{HUGE}/").status_code == 404
    assert client.get(f"{base}/page/99/").status_code == 404
    response = client.post(f"{base}/page/1/", {"action": f"retirer:enfants:{HUGE}"})
    assert response.status_code in (302, 400)
    assert client.post(f"{base}/brouillon/", {"page": "0", "f-nom": "Martin"}).status_code == 200
