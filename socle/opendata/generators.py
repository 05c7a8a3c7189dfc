"""The datasets the platform produces itself for each member with the open data module: its
mairies (`scdl/equipements`), its public reports (`socle/signalements`, anonymised), its elected
officials and its dataset catalogue (`scdl/catalogue`).

Each generator turns a member into a table (header and rows of text); `services.opendata_generate`
publishes it as a new version of the member's generated dataset when it changed. Everything here
only reads; nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.opendata.models import Jeu
from socle.territoires.models import Collectivite

MODULE = "opendata"

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Generateur:
    """What a generated dataset is, and how to produce its rows for a member."""

    code: str
    slug: str
    schema: str
    frequence: str
    geographique: bool
    mots_cles: tuple[str, ...]
    titre: Callable[[Collectivite], str]
    description: Callable[[Collectivite], str]
    colonnes: Callable[[], list[str]]
    lignes: Callable[[Membre], Rows]
    # Produced only when the member's SIRET is known (the national schema requires it).
    siret_requis: bool = False


# --- Helpers ---------------------------------------------------------------------------------


def table_csv(colonnes: list[str], lignes: Rows) -> bytes:
    """Return a table as UTF-8 CSV (comma, header first, CRLF line ends), deterministic."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(colonnes)
    for ligne in lignes:
        writer.writerow([ligne.get(name, "") for name in colonnes])
    return out.getvalue().encode("utf-8")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _luhn_complete(prefix: str) -> str:
    """Append the digit that makes `prefix + digit` pass the Luhn check."""
    for digit in "0123456789":
        if _luhn_ok(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")  # pragma: no cover - one digit always fits


def siren_collectivite(collectivite: Collectivite) -> str:
    """Return the collectivité's SIREN when our data gives it, else "".

    An EPCI's code is its SIREN. A commune's SIREN follows INSEE's numbering of communes
    (21, the département, 0, the commune's three digits, a Luhn key) in metropolitan France
    outside Corsica; communes created by a merger got another number (set it in settings).
    """
    code = collectivite.code
    if collectivite.kind == Collectivite.Kind.EPCI:
        return code if re.fullmatch(r"\d{9}", code) and _luhn_ok(code) else ""
    if collectivite.kind == Collectivite.Kind.COMMUNE and re.fullmatch(r"\d{5}", code):
        if code.startswith("97"):
            return ""
        return _luhn_complete(f"21{code[:2]}0{code[2:]}")
    return ""


def siret_collectivite(collectivite: Collectivite) -> str:
    """Return the SIRET the national schemas ask for (COLL_SIRET, PRODUCTEUR_SIRET), or "".

    `settings.OPENDATA_SIRET` (collectivité code → SIRET) wins. Otherwise the SIRET of the
    collectivité's first establishment: its SIREN, order number 0001 and the Luhn key (how the
    SIRENE register numbers the seat of a commune or an EPCI that never moved it).
    """
    declared = getattr(settings, "OPENDATA_SIRET", {}).get(collectivite.code, "")
    if declared:
        return declared if re.fullmatch(r"\d{14}", declared) else ""
    siren = siren_collectivite(collectivite)
    return _luhn_complete(f"{siren}0001") if siren else ""


def de(nom: str) -> str:
    """Return « de Pessac », « du Haillan », « d'Eysines », « de la Teste-de-Buch »…"""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la ")):
        if nom.startswith(article):
            return contracted + nom[len(article) :]
    if nom.startswith(("L'", "L’")):
        return "de l'" + nom[2:]
    first = unicodedata.normalize("NFKD", nom[:1]).encode("ascii", "ignore").decode().lower()
    if first in "aeiouyh" and first:
        return "d'" + nom
    return "de " + nom


def _date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


# --- Équipements (scdl/equipements): the mairies ------------------------------------------------

# The nomenclature of public facilities (CRIGE PACA, used by the schema): Mairie.
MAIRIE_CODE = "01010401"
DAYS = {
    "lundi": "Mo",
    "mardi": "Tu",
    "mercredi": "We",
    "jeudi": "Th",
    "vendredi": "Fr",
    "samedi": "Sa",
    "dimanche": "Su",
}
# What the schema's patterns accept in a street and a commune name.
_VOIE_OK = re.compile(r"[^a-zA-Z0-9\-'\s\u00C0-\u00FF]")
_COMMUNE_OK = re.compile(r"[^A-Za-z\s\-\u00C0-\u00FF]")


def _clean(text: str, pattern: re.Pattern[str]) -> str:
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "Oe")
    return " ".join(pattern.sub(" ", text).split())


