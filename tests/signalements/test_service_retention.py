"""The retention task erases the reporter's data of reports closed longer than their member
keeps it (12 months by default, calendar months), removes their followers and what their mail
carried, deletes reports never confirmed, and deletes the photos of hidden reports."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from socle.core.models import OutboxMessage
from socle.signalements.models import Abonnement, Evenement, Photo, Reglages, Signalement
from socle.signalements.services import (
    photos_process,
    signalement_create,
    signalement_follow,
    signalement_hide,
    signalements_retention_apply,
)
from tests.signalements.conftest import PESSAC, SAINT_EMILION

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "red").save(out, "JPEG")
    out.seek(0)
    return out


def _report(citizen, point=PESSAC, **extra):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou devant chez moi.",
        lat=point[0],
        lon=point[1],
        auteur=citizen,
        nom="Camille Citoyenne",
        telephone="06 12 34 56 78",
        **extra,
    )


def _closed_on(report, when):
    Signalement.objects.filter(pk=report.pk).update(statut="resolu", clos_le=when, resolu_le=when)


def _erased(report) -> bool:
    report.refresh_from_db()
    return report.anonymise_le is not None


def test_it_erases_the_reporters_data_a_year_after_closure_and_removes_followers(
    demo_members, citizen, other_citizen, smtp_server
):
    report = _report(citizen)
    signalement_follow(signalement=report, user=other_citizen)
    Signalement.objects.filter(pk=report.pk).update(description_originale="Chez M. Dupont")
    smtp_server.wait_for(2)
    _closed_on(report, datetime(2025, 3, 14, 12, 0, tzinfo=UTC))

    assert signalements_retention_apply(now=NOW)["signalements"] == 1
    report.refresh_from_db()
    assert report.anonymise_le == NOW
    assert report.auteur is None
    assert (report.auteur_email, report.auteur_nom, report.auteur_telephone) == ("", "", "")
    assert report.description_originale == ""
    assert report.description == "Un trou devant chez moi."
    assert not Abonnement.objects.filter(signalement=report).exists()
    assert report.evenements.filter(kind=Evenement.Kind.ANONYMISE).count() == 1
    # The mail sent to the reporter no longer names them.
    for envoi in report.envois.filter(destinataire="citoyen"):
        assert citizen.email not in str(OutboxMessage.objects.get(pk=envoi.message_id).payload)
    # Once is enough.
    assert signalements_retention_apply(now=NOW)["signalements"] == 0


def test_it_keeps_the_data_until_twelve_calendar_months_have_passed(demo_members, citizen):
    report = _report(citizen)
    # 363 days before: more than « 12 months » of 30 days, less than a year.
    _closed_on(report, datetime(2025, 3, 17, 12, 0, tzinfo=UTC))
    assert signalements_retention_apply(now=NOW)["signalements"] == 0
    assert not _erased(report)
    assert report.auteur_email == citizen.email


def test_it_never_erases_an_open_report(demo_members, citizen):
    report = _report(citizen)
    Signalement.objects.filter(pk=report.pk).update(cree_le=NOW - timedelta(days=800))
    signalements_retention_apply(now=NOW)
    assert not _erased(report)


def test_it_follows_the_members_own_retention(demo_members, citizen):
    Reglages.objects.create(membre=demo_members.metropole, retention_mois=3)
    report = _report(citizen)
    _closed_on(report, datetime(2025, 12, 1, tzinfo=UTC))
    assert signalements_retention_apply(now=NOW)["signalements"] == 1
    assert _erased(report)


def test_it_uses_the_default_for_a_report_with_no_member(demo_members, citizen):
    early = _report(citizen, point=SAINT_EMILION)
    late = _report(citizen, point=SAINT_EMILION)
    assert early.membre is None
    _closed_on(early, datetime(2025, 3, 1, tzinfo=UTC))
    _closed_on(late, datetime(2025, 4, 1, tzinfo=UTC))
    assert signalements_retention_apply(now=NOW)["signalements"] == 1
    assert _erased(early) and not _erased(late)


def test_it_deletes_the_photos_of_hidden_reports_rows_and_files(
    demo_members, citizen, agent_voirie_sud, django_capture_on_commit_callbacks
):
    hidden = _report(citizen, photos=photos_process([_jpeg(), _jpeg()]))
    shown = _report(citizen, photos=photos_process([_jpeg()]))
    signalement_hide(acting_user=agent_voirie_sud, signalement=hidden, motif="Visage visible")
    files = [name for p in hidden.photos.all() for name in (p.image.name, p.vignette.name)]
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        assert signalements_retention_apply()["photos"] == 2
    assert not Photo.objects.filter(signalement=hidden).exists()
    assert not any(default_storage.exists(name) for name in files)
    [kept] = shown.photos.all()
    assert default_storage.exists(kept.image.name)


def test_it_deletes_a_report_never_confirmed_once_its_link_expired(
    demo_members, settings, smtp_server
):
    settings.SIGNALEMENTS_CONFIRMATION_JOURS = 7
    old = signalement_create(
        categorie_code="nid-de-poule",
        description="Jamais confirmé.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="distrait@example.fr",
    )
    recent = signalement_create(
        categorie_code="nid-de-poule",
        description="Pas encore confirmé.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="patient@example.fr",
    )
    smtp_server.wait_for(2)
    Signalement.objects.filter(pk=old.pk).update(cree_le=NOW - timedelta(days=9))
    Signalement.objects.filter(pk=recent.pk).update(cree_le=NOW - timedelta(days=3))
    assert signalements_retention_apply(now=NOW)["non_confirmes"] == 1
    assert list(Signalement.objects.all()) == [recent]
    assert not any("distrait@" in str(m.payload) for m in OutboxMessage.objects.all())
    assert any("patient@" in str(m.payload) for m in OutboxMessage.objects.all())
