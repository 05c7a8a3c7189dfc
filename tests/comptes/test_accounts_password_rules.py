"""Passwords follow the CNIL recommendations: 12 characters and 3 kinds, or 14 characters."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from socle.comptes.models import User
from socle.comptes.security import CharacterClassesValidator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Bordeaux-2026",  # 13 characters, 4 kinds
        "bordeaux-2026",  # 3 kinds: lowercase, digits, others
        "BordeauxPessac7",  # 3 kinds: both cases and a digit
        "une phrase de passe",  # a passphrase, lowercase only but long
        "Éléphant-rose9",  # accented letters count as letters
    ],
)
def test_it_accepts_a_mixed_or_long_password(password):
    validate_password(password, user=User(email="lea@example.fr"))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("bordeauxpessac", None),  # 14 characters: long enough, but see below
        ("bordeauxpessa", "password_too_simple"),  # 13 lowercase letters
        ("Bordeauxpessa", "password_too_simple"),  # 2 kinds only
        ("Court-1", "password_too_short"),
        ("123456789012345", "password_entirely_numeric"),
        ("lea.habitante1", "password_too_similar"),
    ],
)
def test_it_refuses_a_weak_password(password, code):
    user = User(email="lea.habitante@example.fr", first_name="Léa", last_name="Habitante")
    if code is None:
        validate_password(password, user=user)
        return
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    assert code in {error.code for error in refused.value.error_list}


def test_it_explains_the_rule_in_french():
    validator = CharacterClassesValidator(min_classes=3, long_enough=14)
    assert "au moins 3 types de caractères" in validator.get_help_text()
    with pytest.raises(ValidationError) as refused:
        validator.validate("abcdefghijkl")
    assert "au moins 14 caractères" in refused.value.messages[0]


def test_it_shows_the_refusal_on_the_sign_up_form(client):
    response = client.post(
        "/comptes/inscription/",
        {
            "email": "lea@example.fr",
            "first_name": "Léa",
            "last_name": "Habitante",
            "password1": "bordeauxpessa",
            "password2": "bordeauxpessa",
        },
    )
    assert response.status_code == 400
    assert "doit mélanger au moins 3 types de caractères" in response.content.decode()
    assert not User.objects.exists()
