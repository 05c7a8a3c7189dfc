"""`socle demo` sets up members, services and accounts once, and changes nothing the second time."""

from io import StringIO

from django.core.management import call_command

from socle.comptes.models import Role, User
from socle.demo import ACCOUNTS, DEMO_PASSWORD
from socle.territoires.models import Membre, Service


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
