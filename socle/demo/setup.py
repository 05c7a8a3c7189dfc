"""The demo: Gironde loaded, three members with services and agents, and demo accounts.

Idempotent: running it again changes nothing that is already there.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from socle.comptes import totp
from socle.comptes.models import User
from socle.comptes.security import second_factor_device, second_factor_required
from socle.comptes.services import totp_device_confirm, totp_device_start, user_create
from socle.core.modules import module_codes
from socle.membres.models import Membre, Role, Service
from socle.membres.services import membre_onboard, role_grant, service_create
from socle.territoires.models import Collectivite, Competence

DEMO_PASSWORD = "socle-demo-2026"  # noqa: S105 - demo accounts only, printed by `make run`

# A south-west sector of Bordeaux Métropole (Pessac, Talence, Gradignan…), as a GeoJSON polygon.
SECTEUR_SUD = (
    '{"type":"Polygon","coordinates":[[[-0.75,44.72],[-0.55,44.72],[-0.55,44.815],'
    "[-0.75,44.815],[-0.75,44.72]]]}"
)

# slug, kind, code, colour, modules, services: (name, competences, sector name, sector)
MEMBERS: list[
    tuple[
        str,
        Collectivite.Kind,
        str,
        str,
        list[str],
        list[tuple[str, list[str], str, str | None]],
    ]
] = [
    (
        "bordeaux-metropole",
        Collectivite.Kind.EPCI,
        "243300316",
        "#7a1f3d",
        ["signalements", "opendata"],
        [
            ("Direction de la voirie", ["voirie", "signalisation"], "", None),
            ("Pôle territorial Sud — voirie", ["voirie"], "Pôle territorial Sud", SECTEUR_SUD),
            ("Direction de l'eau", ["eau-potable", "assainissement"], "", None),
            ("Collecte des déchets", ["dechets"], "", None),
        ],
    ),
    (
        "bordeaux",
        Collectivite.Kind.COMMUNE,
        "33063",
        "#8c1d18",
        ["signalements", "demarches", "dossier"],
        [
            ("Propreté urbaine", ["proprete"], "", None),
            ("Éclairage public", ["eclairage-public", "mobilier-urbain"], "", None),
            ("Parcs et jardins", ["espaces-verts"], "", None),
            ("État civil", ["etat-civil"], "", None),
        ],
    ),
    (
        "pessac",
        Collectivite.Kind.COMMUNE,
        "33318",
        "#1f5c8c",
        ["signalements", "demarches", "dossier", "mediation"],
        [
            ("Propreté et espaces verts", ["proprete", "espaces-verts"], "", None),
            ("Éclairage public", ["eclairage-public", "mobilier-urbain"], "", None),
            ("État civil", ["etat-civil"], "", None),
            ("Éducation", ["restauration-scolaire", "periscolaire"], "", None),
        ],
    ),
]

# email, first name, last name, role, member slug, service name
ACCOUNTS: list[tuple[str, str, str, Role.Kind | None, str | None, str | None]] = [
    ("operateur@socle.localhost", "Olivia", "Opératrice", Role.Kind.OPERATEUR, None, None),
    (
        "admin@pessac.socle.localhost",
        "Paul",
        "Administrateur",
        Role.Kind.ADMINISTRATEUR,
        "pessac",
        None,
    ),
    (
        "agent@pessac.socle.localhost",
        "Anne",
        "Agent",
        Role.Kind.AGENT,
        "pessac",
        "Propreté et espaces verts",
    ),
    ("elu@pessac.socle.localhost", "Émile", "Élu", Role.Kind.ELU, "pessac", None),
    ("dpo@pessac.socle.localhost", "Denise", "Déléguée", Role.Kind.DPO, "pessac", None),
    ("ethique@socle.localhost", "Étienne", "Comité", Role.Kind.ETHIQUE, None, None),
    (
        "admin@bordeaux.socle.localhost",
        "Bernard",
        "Administrateur",
        Role.Kind.ADMINISTRATEUR,
        "bordeaux",
        None,
    ),
    (
        "agent@bordeaux.socle.localhost",
        "Béatrice",
        "Agent",
        Role.Kind.AGENT,
        "bordeaux",
        "Propreté urbaine",
    ),
    (
        "admin@bordeaux-metropole.socle.localhost",
        "Martin",
        "Administrateur",
        Role.Kind.ADMINISTRATEUR,
        "bordeaux-metropole",
        None,
    ),
    (
        "agent@bordeaux-metropole.socle.localhost",
        "Mathilde",
        "Agent",
        Role.Kind.AGENT,
        "bordeaux-metropole",
        "Direction de la voirie",
    ),
    ("citoyen@example.fr", "Camille", "Citoyenne", None, None, None),
]


@dataclass
class DemoReport:
    members: dict[str, Membre]
    users: dict[str, User]


def _user(email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            email_verified=True,
        )
    return user


def _enrol_second_factor(user: User) -> None:
    """Give a demo account that needs one a confirmed authenticator (`socle demo_code`)."""
    if not second_factor_required(user) or second_factor_device(user) is not None:
        return
    secret = totp_device_start(user=user)
    # Confirm with the previous time step's code, so the current code still works at login.
    totp_device_confirm(user=user, code=totp.code_at(secret, at=time.time() - totp.INTERVAL))


@transaction.atomic
def setup_members(
    *, log: Callable[[str], None] = lambda _: None, second_factors: bool = False
) -> DemoReport:
    """Create the demo members, services and accounts where they are missing.

    With second_factors, the accounts that need one get an authenticator (`socle demo_code`).
    """
    members: dict[str, Membre] = {}
    for slug, kind, code, couleur, modules, services in MEMBERS:
        membre = Membre.objects.filter(slug=slug).first()
        if membre is None:
            collectivite = Collectivite.objects.get(kind=kind, code=code)
            membre = membre_onboard(
                acting_user=None,
                collectivite=collectivite,
                slug=slug,
                admin_email=None,
                couleur=couleur,
                # Only the modules this platform has installed: nothing promised that is not there.
                modules=[code for code in modules if code in module_codes()],
            )
            log(f"membre créé : {collectivite.nom} (/{slug}/)")
        members[slug] = membre
        for nom, codes, secteur_nom, secteur in services:
            if not Service.objects.filter(membre=membre, nom=nom).exists():
                service_create(
                    acting_user=None,
                    membre=membre,
                    nom=nom,
                    competences=list(Competence.objects.filter(code__in=codes)),
                    # A way in for « Qui contacter ? »: a service without one is never shown.
                    email=f"{slugify(nom)[:40]}@{slug}.socle.localhost",
                    secteur_nom=secteur_nom,
                    secteur_geojson=secteur,
                )
    users: dict[str, User] = {}
    for email, first_name, last_name, role_kind, membre_slug, service_name in ACCOUNTS:
        user = _user(email, first_name, last_name)
        users[email] = user
        if role_kind is None:
            continue
        role_membre = members[membre_slug] if membre_slug else None
        service = (
            Service.objects.get(membre=role_membre, nom=service_name) if service_name else None
        )
        role_grant(acting_user=None, user=user, kind=role_kind, membre=role_membre, service=service)
        if second_factors:
            _enrol_second_factor(user)
    return DemoReport(members=members, users=users)


def territory_loaded() -> bool:
    """Tell whether the Gironde is already imported."""
    return (
        Collectivite.objects.filter(
            kind=Collectivite.Kind.COMMUNE, departement__code="33", active=True
        ).count()
        >= 500
    )
