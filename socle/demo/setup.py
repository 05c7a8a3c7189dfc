"""The demo: Gironde loaded, three members with services and agents, and demo accounts; the
observatory's starting content and two demo roadmaps.

Idempotent: running it again changes nothing that is already there.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
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
        ["signalements", "opendata", "demarches"],
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
        ["signalements", "opendata", "demarches", "dossier", "mediation"],
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
    (
        "scolaire@pessac.socle.localhost",
        "Sophie",
        "Scolaire",
        Role.Kind.AGENT,
        "pessac",
        "Éducation",
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


# Reports of the demo citizen: commune (for reading), category, point, description, days ago,
# then what the agent (by email) does: status, public reply.
DEMO_CITIZEN = "citoyen@example.fr"
SIGNALEMENTS: list[tuple[str, str, tuple[float, float], str, int, str | None, str, str]] = [
    (
        "Pessac",
        "nid-de-poule",
        (44.8065, -0.6310),
        "Un nid-de-poule profond devant la mairie, sur la voie de droite.",
        12,
        "admin@bordeaux-metropole.socle.localhost",
        "resolu",
        "La chaussée a été reprise ce matin. Merci pour votre signalement.",
    ),
    (
        "Pessac",
        "eclairage",
        (44.8032, -0.6321),
        "Trois lampadaires éteints le long de l’avenue, depuis une semaine.",
        6,
        "admin@pessac.socle.localhost",
        "pris_en_compte",
        "Notre électricien passera dans les prochains jours.",
    ),
    (
        "Pessac",
        "depot-sauvage",
        (44.7990, -0.6420),
        "Des gravats et un vieux matelas abandonnés au bord du bois.",
        4,
        "agent@pessac.socle.localhost",
        "en_cours",
        "L’équipe de propreté est sur place aujourd’hui.",
    ),
    ("Pessac", "tag", (44.8100, -0.6250), "Un grand tag sur l’abri de bus.", 1, None, "", ""),
    (
        "Bordeaux",
        "nid-de-poule",
        (44.8410, -0.5800),
        "Chaussée effondrée au carrefour, dangereux pour les vélos.",
        9,
        "agent@bordeaux-metropole.socle.localhost",
        "programme",
        "Une reprise de la chaussée est programmée la semaine prochaine.",
    ),
    (
        "Bordeaux",
        "depot-sauvage",
        (44.8378, -0.5792),
        "Cartons et sacs déposés au pied des conteneurs.",
        15,
        "agent@bordeaux.socle.localhost",
        "resolu",
        "Les déchets ont été enlevés.",
    ),
    (
        "Bordeaux",
        "eclairage",
        (44.8480, -0.5720),
        "Lampadaire qui clignote toute la nuit.",
        2,
        None,
        "",
        "",
    ),
    (
        "Bordeaux",
        "tag",
        (44.8590, -0.5670),
        "Inscriptions sur le mur d’une résidence.",
        20,
        "agent@bordeaux.socle.localhost",
        "rejete",
        "Ce mur appartient à la résidence : son syndic doit le faire nettoyer.",
    ),
    (
        "Mérignac",
        "nid-de-poule",
        (44.8386, -0.6436),
        "Trous en série sur la piste cyclable.",
        3,
        "agent@bordeaux-metropole.socle.localhost",
        "pris_en_compte",
        "",
    ),
    ("Talence", "trottoir", (44.8080, -0.5880), "Bordure de trottoir descellée.", 0, None, "", ""),
    (
        "Bordeaux",
        "fuite-eau",
        (44.8440, -0.5760),
        "De l’eau sort de la chaussée près d’une bouche d’égout.",
        1,
        "admin@bordeaux-metropole.socle.localhost",
        "en_cours",
        "Une équipe de la Direction de l’eau intervient.",
    ),
    (
        "Saint-Émilion",
        "eclairage",
        (44.8943, -0.1556),
        "Lampadaire éteint place du marché.",
        5,
        None,
        "",
        "",
    ),
]


def setup_signalements(
    users: dict[str, User], *, log: Callable[[str], None] = lambda _: None
) -> int:
    """File the demo citizen's reports through the services and have the demo agents answer
    them, where they are missing; return how many were created."""
    from socle.signalements.models import Signalement
    from socle.signalements.services import (
        signalement_create,
        signalement_reply,
        signalement_status_set,
    )

    citizen = users[DEMO_CITIZEN]
    created = 0
    for _commune, code, (lat, lon), description, days, agent, statut, reply in SIGNALEMENTS:
        if Signalement.objects.filter(auteur=citizen, description=description).exists():
            continue
        with transaction.atomic():
            report = signalement_create(
                categorie_code=code, description=description, lat=lat, lon=lon, auteur=citizen
            )
            # Filed some days ago (the queue and the dashboard show an age).
            filed = report.cree_le - timedelta(days=days, hours=2)
            Signalement.objects.filter(pk=report.pk).update(
                cree_le=filed, confirme_le=filed, publie_le=filed
            )
            report.evenements.filter(kind__in=["cree", "confirme"]).update(cree_le=filed)
            acting_user = users.get(agent) if agent else None
            if acting_user is not None and reply and statut != "rejete":
                signalement_reply(acting_user=acting_user, signalement=report, texte=reply)
            if acting_user is not None and statut:
                # A rejection's reason is its public answer.
                signalement_status_set(
                    acting_user=acting_user,
                    signalement=report,
                    statut=statut,
                    texte=reply if statut == "rejete" else "",
                )
        created += 1
    if created:
        log(f"signalements de démonstration créés : {created}")
    return created


def _module_on(membre, code: str):
    """Switch a module on for a member (the demo's own set-up); return the member."""
    from socle.membres.services import membre_update

    if code in membre.modules:
        return membre
    return membre_update(
        acting_user=None,
        membre=membre,
        couleur=membre.couleur,
        modules=[*membre.modules, code],
        hostname=membre.hostname,
    )


def setup_opendata(*, log: Callable[[str], None] = lambda _: None) -> int:
    """Generate the open data of the demo members that have the module (Bordeaux Métropole):
    its mairies, reports, élus and catalogue, as `socle opendata_generer` does every day.

    A demo database made before the module existed gets it switched on for the members the
    demo lists it for, once (while they have no dataset): the members' later choice stands.
    Return how many versions were published (none when nothing changed)."""
    if "opendata" not in module_codes():
        return 0
    from socle.demo.fake_datagouv import DEMO_KEY, DEMO_ORGANISATION
    from socle.opendata.datagouv import datagouv_account_set
    from socle.opendata.models import CompteDataGouv, Jeu
    from socle.opendata.services import opendata_generate, opendata_generate_structure

    published = 0
    for slug, _kind, _code, _couleur, modules, _services in MEMBERS:
        if "opendata" not in modules:
            continue
        membre = Membre.objects.select_related("collectivite").filter(slug=slug).first()
        if membre is None:
            continue
        if not Jeu.objects.filter(membre=membre).exists():
            membre = _module_on(membre, "opendata")
        if not CompteDataGouv.objects.filter(membre=membre).exists():
            # The local fake of data.gouv.fr (`socle fake_datagouv`, started by make run)
            # accepts this organisation and key: publications reach it.
            datagouv_account_set(
                acting_user=None,
                membre=membre,
                organisation=DEMO_ORGANISATION,
                cle=DEMO_KEY,
            )
        versions = opendata_generate(membre=membre)
        if versions:
            log(
                f"données ouvertes de {membre.collectivite.nom} : "
                + ", ".join(f"{v.jeu.slug} v{v.numero}" for v in versions)
            )
        published += len(versions)
    # The structure's own datasets: the observatory's published projects.
    structure = opendata_generate_structure()
    if structure:
        log("données ouvertes de la structure : " + ", ".join(v.jeu.slug for v in structure))
    return published + len(structure)


# --- Observatory -------------------------------------------------------------------------------

# DEMO DATA, not facts of the seed documents (those are socle/observatoire/seed/*.json): the
# roadmaps of Pessac and Bordeaux, each planning its online procedures on the same software, so
# that the coherence view of the Gironde shows two members planning the same thing.
DEMO_LOGICIEL: dict[str, Any] = {
    "nom": "Publik",
    "editeur": "Entr’ouvert",
    "libre": True,
    "description": "Logiciel libre de relation aux usagers et de démarches en ligne.",
}
DEMO_FEUILLES: list[dict[str, Any]] = [
    {
        "membre": "pessac",
        "ambition": (
            "Des démarches simples et accessibles en ligne pour tous les Pessacais, et des outils "
            "partagés avec les communes voisines."
        ),
        "axe": {
            "titre": "Des démarches en ligne pour les habitants",
            "description": "Mettre en ligne les démarches les plus demandées.",
            "themes": ["services-usagers", "administration"],
        },
        "projet": {
            "slug": "demo-pessac-demarches-en-ligne",
            "titre": "Démarches en ligne des Pessacais",
            "resume": (
                "Mettre en ligne les démarches les plus demandées (état civil, inscriptions "
                "scolaires) sur un portail de démarches."
            ),
            "themes": ["services-usagers"],
            "statut": "en_projet",
        },
        "jalon": "Premières démarches en ligne",
        "adoptee_par": "Conseil municipal de démonstration",
    },
    {
        "membre": "bordeaux",
        "ambition": (
            "Une ville qui répond en ligne, à toute heure, et qui mutualise ses outils avec "
            "la métropole et les communes."
        ),
        "axe": {
            "titre": "Relation aux usagers",
            "description": "Un portail unique pour les démarches et les demandes des habitants.",
            "themes": ["services-usagers"],
        },
        "projet": {
            "slug": "demo-bordeaux-portail-demarches",
            "titre": "Portail des démarches de la Ville de Bordeaux",
            "resume": (
                "Réunir les démarches de la ville (état civil, inscriptions, demandes) dans un "
                "portail unique."
            ),
            "themes": ["services-usagers", "administration"],
            "statut": "en_projet",
        },
        "jalon": "Ouverture du portail des démarches",
    },
]


def setup_observatoire(*, log: Callable[[str], None] = lambda _: None) -> int:
    """Load the observatory's starting content (the projects the seed documents describe,
    published) and the demo roadmaps of Pessac and Bordeaux, where they are missing; return how
    many seed projects were created."""
    from socle.observatoire.seed import seed_load

    created = seed_load(log=log)
    _setup_demo_feuilles(log=log)
    return created


def _setup_demo_feuilles(*, log: Callable[[str], None]) -> None:
    """Give Pessac and Bordeaux a roadmap with one axis and a draft project using Publik (demo
    data), unless the member has a roadmap already (it is theirs from then on)."""
    from socle.observatoire import feuilles
    from socle.observatoire.models import FeuilleDeRoute, Projet
    from socle.observatoire.services import logiciel_ensure, projet_create, projet_logiciels_set

    for spec in DEMO_FEUILLES:
        membre = Membre.objects.filter(slug=spec["membre"]).first()
        if membre is None or FeuilleDeRoute.objects.filter(membre=membre).exists():
            continue
        with transaction.atomic():
            publik = logiciel_ensure(acting_user=None, **DEMO_LOGICIEL)
            fields = dict(spec["projet"])
            projet = Projet.objects.filter(slug=fields["slug"]).first()
            if projet is None:
                # A draft of the member's staff (not published): what the roadmap plans.
                projet = projet_create(acting_user=None, membre=membre, **fields)
                projet_logiciels_set(acting_user=None, projet=projet, logiciels=[publik])
            feuilles.feuille_update(acting_user=None, membre=membre, ambition=spec["ambition"])
            axe = feuilles.axe_create(acting_user=None, membre=membre, **spec["axe"])
            feuilles.axe_projet_attach(acting_user=None, axe=axe, projet=projet)
            feuilles.jalon_create(
                acting_user=None,
                membre=membre,
                titre=spec["jalon"],
                date=date(timezone.localdate().year + 1, 6, 30),
            )
            # Pessac's roadmap is adopted (version 1), Bordeaux's is still a draft: the
            # coherence view shows both kinds.
            if spec.get("adoptee_par"):
                feuilles.feuille_adopt(
                    acting_user=None, membre=membre, instance=spec["adoptee_par"]
                )
        log(f"feuille de route de démonstration : {membre.collectivite.nom}")


# The templates each demo member adopts and publishes (the structure's seeds).
DEMARCHES_ADOPTED = [
    ("pessac", "inscription-restauration-scolaire"),
    ("pessac", "inscription-accueil-loisirs"),
    ("bordeaux", "acte-etat-civil"),
    ("bordeaux-metropole", "abonnement-eau-potable"),
    ("bordeaux-metropole", "resiliation-eau-potable"),
]
# Pessac's adaptation of the canteen template: its schools (named after its districts).
PESSAC_ECOLES = [
    ("alouette", "Groupe scolaire de l’Alouette"),
    ("saige", "École de Saige"),
    ("monteil", "École du Monteil"),
    ("magonty", "École de Magonty"),
    ("toctoucau", "École de Toctoucau"),
]
# The demo citizen's file: home in Pessac, two children, a proof of address.
CITIZEN_HOME = ("12 avenue Jean-Jaurès", "33600", "Pessac", "33318", 44.8067, -0.6311)
CITIZEN_CHILDREN = [("Léa", date(2017, 3, 14)), ("Hugo", date(2019, 9, 2))]


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    """Return a small PDF (a sample document of the citizen's file)."""
    from django.utils.html import escape

    from socle.demarches.documents import html_to_pdf

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return html_to_pdf(f"<h1>{escape(title)}</h1>{body}")


def setup_demarches(users: dict[str, User], *, log: Callable[[str], None] = lambda _: None) -> int:
    """Publish the structure's templates, have the demo members adopt and publish some (Pessac's
    canteen with its schools), and fill the demo citizen's file; return procedures published."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from socle.citoyen import services as citoyen
    from socle.citoyen.models import Piece
    from socle.citoyen.selectors import adresses_of, pieces_of, proches_of
    from socle.demarches import configuration
    from socle.demarches.defaults import modeles_defaults_ensure
    from socle.demarches.models import Demarche, Modele
    from socle.routage.adresse import Place

    modeles_defaults_ensure()
    published = 0
    for slug, code in DEMARCHES_ADOPTED:
        membre = Membre.objects.filter(slug=slug).first()
        modele = Modele.objects.filter(code=code, version__gt=0).first()
        if membre is None or modele is None:
            continue
        membre = _module_on(membre, "demarches")
        if Demarche.objects.filter(membre=membre, modele=modele).exists():
            continue
        demarche = configuration.modele_adopt(acting_user=None, membre=membre, modele=modele)
        if code == "inscription-restauration-scolaire":
            page, ecole = next(
                (number, champ)
                for number, chemin, champ in configuration.walk(demarche.formulaire)
                if chemin == "enfants.ecole"
            )
            configuration.formulaire_edit(
                acting_user=None,
                cible=demarche,
                operation="champ_update",
                page=page,
                chemin="enfants.ecole",
                champ={
                    **ecole,
                    "choix": [{"valeur": v, "libelle": label} for v, label in PESSAC_ECOLES],
                },
            )
        configuration.demarche_publish(acting_user=None, demarche=demarche)
        published += 1
        log(f"démarche publiée : {demarche.titre} ({membre.slug})")

    citizen = users.get(DEMO_CITIZEN)
    if citizen is not None:
        if not adresses_of(citizen).exists():
            voie, code_postal, commune, insee, lat, lon = CITIZEN_HOME
            citoyen.adresse_create(
                usager=citizen,
                libelle="Domicile",
                voie=voie,
                code_postal=code_postal,
                commune_nom=commune,
                principale=True,
                lieu=Place(
                    label=f"{voie} {code_postal} {commune}", lat=lat, lon=lon, citycode=insee
                ),
            )
        if not proches_of(citizen).exists():
            for prenom, naissance in CITIZEN_CHILDREN:
                citoyen.proche_create(
                    usager=citizen,
                    lien="enfant",
                    prenom=prenom,
                    nom=citizen.last_name,
                    date_naissance=naissance,
                )
        if not pieces_of(citizen, type=Piece.Type.JUSTIFICATIF_DOMICILE).exists():
            today = timezone.localdate()
            content = _demo_pdf(
                "Facture d’électricité (document de démonstration)",
                [
                    f"{citizen.get_full_name()}",
                    f"{CITIZEN_HOME[0]}, {CITIZEN_HOME[1]} {CITIZEN_HOME[2]}",
                    f"Émise le {today:%d/%m/%Y}",
                ],
            )
            citoyen.piece_add(
                usager=citizen,
                type=Piece.Type.JUSTIFICATIF_DOMICILE,
                libelle="Facture d’électricité",
                upload=SimpleUploadedFile("facture.pdf", content, "application/pdf"),
                date_document=today,
            )
    return published
