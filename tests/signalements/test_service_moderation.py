"""Where a member reviews reports first, a confirmed report waits for an agent to publish it;
agents hide and show reports and photos, and edit personal data out of the public text."""

import io

import pytest
from PIL import Image

from socle.signalements.models import Evenement, Reglages
from socle.signalements.selectors import (
    photos_public,
    signalement_public,
    signalements_for_user,
    signalements_public,
)
from socle.signalements.services import (
    photo_hide,
    photos_process,
    signalement_create,
    signalement_hide,
    signalement_publish,
    signalement_redact,
    signalement_show,
)
from tests.signalements.conftest import PESSAC


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(out, "JPEG")
    out.seek(0)
    return out


def _report(citizen, **extra):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou devant chez M. Dupont, 06 12 34 56 78.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        **extra,
    )


@pytest.fixture
def reviewed_first(demo_members):
    Reglages.objects.create(membre=demo_members.metropole, moderation_prealable=True)


def test_it_holds_a_confirmed_report_until_an_agent_publishes_it(
    reviewed_first, citizen, agent_voirie_sud, demo_members
):
    report = _report(citizen)
    assert report.confirme_le is not None
    assert report.publie_le is None and not report.public
    assert signalement_public(report.reference) is None
    # The agents see it, to review it.
    assert report in signalements_for_user(user=agent_voirie_sud, membre=demo_members.metropole)

    published = signalement_publish(acting_user=agent_voirie_sud, signalement=report)
    assert published.public
    assert signalement_public(report.reference) == report
    assert report.evenements.filter(kind=Evenement.Kind.PUBLIE).count() == 1


def test_it_publishes_at_once_where_the_member_does_not_review(demo_members, citizen):
    assert _report(citizen).public


def test_it_hides_and_shows_a_report(demo_members, citizen, agent_voirie_sud):
    report = _report(citizen)
    hidden = signalement_hide(acting_user=agent_voirie_sud, signalement=report, motif="Injures")
    assert not hidden.public and hidden.motif_masquage == "Injures"
    assert report not in signalements_public()
    shown = signalement_show(acting_user=agent_voirie_sud, signalement=report)
    assert shown.public and shown.motif_masquage == ""
    assert report in signalements_public()


def test_it_hides_one_photo(demo_members, citizen, agent_voirie_sud):
    report = _report(citizen, photos=photos_process([_jpeg(), _jpeg()]))
    first, second = report.photos.all()
    photo_hide(acting_user=agent_voirie_sud, photo=first)
    assert list(photos_public(report)) == [second]
    assert report.public


def test_it_redacts_the_public_text_and_keeps_the_original(demo_members, citizen, agent_voirie_sud):
    report = _report(citizen)
    original = report.description
    redacted = signalement_redact(
        acting_user=agent_voirie_sud, signalement=report, description="Un trou devant un n°."
    )
    assert redacted.description == "Un trou devant un n°."
    assert redacted.description_originale == original
    assert signalement_public(report.reference).description == "Un trou devant un n°."
    # A second edit keeps the first original.
    signalement_redact(acting_user=agent_voirie_sud, signalement=report, description="Un trou.")
    report.refresh_from_db()
    assert report.description_originale == original
