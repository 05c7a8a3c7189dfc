"""A report with several problems is refused with every one of them at once, and nothing of it
is written."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from socle.comptes.models import User
from socle.core.models import OutboxMessage
from socle.signalements.models import (
    Abonnement,
    Categorie,
    Envoi,
    Evenement,
    Photo,
    Question,
    Signalement,
)
from socle.signalements.services import photos_process, signalement_create
from tests.signalements.conftest import PESSAC


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(out, "JPEG")
    return out.getvalue()


def _rows() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Signalement, Photo, Evenement, Abonnement, Envoi, OutboxMessage, User)
    )


@pytest.fixture
def pothole_questions(demo_members):
    """The Métropole asks, for a pothole, its depth (a number) and where exactly (required)."""
    pothole = Categorie.objects.get(code="nid-de-poule", membre__isnull=True)
    for code, kind, required in (
        ("profondeur", Question.Kind.NOMBRE, False),
        ("voie", Question.Kind.TEXTE, True),
    ):
        Question.objects.create(
            membre=demo_members.metropole,
            categorie=pothole,
            code=code,
            libelle=code.capitalize(),
            kind=kind,
            obligatoire=required,
        )


def test_it_reports_every_field_problem_at_once_and_writes_nothing(pothole_questions):
    photos = photos_process([io.BytesIO(_photo()) for _ in range(4)])
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        signalement_create(
            categorie_code="nid-de-poule",
            description="   ",
            lat=PESSAC[0],
            lon=PESSAC[1],
            email="pas-une-adresse",
            reponses={"profondeur": "très profond", "voie": ""},
            photos=photos,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"description", "email", "q_voie", "q_profondeur", "photos"}
    assert _rows() == before


def test_it_refuses_a_description_over_4000_characters_with_the_other_problems(
    pothole_questions,
):
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        signalement_create(
            categorie_code="nid-de-poule",
            description="x" * 4001,
            lat=PESSAC[0],
            lon=PESSAC[1],
            email="",
            reponses={"voie": "Avenue Jean-Jaurès", "profondeur": "12,5"},
        )
    errors = caught.value.message_dict
    assert set(errors) == {"description", "email"}
    assert "4001" in errors["description"][0] and "4000" in errors["description"][0]
    assert _rows() == before


def test_it_accepts_exactly_4000_characters_and_a_decimal_comma(pothole_questions):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="x" * 4000,
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="quelquun@example.fr",
        reponses={"voie": "Avenue Jean-Jaurès", "profondeur": "12,5"},
        photos=photos_process([io.BytesIO(_photo()) for _ in range(3)]),
    )
    assert len(report.description) == 4000
    assert report.reponses == {"voie": "Avenue Jean-Jaurès", "profondeur": 12.5}
    assert report.photos.count() == 3
