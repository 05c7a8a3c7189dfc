"""The CSV export of the journal: its headers, its rows, its filters, and nothing else."""

import csv
import io

import pytest
from django.utils import timezone

from tests.helpers.journal import record_access

pytestmark = pytest.mark.django_db

HEADER = [
    "N°",
    "Date",
    "Collectivité",
    "Agent",
    "Adresse de l’agent",
    "Usager",
    "Adresse de l’usager",
    "Action",
    "Données",
    "Écran ou API",
    "Motif",
    "Adresse IP",
    "Empreinte précédente",
    "Empreinte",
]


def _export(client, user, **params):
    client.force_login(user)
    response = client.get("/gestion/pessac/journal/export/", params)
    rows = []
    if response.status_code == 200:
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return response, rows


def test_it_sends_a_csv_attachment(client, dpo_pessac, pessac_and_bordeaux_entries):
    response, _rows = _export(client, dpo_pessac)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    expected = f'attachment; filename="journal-acces-pessac-{today}.csv"'
    assert response["Content-Disposition"] == expected
    assert response["Cache-Control"] == "no-store"


def test_it_writes_the_header_and_one_row_per_entry(
    client, dpo_pessac, pessac_and_bordeaux_entries
):
    entry = pessac_and_bordeaux_entries[0]
    _response, rows = _export(client, dpo_pessac)
    assert rows[0] == HEADER
    assert len(rows) == 2  # Bordeaux's entry is not there
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["N°"] == str(entry.pk)
    assert row["Date"] == timezone.localtime(entry.created_at).isoformat(timespec="seconds")
    assert row["Collectivité"] == "Pessac"
    assert row["Agent"] == "Test Persona"
    assert row["Adresse de l’agent"] == "anne.agent@pessac.example.fr"
    assert row["Adresse de l’usager"] == "camille.citoyenne@example.fr"
    assert row["Action"] == "lecture"
    assert row["Données"] == "identité et coordonnées"
    assert row["Écran ou API"] == "back-office : assistance aux usagers"
    assert row["Motif"] == "Demande d'assistance au guichet"
    assert row["Adresse IP"] == ""
    assert row["Empreinte précédente"] == "0" * 64
    assert row["Empreinte"] == entry.entry_hash


def test_it_exports_only_the_filtered_entries(
    client, dpo_pessac, pessac_and_bordeaux_entries, demo_members, other_citizen, admin_pessac
):
    record_access(
        admin_pessac,
        other_citizen,
        demo_members.pessac,
        data="justificatif de domicile",
        channel="back-office : démarches",
        purpose="Inscription cantine",
    )
    _response, rows = _export(client, dpo_pessac, usager="dominique.citoyen@example.fr")
    assert [row[10] for row in rows[1:]] == ["Inscription cantine"]
    _response, rows = _export(client, dpo_pessac, donnees="identité et coordonnées")
    assert [row[10] for row in rows[1:]] == ["Demande d'assistance au guichet"]


def test_it_neutralises_spreadsheet_formulas(
    client, dpo_pessac, demo_members, agent_pessac, citizen
):
    record_access(
        agent_pessac,
        citizen,
        demo_members.pessac,
        purpose='=HYPERLINK("http://example.com","clic")',
    )
    _response, rows = _export(client, dpo_pessac)
    assert rows[1][10] == '\'=HYPERLINK("http://example.com","clic")'


def test_it_refuses_a_bad_filter_with_the_page_and_its_errors(
    client, dpo_pessac, pessac_and_bordeaux_entries
):
    response, _rows = _export(client, dpo_pessac, du="pas une date")
    assert response.status_code == 400
    assert "Saisissez une date valide." in response.content.decode()
