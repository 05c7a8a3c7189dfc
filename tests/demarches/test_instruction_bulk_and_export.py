"""Bulk actions report each dossier; exports are formula-safe, readable, and journaled."""

import csv
import io

from openpyxl import load_workbook

from socle.demarches import instruction
from socle.demarches import selectors as sel
from socle.demarches.models import ACCEPTE, REFUSE
from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_verify
from socle.membres.models import AuditEvent


def test_it_refuses_in_bulk_with_one_motif_and_reports_failures(
    demo_members, citizen, dossier_factory
):
    first, second = dossier_factory(usager=citizen), dossier_factory()
    closed = dossier_factory(statut=ACCEPTE)
    report = instruction.dossiers_bulk(
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        references=[first.reference, second.reference, closed.reference, "D-ZZZZ-ZZZZ"],
        action="statut",
        vers=REFUSE,
        motif="Hors délai",
    )
    assert report.reussis == [first.reference, second.reference]
    failed = dict(report.echecs)
    assert "ne peut pas passer" in failed[closed.reference]
    assert failed["D-ZZZZ-ZZZZ"] == "Dossier introuvable dans votre file."
    first.refresh_from_db()
    assert first.statut == REFUSE and first.motif == "Hors délai"


def test_it_assigns_in_bulk(demo_members, dossier_factory):
    dossiers = [dossier_factory(), dossier_factory(service="État civil")]
    report = instruction.dossiers_bulk(
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        references=[d.reference for d in dossiers],
        action="attribuer",
        agent=demo_members.agent_pessac,
    )
    # Anne does not handle « État civil »: that one is refused, the other done.
    assert report.reussis == [dossiers[0].reference]
    assert report.echecs[0][0] == dossiers[1].reference


def _export(demo_members, fmt):
    qs = sel.dossiers_queue(user=demo_members.admin_pessac, membre=demo_members.pessac, statut="")
    return instruction.dossiers_export(
        acting_user=demo_members.admin_pessac, membre=demo_members.pessac, dossiers=qs, fmt=fmt
    )


def test_it_exports_csv_formula_safe_and_journals_each_citizen(
    demo_members, citizen, other_citizen, dossier_factory
):
    dossier_factory(usager=citizen, nom='=HYPERLINK("http://x")')
    dossier_factory(usager=citizen, donnees={"nom": "Martin", "enfants": [{"prenom": "Léa"}]})
    dossier_factory(usager=other_citizen)
    dossier_factory(usager=None)
    rows = list(csv.reader(io.StringIO(_export(demo_members, "csv").decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Référence", "Démarche", "Statut"]
    assert "Enfants 1 — Prénom" in header and "Quotient familial" in header
    assert len(body) == 4
    names = [row[header.index("Demandeur")] for row in body]
    assert '\'=HYPERLINK("http://x")' in names
    exports = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EXPORT)
    assert sorted(e.citizen_id for e in exports) == sorted([citizen.pk, other_citizen.pk])
    assert journal_verify()
    assert AuditEvent.objects.filter(action="dossier.export").count() == 1


def test_it_exports_xlsx_as_text_cells(demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen, nom="=1+1")
    sheet = load_workbook(io.BytesIO(_export(demo_members, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Référence" and rows[1][0] == dossier.reference
    assert rows[1][rows[0].index("Demandeur")] == "=1+1"
    assert sheet.cell(row=2, column=rows[0].index("Demandeur") + 1).data_type == "s"
