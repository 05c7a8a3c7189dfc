"""Every security-relevant event is journaled, with who, who did it, from where — never a secret."""

import json

import pytest

from socle.comptes import totp
from socle.comptes.models import SecurityEvent
from socle.comptes.security import security_event_record
from socle.membres.models import Role
from socle.membres.services import role_end, role_grant
from tests.helpers.comptes import enrol_totp, log_in, wrong_code

pytestmark = pytest.mark.django_db


def kinds(user=None):
    events = SecurityEvent.objects.order_by("id")
    if user is not None:
        events = events.filter(user=user)
    return [event.kind for event in events]


def test_it_records_logins_failures_and_logouts(client, citizen, password):
    client.post(
        "/comptes/connexion/",
        {"username": "  Camille.Citoyenne@Example.FR ", "password": "mon-secret-2026"},
        HTTP_USER_AGENT="Firefox de test",
    )
    failed = SecurityEvent.objects.get(kind="login_failed")
    assert failed.user == citizen
    assert failed.details == {"email": "camille.citoyenne@example.fr"}
    assert failed.ip == "127.0.0.1"
    assert failed.user_agent == "Firefox de test"
    # The attempted password is nowhere.
    assert "mon-secret-2026" not in json.dumps(list(SecurityEvent.objects.values()), default=str)

    log_in(client, citizen, password)
    client.post("/comptes/deconnexion/")
    assert kinds(citizen) == ["login_failed", "login", "logout"]


def test_it_records_a_failure_for_an_unknown_address(client):
    client.post("/comptes/connexion/", {"username": "Personne@example.fr", "password": "x"})
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.details) == (
        "login_failed",
        None,
        {"email": "personne@example.fr"},
    )


def test_it_records_second_factor_events(client, operateur, password):
    secret = enrol_totp(operateur)
    log_in(client, operateur, password)
    right = totp.code_at(secret)
    wrong = wrong_code(right)
    client.post("/comptes/second-facteur/", {"code": wrong})
    client.post("/comptes/second-facteur/", {"code": right})
    assert kinds(operateur) == ["role_granted", "totp_enabled", "totp_failed", "login"]


def test_it_records_role_changes_with_their_actor(operateur, citizen):
    role = role_grant(acting_user=None, user=citizen, kind=Role.Kind.ETHIQUE, granted_by=operateur)
    # Granting the same role again changes nothing and records nothing.
    role_grant(acting_user=None, user=citizen, kind=Role.Kind.ETHIQUE, granted_by=operateur)
    role_end(role=role, acting_user=operateur)
    role_end(role=role, acting_user=operateur)
    granted, ended = SecurityEvent.objects.filter(user=citizen).order_by("id")
    assert (granted.kind, granted.actor) == ("role_granted", operateur)
    assert (ended.kind, ended.actor) == ("role_ended", operateur)
    assert granted.details == {"role": "ethique", "membre": None, "service": None}


def test_it_records_the_role_granted_by_an_invitation(client, demo_members, password):
    from socle.membres.services import invitation_create

    _invitation, token = invitation_create(
        email="ines.ecole@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
    )
    client.post(
        f"/comptes/invitation/{token}/",
        {
            "first_name": "Inès",
            "last_name": "École",
            "password1": "Une-phrase-de-passe-2026",
            "password2": "Une-phrase-de-passe-2026",
        },
    )
    event = SecurityEvent.objects.get(
        kind="role_granted", user__email="ines.ecole@pessac.example.fr"
    )
    assert event.actor == demo_members.admin_pessac
    assert event.details["membre"] == "pessac"
    assert event.ip == "127.0.0.1"


def test_it_records_a_role_ended_in_the_back_office(client, demo_members):
    role = Role.objects.get(user=demo_members.agent_pessac, membre=demo_members.pessac)
    client.force_login(demo_members.admin_pessac)
    role_end(role=role, acting_user=demo_members.admin_pessac)
    event = SecurityEvent.objects.get(kind="role_ended")
    assert event.user == demo_members.agent_pessac
    assert event.actor == demo_members.admin_pessac


def test_it_drops_secrets_from_details_and_refuses_unknown_kinds(citizen):
    event = security_event_record(
        kind="login_failed",
        user=citizen,
        details={
            "email": "a@b.fr",
            "password": "x",
            "new_password1": "y",
            "code": "1",
            "token": "t",
        },
    )
    assert event.details == {"email": "a@b.fr"}
    with pytest.raises(ValueError):
        security_event_record(kind="nimporte_quoi")
