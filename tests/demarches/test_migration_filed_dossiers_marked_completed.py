"""Migration 0007 marks the dossiers filed before it as completed (their receipt and mails were
made at filing then), batch by batch; drafts stay to be filed."""

import importlib

from django.apps import apps

from socle.demarches.models import BROUILLON, Dossier

migration = importlib.import_module("socle.demarches.migrations.0007_dossier_depot_traite_le")


def test_it_marks_every_filed_dossier_at_its_filing_date(dossier_factory, monkeypatch):
    filed = [dossier_factory(depot_traite_le=None) for _ in range(5)]
    draft = dossier_factory(statut=BROUILLON)
    monkeypatch.setattr(migration, "BATCH", 2)
    migration.mark_filed_done(apps, None)
    for dossier in filed:
        dossier.refresh_from_db()
        assert dossier.depot_traite_le == dossier.depose_le
    assert Dossier.objects.get(pk=draft.pk).depot_traite_le is None
