"""`socle citoyen orphelins` removes the ciphertext a rolled-back transaction left behind."""

import io
import os
import time

from django.core.management import call_command
from django.db import transaction

from socle.citoyen.chiffrement import files_dir
from tests.citoyen.helpers import add_piece


def _age(path, days: float) -> None:
    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))


def test_it_removes_only_old_files_no_row_names(citizen):
    kept = add_piece(citizen)
    try:
        with transaction.atomic():
            lost = add_piece(citizen)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    orphan = files_dir() / lost.fichier.chemin
    assert orphan.exists()
    recent_orphan = files_dir() / "2026/01/recent"
    recent_orphan.parent.mkdir(parents=True, exist_ok=True)
    recent_orphan.write_bytes(b"x")
    kept_path = files_dir() / kept.fichier.chemin
    _age(orphan, 2)
    _age(kept_path, 2)

    out = io.StringIO()
    call_command("citoyen", "orphelins", stdout=out)
    assert "1 fichier(s) orphelin(s) supprimé(s)" in out.getvalue()
    assert not orphan.exists()
    assert kept_path.exists() and recent_orphan.exists()
