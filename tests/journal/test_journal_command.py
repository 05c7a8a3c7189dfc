"""`socle journal verify` and `socle journal export`: their output and exit codes."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socle.journal.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("journal", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_says_the_journal_is_intact(pessac_and_bordeaux_entries):
    out, _err = _run("verify")
    assert "Journal intègre : 2 entrées" in out
    assert pessac_and_bordeaux_entries[1].entry_hash in out


def test_it_says_an_empty_journal_is_intact(db):
    out, _err = _run("verify")
    assert "Journal intègre : 0 entrées" in out


def test_it_exits_non_zero_on_a_broken_chain(pessac_and_bordeaux_entries):
    first = pessac_and_bordeaux_entries[0]
    PersonalDataAccess.objects.filter(pk=first.pk).update(purpose="Curiosité")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("journal", "verify", stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 1
    assert f"Journal rompu à l’entrée n°{first.pk}" in err.getvalue()
    assert "a été modifié" in err.getvalue()


def test_it_exports_one_member_as_csv(pessac_and_bordeaux_entries):
    out, _err = _run("export", "--membre", "pessac", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:4] == ["N°", "Date", "Collectivité", "Agent"]
    assert len(rows) == 2
    assert rows[1][0] == str(pessac_and_bordeaux_entries[0].pk)
    assert "Pessac" in rows[1]
    assert "Demande d'assistance au guichet" in rows[1]


def test_it_exports_every_member_as_json_in_chain_order(pessac_and_bordeaux_entries):
    out, _err = _run("export", "--format", "json")
    records = json.loads(out)
    assert [record["id"] for record in records] == [e.pk for e in pessac_and_bordeaux_entries]
    assert records[1]["membre"] == "Bordeaux"
    assert records[1]["previous_hash"] == records[0]["entry_hash"]
    assert records[0]["citizen_email"] == "camille.citoyenne@example.fr"


def test_it_exports_from_a_date(pessac_and_bordeaux_entries):
    out, _err = _run("export", "--since", "2999-01-01", "--format", "json")
    assert json.loads(out) == []
    out, _err = _run("export", "--since", "2000-01-01", "--format", "json")
    assert len(json.loads(out)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--membre", "atlantis"], "Collectivité membre inconnue : atlantis"),
        (["--since", "hier"], "Date invalide : hier"),
    ],
    ids=["unknown member", "bad date"],
)
def test_it_refuses_bad_export_options(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run("export", *args)


TAMPER = """
from socle.journal.services import journal_record
from socle.journal.models import PersonalDataAccess
from socle.comptes.models import User
agent = User.objects.create_user(email="agent@example.fr", password=None)
citizen = User.objects.create_user(email="usager@example.fr", password=None)
for purpose in ("premier accès", "second accès"):
    journal_record(agent=agent, citizen=citizen, membre=None, data="identité",
                   channel="test", purpose=purpose)
PersonalDataAccess.objects.filter(purpose="premier accès").update(purpose="autre")
"""


def test_it_exits_with_status_0_then_1_from_the_command_line(tmp_path):
    """The real `socle` program, on its own SQLite database in a temporary directory."""
    socle = Path(sys.executable).with_name("socle")
    # The platform as installed, without the test run's toy module.
    env = {
        **os.environ,
        "SOCLE_DATA_DIR": str(tmp_path),
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "socle.settings",
    }
    env.pop("DATABASE_URL", None)

    def run(*args):
        return subprocess.run(
            [str(socle), *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("migrate", "--verbosity", "0").returncode == 0
    intact = run("journal", "verify")
    assert (intact.returncode, intact.stdout.splitlines()[0]) == (0, "Journal intègre : 0 entrées")
    assert run("shell", "-c", TAMPER).returncode == 0
    broken = run("journal", "verify")
    assert broken.returncode == 1
    assert "Journal rompu à l’entrée n°1" in broken.stderr
    assert run("journal", "export", "--format", "xml").returncode == 2