def opening_hours(horaires: list) -> str:
    """Turn the Annuaire's hours ([[first day, last day, [[opens, closes], …]], …]) into
    OpenStreetMap's opening_hours syntax (« Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00 »)."""
    parts = []
    for entry in horaires or []:
        try:
            first, last, slots = entry
            days = DAYS[str(first).lower()]
            if str(last).lower() != str(first).lower():
                days += "-" + DAYS[str(last).lower()]
            times = ",".join(f"{str(opens)[:5]}-{str(closes)[:5]}" for opens, closes in slots)
        except (KeyError, TypeError, ValueError):
            return ""
        if times:
            parts.append(f"{days} {times}")
    return "; ".join(parts)


def telephone_international(numero: str) -> str:
    """Return a French number as « +33 556102030 » (what the schema's example shows), or ""."""
    digits = re.sub(r"\D", "", numero or "")
    if digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("0"):
        return f"+33 {digits[1:]}"
    return ""


def adresse_parts(adresse: str) -> tuple[str, str, str]:
    """Split the Annuaire's mairie address into (number, street, postcode)."""
    lines = [line.strip() for line in (adresse or "").splitlines() if line.strip()]
    postcode = ""
    street_lines = lines
    for index in range(len(lines) - 1, -1, -1):
        match = re.match(r"^(\d{5})\b", lines[index])
        if match:
            postcode = match.group(1)
            street_lines = lines[:index]
            break
    street = street_lines[-1] if street_lines else ""
    match = re.match(r"^(\d+(?:\s*(?:bis|ter|qua|qui)\b)?(?:/\d+)?)[\s,]+(.*)$", street, re.I)
    if match:
        return match.group(1).lower(), match.group(2), postcode
    # A street without a number: the schema's value for « no number ».
    return "99999", street, postcode


def _mairies(membre: Membre) -> list[Collectivite]:
    from socle.territoires.selectors import epci_communes

    collectivite = membre.collectivite
    if collectivite.kind == Collectivite.Kind.EPCI:
        return list(epci_communes(collectivite).order_by("code"))
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        return [collectivite]
    return []


EQUIPEMENTS_COLONNES = [
    "COLL_NOM",
    "COLL_SIRET",
    "EQUIP_UID",
    "EQUIP_THEME",
    "EQUIP_CODE",
    "EQUIP_TYPE",
    "EQUIP_NOM",
    "ADR_NUMERO",
    "ADR_NOMVOIE",
    "ADR_CODEPOSTAL",
    "ADR_COMMUNE",
    "ADR_CLE_INTEROP",
    "ERP_ID",
    "ERP_TYPE",
    "ERP_CATEGORIE",
    "EQUIP_LAT",
    "EQUIP_LONG",
    "EQUIP_OUVERTURE",
    "EQUIP_TEL",
    "EQUIP_EMAIL",
    "EQUIP_WEB",
]


