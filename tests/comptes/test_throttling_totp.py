"""Wrong second-factor codes are throttled per account: then even the right code is refused."""

import pytest

from socle.comptes import totp
from socle.comptes.models import SecurityEvent
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import enrol_totp, log_in, wrong_code

pytestmark = pytest.mark.django_db


def test_it_refuses_the_right_code_after_five_wrong_ones(client, operateur, password):
    secret = enrol_totp(operateur)
    log_in(client, operateur, password)
    right = totp.code_at(secret)
    wrong = wrong_code(right)
    for _ in range(5):
        assert client.post("/comptes/second-facteur/", {"code": wrong}).status_code == 400
    response = client.post("/comptes/second-facteur/", {"code": right})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert_accessible(response)
    event = SecurityEvent.objects.get(kind="login_throttled")
    assert event.user == operateur
    assert event.details == {"scope": "totp"}


def test_it_throttles_enrolment_codes_too(client, operateur, password):
    log_in(client, operateur, password)
    client.get("/comptes/second-facteur/activer/")
    for _ in range(5):
        client.post("/comptes/second-facteur/activer/", {"code": "000000"})
    response = client.post("/comptes/second-facteur/activer/", {"code": "000000"})
    assert response.status_code == 429
    assert_accessible(response)
