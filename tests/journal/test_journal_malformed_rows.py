"""One malformed row (inserted or changed by raw SQL) shows as « chaîne rompue » at that entry:
every journal screen still renders, and `socle journal verify` says where and exits 1."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_verify
from tests.helpers.journal import journal_page

pytestmark = pytest.mark.django_db

TABLE = PersonalDataAccess._meta.db_table


def _raw_set(entry_id: int, column: str, value) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, entry_id])  # noqa: S608


# Garbage dates and addresses only fit in SQLite's loosely typed columns; PostgreSQL refuses
# them at the door but accepts 'infinity'. The database is known when the tests are collected.
if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
    CORRUPTIONS = [
        ("created_at", "2026-13-45 10:00:00"),
        ("created_at", "pas une date"),
        ("ip", "pas une adresse"),
        ("entry_hash", "zzz"),
        ("previous_hash", ""),
    ]
else:
    CORRUPTIONS = [("created_at", "infinity"), ("entry_hash", "zzz"), ("previous_hash", "")]


@pytest.fixture(params=CORRUPTIONS, ids=[f"{column}={value!r}" for column, value in CORRUPTIONS])
def corrupted(request, pessac_and_bordeaux_entries):
    column, value = request.param
    entry = pessac_and_bordeaux_entries[0]
    _raw_set(entry.pk, column, value)
    return entry


def test_it_reports_the_broken_entry(corrupted):
    report = journal_verify()
    assert not report.ok
    assert report.broken_id == corrupted.pk


def test_the_command_says_where_and_exits_1(corrupted):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("journal", "verify", stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert f"Journal rompu à l’entrée n°{corrupted.pk}" in err.getvalue()


@pytest.mark.parametrize("url", ["/gestion/pessac/journal/", "/gestion/journal/"])
def test_the_journal_pages_render_with_the_broken_entry_marked(client, ethique, corrupted, url):
    response, page = journal_page(client, ethique, url)
    assert response.status_code == 200
    assert "Chaîne rompue" in page
    assert f"n° {corrupted.pk}" in page
    assert f'id="entree-{corrupted.pk}"' in page
    assert "Demande d'assistance au guichet" in page


def test_the_csv_export_still_lists_every_entry(
    client, ethique, corrupted, pessac_and_bordeaux_entries
):
    client.force_login(ethique)
    response = client.get("/gestion/journal/export/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert len(body.strip().splitlines()) == 1 + len(pessac_and_bordeaux_entries)


def test_the_citizens_page_renders(client, corrupted):
    response, page = journal_page(client, corrupted.citizen, "/gestion/mes-acces/")
    assert response.status_code == 200
    assert "Demande d'assistance au guichet" in page