def equipements_lignes(membre: Membre) -> Rows:
    """One row per mairie (the member's, or each of its communes' for an EPCI) whose address
    and position are known."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_email

    coll = membre.collectivite
    siret = siret_collectivite(coll)
    rows: Rows = []
    for commune in _mairies(membre):
        if commune.latitude is None or commune.longitude is None:
            continue
        numero, voie, postcode = adresse_parts(commune.adresse)
        voie = _clean(voie, _VOIE_OK)
        if len(voie) < 3 or not postcode:
            continue
        email = commune.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        web = commune.site_web.strip()
        try:
            URLValidator(schemes=["http", "https"])(web)
        except ValidationError:
            web = ""
        rows.append(
            {
                "COLL_NOM": coll.nom[:140],
                "COLL_SIRET": siret,
                "EQUIP_UID": f"{commune.code}-{MAIRIE_CODE}-001",
                "EQUIP_THEME": "Equipement administratif",
                "EQUIP_CODE": f"{MAIRIE_CODE}-001",
                "EQUIP_TYPE": "Mairie",
                "EQUIP_NOM": f"Mairie {de(commune.nom)}"[:256],
                "ADR_NUMERO": numero,
                "ADR_NOMVOIE": voie,
                "ADR_CODEPOSTAL": postcode,
                "ADR_COMMUNE": _clean(commune.nom, _COMMUNE_OK),
                "EQUIP_LAT": f"{commune.latitude:.6f}",
                "EQUIP_LONG": f"{commune.longitude:.6f}",
                "EQUIP_OUVERTURE": opening_hours(commune.horaires),
                "EQUIP_TEL": telephone_international(commune.telephone),
                "EQUIP_EMAIL": email,
                "EQUIP_WEB": web,
            }
        )
    return rows


# --- Signalements (socle/signalements), anonymised ----------------------------------------------

SIGNALEMENTS_COLONNES = [
    "id",
    "type",
    "soustype",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "intervenant",
    "date_declaration",
    "annee_declaration",
    "mois_declaration",
    "statut",
    "date_cloture",
    "latitude",
    "longitude",
]


def _code_postal(adresse: str) -> str:
    found = re.findall(r"(?<!\d)(\d{5})(?!\d)", adresse or "")
    return found[-1] if found else ""


def signalements_lignes(membre: Membre) -> Rows:
    """The member's public reports: category, place, dates and status only.

    Never the description (it may hold personal data no agent edited out), the answers to the
    category's questions, the photos, or anything about the reporter or the agents."""
    from socle.signalements.selectors import signalements_public

    reports = (
        signalements_public()
        .filter(membre=membre)
        .select_related("categorie__competence")
        .order_by("cree_le", "reference")
        .only(
            "reference",
            "categorie__competence__nom",
            "categorie_nom",
            "adresse",
            "commune_code",
            "commune_nom",
            "titulaire_nom",
            "cree_le",
            "statut",
            "clos_le",
            "lat",
            "lon",
        )
    )
    rows: Rows = []
    for report in reports:
        filed = timezone.localtime(report.cree_le)
        rows.append(
            {
                "id": report.reference,
                "type": report.categorie.competence.nom,
                "soustype": report.categorie_nom,
                "adresse": " ".join(report.adresse.split()),
                "code_postal": _code_postal(report.adresse),
                "commune": report.commune_nom,
                "code_insee": report.commune_code,
                "intervenant": report.titulaire_nom,
                "date_declaration": filed.date().isoformat(),
                "annee_declaration": str(filed.year),
                "mois_declaration": str(filed.month),
                "statut": report.statut,
                "date_cloture": _date(report.clos_le),
                "latitude": f"{report.lat:.6f}",
                "longitude": f"{report.lon:.6f}",
            }
        )
    return rows


# --- Élus: the Répertoire national des élus ------------------------------------------------------

ELUS_COLONNES = [
    "nom",
    "prenom",
    "fonction",
    "date_debut_mandat",
    "date_debut_fonction",
    "commune",
    "code_insee",
]


def elus_lignes(membre: Membre) -> Rows:
    """The maire and adjoints of the member (of each of its communes for an EPCI), as the
    Répertoire national des élus publishes them (no birth date: we do not keep it)."""
    from socle.territoires.selectors import commune_elus

    rows: Rows = []
    for commune in _mairies(membre):
        for elu in commune_elus(commune=commune):
            rows.append(
                {
                    "nom": elu.nom,
                    "prenom": elu.prenom,
                    "fonction": elu.fonction,
                    "date_debut_mandat": elu.date_debut_mandat.isoformat()
                    if elu.date_debut_mandat
                    else "",
                    "date_debut_fonction": elu.date_debut_fonction.isoformat()
                    if elu.date_debut_fonction
                    else "",
                    "commune": commune.nom,
                    "code_insee": commune.code,
                }
            )
    return rows


