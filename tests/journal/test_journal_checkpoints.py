"""Published checkpoints make the deletion of the newest entries visible.

`socle journal checkpoint` signs the chain's head; `socle journal verify` fails, saying which
checkpoint, when the chain no longer reaches one (or differs there), and with exit code 1.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from socle.journal.models import PersonalDataAccess, PublishedCheckpoint
from socle.journal.services import journal_checkpoint_publish, journal_verify, journal_verify_recent
from tests.helpers.journal import journal_page, record_access

pytestmark = pytest.mark.django_db

TABLE = PersonalDataAccess._meta.db_table


@pytest.fixture
def chain(agent_pessac, citizen, demo_members):
    return [
        record_access(agent_pessac, citizen, demo_members.pessac, purpose=f"Demande n°{number}")
        for number in range(5)
    ]


def _raw_delete_from(entry_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [entry_id])  # noqa: S608


def _verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("journal", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _export() -> dict:
    out = io.StringIO()
    call_command("journal", "checkpoint", "--export", stdout=out)
    return json.loads(out.getvalue())


def test_it_publishes_the_chains_head_signed(chain):
    published = _export()
    assert published["number"] == 1
    assert published["entry_id"] == chain[-1].pk
    assert published["entry_hash"] == chain[-1].entry_hash
    assert published["entry_count"] == 5
    assert len(published["signature"]) == 64
    # Nothing new: the same checkpoint, not another one.
    assert _export() == published
    assert PublishedCheckpoint.objects.count() == 1


def test_it_detects_the_deletion_of_the_newest_entries(chain):
    journal_checkpoint_publish()
    assert journal_verify().ok
    _raw_delete_from(chain[3].pk)
    code, _out, err = _verify()
    assert code == 1
    assert "supprimées après le point de contrôle n°1" in err
    assert f"l’entrée n°{chain[-1].pk}" in err


def test_the_pages_check_sees_it_too(chain):
    journal_checkpoint_publish()
    _raw_delete_from(chain[4].pk)
    report = journal_verify_recent()
    assert not report.ok
    assert "point de contrôle n°1" in report.reason


def test_it_detects_newest_entries_replaced_by_others(chain, agent_pessac, citizen, demo_members):
    journal_checkpoint_publish()
    # Delete the last two entries and append two others: as many entries, a valid chain, but
    # not the one the checkpoint attests.
    _raw_delete_from(chain[3].pk)
    record_access(agent_pessac, citizen, demo_members.pessac)
    record_access(agent_pessac, citizen, demo_members.pessac)
    assert PersonalDataAccess.objects.count() == 5
    report = journal_verify()
    assert not report.ok
    assert "point de contrôle n°1" in report.reason


def test_it_compares_with_a_copy_kept_outside_the_database(chain, tmp_path):
    copy = tmp_path / "points.jsonl"
    copy.write_text(json.dumps(_export()) + "\n", encoding="utf-8")
    # The attacker deletes the newest entries and the checkpoints stored in the database.
    _raw_delete_from(chain[2].pk)
    PublishedCheckpoint.objects.all().delete()
    assert _verify()[0] == 0
    code, _out, err = _verify("--checkpoint", str(copy))
    assert code == 1
    assert "supprimées après le point de contrôle n°1" in err


def test_it_refuses_a_forged_checkpoint(chain, tmp_path):
    forged = _export() | {"entry_count": 3, "entry_id": chain[2].pk}
    copy = tmp_path / "points.json"
    copy.write_text(json.dumps([forged]), encoding="utf-8")
    code, _out, err = _verify("--checkpoint", str(copy))
    assert code == 1
    assert "n’a pas une signature valide" in err


def test_a_checkpoint_signed_with_another_key_is_refused(chain, settings):
    settings.JOURNAL_SIGNING_KEY = "une-autre-clé-de-signature-assez-longue"
    journal_checkpoint_publish()
    assert journal_verify().ok
    settings.JOURNAL_SIGNING_KEY = "encore-une-autre-clé"
    report = journal_verify()
    assert not report.ok
    assert "signature" in report.reason


def test_the_ethics_committee_downloads_the_checkpoints(client, ethique, chain):
    journal_checkpoint_publish()
    response, page = journal_page(client, ethique, "/gestion/journal/")
    assert "Télécharger les points de contrôle" in page
    assert "Dernier point de contrôle : n°1" in page
    response = client.get("/gestion/journal/points-de-controle/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    [published] = json.loads(response.content)
    assert published["entry_id"] == chain[-1].pk


def test_the_download_is_the_ethics_committees_only(client, dpo_pessac, chain):
    client.force_login(dpo_pessac)
    assert client.get("/gestion/journal/points-de-controle/").status_code == 403
