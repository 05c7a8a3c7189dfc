"""`socle demarches schedule` runs the daily sweep of the citizen's file's orphan ciphertexts
(`socle citoyen orphelins`) with the retention: no other scheduler is needed."""

import io
import os
import time

import pytest
from django.core.management import call_command

from socle.citoyen.chiffrement import files_dir

pytestmark = pytest.mark.django_db


def _file(chemin: str, *, days: float):
    path = files_dir() / chemin
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SOCLE-AEAD-1 chiffre")
    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))
    return path


def test_the_schedule_removes_old_orphans_and_keeps_recent_ones():
    old = _file("2026/01/orphelin-ancien", days=2)
    recent = _file("2026/01/orphelin-recent", days=0)
    out = io.StringIO()
    call_command("demarches", "schedule", stdout=out)
    assert "Fichiers chiffrés orphelins supprimés : 1" in out.getvalue()
    assert not old.exists() and recent.exists()