# --- Catalogue (scdl/catalogue) ------------------------------------------------------------------

CATALOGUE_COLONNES = [
    "COLL_NOM",
    "COLL_SIRET",
    "ID",
    "TITRE",
    "DESCRIPTION",
    "THEME",
    "PRODUCTEUR_NOM",
    "PRODUCTEUR_SIRET",
    "COUV_SPAT_MAILLE",
    "COUV_SPAT_NOM",
    "COUV_TEMP_DEBUT",
    "COUV_TEMP_FIN",
    "DATE_PUBL",
    "FREQ_MAJ",
    "DATE_MAJ",
    "MOTS_CLES",
    "LICENCE",
    "NOMBRE_RESSOURCES",
    "FORMAT_RESSOURCES",
    "URL",
]
FREQ_MAJ: dict[str, str] = {
    Jeu.Frequence.CONTINUE: "Continuelle",
    Jeu.Frequence.QUOTIDIENNE: "Quotidienne ou plusieurs fois par jour",
    Jeu.Frequence.HEBDOMADAIRE: "Hebdomadaire ou plusieurs fois par semaine",
    Jeu.Frequence.MENSUELLE: "Mensuelle ou plusieurs fois par mois",
    Jeu.Frequence.ANNUELLE: "Annuelle",
    Jeu.Frequence.PONCTUELLE: "Ponctuelle",
    Jeu.Frequence.INCONNUE: "Inconnue",
}
LICENCES: dict[str, str] = {
    Jeu.Licence.LO: "Licence Ouverte-LO",
    Jeu.Licence.ODBL: "Open Database License-ODBL",
}
MAILLES: dict[str, str] = {
    Collectivite.Kind.COMMUNE: "Communale",
    Collectivite.Kind.EPCI: "Intercommunale",
    Collectivite.Kind.DEPARTEMENT: "Départementale",
    Collectivite.Kind.REGION: "Régionale",
}
# Theme of a dataset by its schema (free text in the schema; these are the usual ones).
THEMES = {
    "scdl/deliberations": "Administration locale",
    "scdl/budget": "Finances publiques",
    "scdl/subventions": "Finances publiques",
    "scdl/marches-publics": "Finances publiques",
    "scdl/equipements": "Équipements publics",
    "scdl/prenoms": "Population",
    "scdl/catalogue": "Administration locale",
    "socle/signalements": "Espace public",
    "etalab/schema-irve-statique": "Mobilité",
    "etalab/schema-irve-dynamique": "Mobilité",
    "lieux-mediation-numerique": "Inclusion numérique",
}
THEMES_GENERATEURS = {"elus": "Administration locale"}


def _mot_cle(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))


def jeu_url(jeu: Jeu) -> str:
    """Return the dataset's public page (/<member>/donnees/<slug>/, the structure's under
    /donnees/structure/<slug>/)."""
    if jeu.membre is None:
        return f"{settings.SITE_URL}/donnees/structure/{jeu.slug}/"
    return f"{settings.SITE_URL}/{jeu.membre.slug}/donnees/{jeu.slug}/"


