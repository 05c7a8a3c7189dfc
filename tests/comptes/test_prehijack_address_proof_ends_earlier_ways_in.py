"""Pre-hijack: whoever opened an account with someone else's address loses every way in once
the address's owner proves it (verification link, password reset, ProConnect invitation).

The squatter registers the future agent's address, opens a session, links his own
FranceConnect identity (as the platform allowed before it refused unverified accounts) and
enrols a second factor, then waits.
"""

import re

import pytest
from django.test import Client

from socle.comptes.models import Identity, SecurityEvent, TOTPDevice, User
from socle.membres.models import Role
from socle.membres.services import invitation_create
from tests.helpers.comptes import enrol_totp, log_in
from tests.helpers.mail import path_in
from tests.helpers.oidc import logged_in_user, login_through

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db

VICTIM = "ines.ecole@pessac.example.fr"
SQUATTER_PASSWORD = "Squatteur-Mot-2026!"
NEW_PASSWORD = "Le-vrai-mot-de-passe-2026!"
VERIFY_PATH = re.compile(r"https?://[^/\s]+(/comptes/verification/[^/\s]+/[^/\s]+/)")
RESET_PATH = re.compile(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def squatted(fake_fc, smtp_server, django_capture_on_commit_callbacks):
    """The squatter's account, his open session, and the verification mail sent to the victim."""
    squatter = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = squatter.post(
            "/comptes/inscription/",
            {
                "email": VICTIM,
                "first_name": "Ines",
                "last_name": "Ecole",
                "password1": SQUATTER_PASSWORD,
                "password2": SQUATTER_PASSWORD,
            },
        )
    assert response.status_code == 302, response.content.decode()[:500]
    [verification_mail] = smtp_server.wait_for(1)
    smtp_server.clear()
    account = User.objects.get(email=VICTIM)
    assert log_in(squatter, account, SQUATTER_PASSWORD).status_code == 302
    Identity.objects.create(
        user=account,
        provider=Identity.Provider.FRANCECONNECT,
        sub=fake_fc.sub_for("angela"),
        given_name="Angela",
        family_name="SQUATTEUSE",
        verified_at=account.date_joined,
    )
    enrol_totp(account)
    return account, squatter, verification_mail


def assert_squatter_locked_out(account, squatter_session):
    account.refresh_from_db()
    assert account.email_verified_at is not None
    assert not Identity.objects.filter(user=account, provider="franceconnect").exists()
    assert not TOTPDevice.objects.filter(user=account).exists()
    # His open session is over.
    assert not logged_in_user(squatter_session).is_authenticated
    # His FranceConnect identity now opens a new, separate citizen account.
    fc = Client()
    login_through(fc, "angela")
    assert logged_in_user(fc).pk != account.pk
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ADDRESS_PROVEN, user=account)
    assert event.details["identities_removed"] == ["franceconnect"]
    assert event.details["second_factor_removed"] is True


def test_it_ends_the_squatters_ways_in_when_the_owner_resets_the_password(
    squatted, smtp_server, django_capture_on_commit_callbacks
):
    account, squatter, _mail = squatted
    victim = Client()
    with django_capture_on_commit_callbacks(execute=True):
        victim.post("/comptes/mot-de-passe/oubli/", {"email": VICTIM})
    [message] = smtp_server.wait_for(1)
    form = victim.get(path_in(message, RESET_PATH), follow=True)
    response = victim.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert_squatter_locked_out(account, squatter)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_it_ends_the_squatters_ways_in_when_the_owner_opens_the_verification_link(squatted):
    account, squatter, verification_mail = squatted
    victim = Client()
    response = victim.post(path_in(verification_mail, VERIFY_PATH))
    assert response.status_code == 302

    assert_squatter_locked_out(account, squatter)


def test_it_ends_the_squatters_ways_in_when_the_owner_accepts_through_proconnect(
    squatted, fake_pc, demo_members
):
    account, squatter, _mail = squatted
    invitation_create(
        email=VICTIM,
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        service=demo_members.pessac.services.get(nom="Éducation"),
    )
    fake_pc.add_identity(
        "ines", email=VICTIM, given_name="Inès", usual_name="École", siret="21330318300014"
    )
    victim = Client()
    login_through(victim, "ines", provider="proconnect")

    account.refresh_from_db()
    assert list(Identity.objects.filter(user=account).values_list("provider", flat=True)) == [
        "proconnect"
    ]
    assert_squatter_locked_out(account, squatter)
