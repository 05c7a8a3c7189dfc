"""`socle demo` sets up members, services and accounts once, and changes nothing the second time."""

from io import StringIO

from django.core.management import call_command

from socle.comptes.models import User
from socle.demo.setup import ACCOUNTS, DEMO_PASSWORD
from socle.membres.models import Membre, Role, Service


def _counts():
    return (
        Membre.objects.count(),
        Service.objects.count(),
        User.objects.count(),
        Role.objects.filter(ended_at__isnull=True).count(),
    )


def test_it_sets_up_the_demo_and_is_idempotent(db, gironde):
    out = StringIO()
    call_command("demo", no_static=True, stdout=out)
    first = _counts()
    assert Membre.objects.filter(slug__in=["bordeaux", "pessac", "bordeaux-metropole"]).count() == 3
    assert Membre.objects.get(slug="bordeaux-metropole").collectivite.epci_type == "METRO"
    assert "Territoire déjà chargé" in out.getvalue()
    assert "/pessac/" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()

    call_command("demo", no_static=True, stdout=StringIO())
    assert _counts() == first


def test_it_creates_demo_accounts_that_can_log_in(db, gironde, client):
    call_command("demo", no_static=True, stdout=StringIO())
    operateur = User.objects.get(email=ACCOUNTS[0][0])
    assert operateur.roles.filter(kind=Role.Kind.OPERATEUR, ended_at__isnull=True).exists()
    assert client.login(email=operateur.email, password=DEMO_PASSWORD)


def test_it_gives_privileged_demo_accounts_a_second_factor_with_a_printable_code(db, gironde):
    call_command("demo", no_static=True, stdout=StringIO())
    out = StringIO()
    call_command("demo_code", "admin@pessac.socle.localhost", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()

    from socle.comptes.services import totp_device_verify

    admin = User.objects.get(email="admin@pessac.socle.localhost")
    assert totp_device_verify(user=admin, code=code)


def test_it_prints_codes_only_for_demo_accounts(db, gironde, operateur):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="pas un compte de démonstration"):
        call_command("demo_code", operateur.email, stdout=StringIO())