def catalogue_lignes(membre: Membre) -> Rows:
    """One row per published dataset of the member, but this catalogue itself (whose date
    would change with every publication of it)."""
    coll = membre.collectivite
    siret = siret_collectivite(coll)
    jeux = (
        Jeu.objects.filter(membre=membre, modifie_le__isnull=False)
        .exclude(source=Jeu.Source.GENERE, generateur="catalogue")
        .order_by("slug")
    )
    rows: Rows = []
    for jeu in jeux:
        versions = list(jeu.versions.order_by("numero").values_list("publie_le", flat=True))
        if not versions:
            continue
        first, last = _date(versions[0]), _date(versions[-1])
        formats = ["csv", "json"] + (["geojson"] if jeu.geographique else [])
        mots = [_mot_cle(str(m)) for m in (jeu.mots_cles or [])]
        mots = [m for m in mots if m] or [_mot_cle(jeu.schema.rpartition("/")[2] or jeu.slug)]
        rows.append(
            {
                "COLL_NOM": coll.nom[:140],
                "COLL_SIRET": siret,
                "ID": jeu.slug,
                "TITRE": jeu.titre,
                "DESCRIPTION": " ".join(jeu.description.split()) or jeu.titre,
                "THEME": THEMES_GENERATEURS.get(jeu.generateur)
                or THEMES.get(jeu.schema, "Administration locale"),
                "PRODUCTEUR_NOM": coll.nom[:140],
                "PRODUCTEUR_SIRET": siret,
                "COUV_SPAT_MAILLE": MAILLES.get(coll.kind, "Autre"),
                "COUV_SPAT_NOM": coll.nom[:140],
                "COUV_TEMP_DEBUT": first,
                "COUV_TEMP_FIN": last,
                "DATE_PUBL": first,
                "FREQ_MAJ": FREQ_MAJ.get(jeu.frequence, "Inconnue"),
                "DATE_MAJ": last,
                "MOTS_CLES": ";".join(dict.fromkeys(mots)),
                "LICENCE": LICENCES.get(jeu.licence, "Spécifique ou autre"),
                "NOMBRE_RESSOURCES": str(len(formats)),
                "FORMAT_RESSOURCES": ";".join(formats),
                "URL": jeu_url(jeu),
            }
        )
    return rows


# --- The registry, in the order they run (the catalogue last: it lists the others) -------------


GENERATEURS: tuple[Generateur, ...] = (
    Generateur(
        code="equipements",
        slug="equipements",
        schema="scdl/equipements",
        frequence=Jeu.Frequence.MENSUELLE,
        geographique=True,
        mots_cles=("equipements", "mairie", "scdl"),
        titre=lambda coll: _("Équipements publics — %(nom)s") % {"nom": coll.nom},
        description=lambda coll: (
            (
                _(
                    "Les mairies des communes de %(nom)s : adresse, position, horaires, téléphone, "
                    "courriel et site, d’après l’Annuaire de l’administration. Schéma national "
                    "« Équipements collectifs publics » (SCDL)."
                )
                if coll.kind == Collectivite.Kind.EPCI
                else _(
                    "La mairie de %(nom)s : adresse, position, horaires, téléphone, courriel et "
                    "site, d’après l’Annuaire de l’administration. Schéma national « Équipements "
                    "collectifs publics » (SCDL)."
                )
            )
            % {"nom": coll.nom}
        ),
        colonnes=lambda: list(EQUIPEMENTS_COLONNES),
        lignes=equipements_lignes,
        siret_requis=True,
    ),
    Generateur(
        code="signalements",
        slug="signalements",
        schema="socle/signalements",
        frequence=Jeu.Frequence.QUOTIDIENNE,
        geographique=True,
        mots_cles=("signalements", "espace-public", "voirie", "proprete"),
        titre=lambda coll: _("Signalements dans l’espace public — %(nom)s") % {"nom": coll.nom},
        description=lambda coll: (
            _(
                "Les signalements publics faits par les habitants à %(nom)s (voirie, propreté, "
                "éclairage…) : catégorie, lieu, dates et statut de traitement. Anonymisés : ni la "
                "description, ni les photos, ni rien sur la personne qui a signalé. Champs repris "
                "du jeu « Dans ma rue » de la Ville de Paris."
            )
            % {"nom": coll.nom}
        ),
        colonnes=lambda: list(SIGNALEMENTS_COLONNES),
        lignes=signalements_lignes,
    ),
    Generateur(
        code="elus",
        slug="elus",
        schema="",
        frequence=Jeu.Frequence.MENSUELLE,
        geographique=False,
        mots_cles=("elus", "conseil-municipal", "rne"),
        titre=lambda coll: _("Élus municipaux — %(nom)s") % {"nom": coll.nom},
        description=lambda coll: (
            (
                _(
                    "Maires et adjoints des communes de %(nom)s, d’après le Répertoire national "
                    "des élus (ministère de l’Intérieur) : nom, prénom, fonction, dates de début "
                    "du mandat et de la fonction."
                )
                if coll.kind == Collectivite.Kind.EPCI
                else _(
                    "Maire et adjoints de %(nom)s, d’après le Répertoire national des élus "
                    "(ministère de l’Intérieur) : nom, prénom, fonction, dates de début du mandat "
                    "et de la fonction."
                )
            )
            % {"nom": coll.nom}
        ),
        colonnes=lambda: list(ELUS_COLONNES),
        lignes=elus_lignes,
    ),
    Generateur(
        code="catalogue",
        slug="catalogue",
        schema="scdl/catalogue",
        frequence=Jeu.Frequence.QUOTIDIENNE,
        geographique=False,
        mots_cles=("catalogue", "donnees-ouvertes", "scdl"),
        titre=lambda coll: _("Catalogue des données ouvertes — %(nom)s") % {"nom": coll.nom},
        description=lambda coll: (
            _(
                "Les jeux de données publiés par %(nom)s sur la plateforme, un par ligne. Schéma "
                "national « Catalogue simplifié » (SCDL)."
            )
            % {"nom": coll.nom}
        ),
        colonnes=lambda: list(CATALOGUE_COLONNES),
        lignes=catalogue_lignes,
        siret_requis=True,
    ),
)


