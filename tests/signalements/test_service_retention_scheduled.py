"""The retention runs by itself: `socle signalements schedule` enqueues the task the workers run;
`socle signalements retention` applies it at once, or counts with --dry-run."""

import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socle.signalements.models import Signalement
from socle.signalements.services import signalement_create
from tests.helpers.task_workers import worker_env
from tests.signalements.conftest import PESSAC


@pytest.fixture
def old_closed_report(demo_members, citizen):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    closed = timezone.now() - timedelta(days=400)
    Signalement.objects.filter(pk=report.pk).update(statut="resolu", clos_le=closed)
    return report


def test_it_counts_without_changing_anything_on_a_dry_run(old_closed_report):
    out = StringIO()
    call_command("signalements", "retention", "--dry-run", stdout=out)
    assert "Signalements dont les données personnelles seraient effacées : 1" in out.getvalue()
    assert "rien n’a été modifié" in out.getvalue()
    old_closed_report.refresh_from_db()
    assert old_closed_report.anonymise_le is None and old_closed_report.auteur_email


def test_it_applies_the_retention_and_says_how_much_in_french(old_closed_report):
    out = StringIO()
    call_command("signalements", "retention", stdout=out)
    assert "Signalements dont les données personnelles sont effacées : 1" in out.getvalue()
    assert "Photos de signalements masqués supprimées : 0" in out.getvalue()
    old_closed_report.refresh_from_db()
    assert old_closed_report.anonymise_le is not None and not old_closed_report.auteur_email


def test_it_enqueues_the_retention_task_that_a_worker_runs(old_closed_report, run_tasks):
    call_command("signalements", "schedule", stdout=StringIO())
    [result] = DBTaskResult.objects.filter(task_path__endswith="signalements_retention_run")
    assert run_tasks() >= 1
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    old_closed_report.refresh_from_db()
    assert old_closed_report.anonymise_le is not None


def test_it_refuses_a_period_that_is_not_positive(db):
    with pytest.raises(CommandError, match="positif"):
        call_command("signalements", "schedule", "--every", "0", stdout=StringIO())


def test_it_keeps_enqueueing_in_a_loop(transactional_db, tmp_path):
    log = tmp_path / "schedule.log"
    with log.open("wb") as out:
        loop = subprocess.Popen(
            [sys.executable, "-m", "socle", "signalements", "schedule", "--loop", "--every", "0.3"],
            env=worker_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while DBTaskResult.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        loop.terminate()
        loop.wait()
    assert (
        DBTaskResult.objects.filter(task_path__endswith="signalements_retention_run").count() >= 2
    ), log.read_text()