def generateur(code: str) -> Generateur | None:
    """Return a generator by its code."""
    return next((g for g in GENERATEURS if g.code == code), None)


# --- The structure's own generated datasets ------------------------------------------------------
# Datasets of the structure (membre None) rather than of a member: the observatory's published
# projects. Produced by `services.opendata_generate_structure()`, which the daily generation calls
# after the members' datasets.


@dataclass(frozen=True)
class GenerateurStructure:
    """A dataset the platform produces for the structure itself."""

    code: str
    slug: str
    frequence: str
    geographique: bool
    mots_cles: tuple[str, ...]
    titre: Callable[[], str]
    description: Callable[[], str]
    colonnes: Callable[[], list[str]]
    lignes: Callable[[], Rows]


def observatoire_lignes() -> Rows:
    """The observatory's published projects, one flat row each (socle.observatoire.exports):
    never a draft, never a contact person nor anyone who wrote or reviewed a page."""
    from socle.observatoire.exports import projet_ligne
    from socle.observatoire.selectors_public import projets_exportables

    return [projet_ligne(projet) for projet in projets_exportables().iterator(chunk_size=500)]


def _observatoire_colonnes() -> list[str]:
    from socle.observatoire.exports import COLONNES as OBSERVATOIRE_COLONNES

    return list(OBSERVATOIRE_COLONNES)


GENERATEURS_STRUCTURE: tuple[GenerateurStructure, ...] = (
    GenerateurStructure(
        code="observatoire",
        slug="projets-observatoire",
        frequence=Jeu.Frequence.QUOTIDIENNE,
        geographique=True,
        mots_cles=("observatoire", "projets-numeriques", "collectivites", "capitalisation"),
        titre=lambda: _("Projets de l’observatoire"),
        description=lambda: _(
            "Les projets numériques des collectivités publiés dans l’observatoire, après relecture "
            "par la structure : thèmes, statut et dates, budget et financements, logiciels, "
            "savoir-faire, résultats et enseignements, réutilisation, porteur, collectivités "
            "concernées et partenaires, position du porteur. Sans aucune donnée personnelle : "
            "les personnes à contacter ne figurent que sur les pages de l’observatoire, avec leur "
            "accord."
        ),
        colonnes=_observatoire_colonnes,
        lignes=observatoire_lignes,
    ),
)
