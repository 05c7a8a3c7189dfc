"""Writes of the observatory's pages: actors, software, contacts and their consent, projects and
their review before publication.

Evaluations live in `evaluation.py`, roadmaps in `feuilles.py`, maturity in `maturite.py`, the
search index in `recherche.py`; every one follows the same rules (docs/architecture.md).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from socle.core import fichiers as documents
from socle.core.outbox import outbox_enqueue_email
from socle.membres.models import Membre
from socle.membres.permissions import grants_for, permission_check
from socle.membres.selectors import audit_events_count, operateur_emails
from socle.membres.services import acting_person, audit_record
from socle.observatoire import recherche
from socle.observatoire.models import (
    Acteur,
    Contact,
    Document,
    Logiciel,
    LogicielUsage,
    Projet,
    ProjetActeur,
    ProjetContact,
    Revision,
)
from socle.observatoire.themes import THEMES
from socle.territoires.selectors import collectivite_extent

# Fields a contributor may change on a published project without a new review: facts of its
# progress, not what the page says.
FOLLOW_UP_FIELDS = frozenset({"statut", "avancement", "date_debut", "date_fin"})

# The longest description, results or lessons (about ten pages): Markdown's time grows faster
# than its input's length, and every public view renders it.
TEXT_MAX = 20_000

# Every field `projet_update` accepts, as (name, kind).
PROJECT_FIELDS: dict[str, str] = {
    "titre": "line",
    "resume": "line",
    "description": "text",
    "themes": "themes",
    "statut": "statut",
    "date_debut": "date",
    "date_fin": "date",
    "budget_investissement": "money",
    "budget_fonctionnement": "money",
    "financements": "financements",
    "savoir_faire": "tags",
    "resultats": "text",
    "enseignements": "text",
    "open_source": "bool",
    "specifications_partageables": "bool",
    "reutilisation": "text",
    "depot_code": "url",
    "site_web": "url",
    "avancement": "percent",
}

CONSENT_TEXT = gettext_lazy(
    "J’accepte que mon nom, ma fonction et les moyens de me joindre que j’ai donnés figurent "
    "sur les pages publiques de l’observatoire, pour que d’autres collectivités puissent me "
    "contacter à propos des projets cités. Je peux retirer cet accord à tout moment."
)
CONSENT_SALT = "socle.observatoire.contact"
# Consent requests one person may have mailed in a day (each is a mail to a stranger).
CONSENT_REQUESTS_PER_DAY = 20
# A consent link is valid for 30 days; the withdrawal link in each mail never expires.
CONSENT_MAX_AGE = 30 * 24 * 3600

RNA_RE = re.compile(r"^W\d{9}$")


def document_max_bytes() -> int:
    """The largest project document accepted, in bytes (OBSERVATOIRE_DOCUMENT_MAX_BYTES)."""
    return int(getattr(settings, "OBSERVATOIRE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))


# --- Actors ------------------------------------------------------------------------------------


def _unique_slug(model, base: str, *, max_length: int = 80, exclude_pk: int | None = None) -> str:
    """Return a slug from `base` that no other row of `model` holds."""
    root = (slugify(base) or "sans-titre")[: max_length - 6].strip("-") or "sans-titre"
    candidate, number = root, 1
    rows = model.objects.all()
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    while rows.filter(slug=candidate).exists():
        number += 1
        candidate = f"{root}-{number}"
    return candidate


def _collectivite_fields(collectivite) -> dict[str, Any]:
    """What an actor copies from a collectivité of the loaded territory."""
    kind = collectivite.kind
    departement = getattr(collectivite, "departement", None)
    region = getattr(collectivite, "region", None)
    if kind == "departement":
        departement = collectivite
    if kind == "region":
        region = collectivite
    # An EPCI, a département or a région has no mairie position nor population of its own in
    # the territory: its communes' give them.
    extent = collectivite_extent(collectivite)
    return {
        "nom": collectivite.nom,
        "type_collectivite": kind,
        "code_insee": collectivite.code,
        "population": extent["population"],
        "departement_code": departement.code if departement is not None else "",
        "region_code": region.code if region is not None else "",
        "latitude": extent["latitude"],
        "longitude": extent["longitude"],
        "site_web": collectivite.site_web or "",
        "email": collectivite.email or "",
    }


@transaction.atomic
def acteur_ensure_collectivite(*, collectivite) -> Acteur:
    """Return the actor of a collectivité of the territory, made (or refreshed) from it."""
    fields = _collectivite_fields(collectivite)
    membre = Membre.objects.filter(collectivite=collectivite).first()
    acteur = Acteur.objects.filter(collectivite=collectivite).first()
    if acteur is None:
        return Acteur.objects.create(
            kind=Acteur.Kind.COLLECTIVITE,
            collectivite=collectivite,
            membre=membre,
            slug=_unique_slug(Acteur, fields["nom"]),
            **fields,
        )
    changed = [name for name, value in fields.items() if getattr(acteur, name) != value]
    for name in changed:
        setattr(acteur, name, fields[name])
    if membre is not None and acteur.membre_id != membre.pk:
        acteur.membre = membre
        changed.append("membre")
    if changed:
        acteur.save(update_fields=changed)
    return acteur


def acteur_ensure_membre(*, membre: Membre) -> Acteur:
    """Return the actor of a member (its collectivité's)."""
    return acteur_ensure_collectivite(collectivite=membre.collectivite)


def _identifiers_clean(siren: str, siret: str, rna: str) -> tuple[str, str, str, dict]:
    errors: dict[str, str] = {}
    siren = re.sub(r"\s", "", siren or "")
    siret = re.sub(r"\s", "", siret or "")
    rna = (rna or "").strip().upper()
    if siren and not stdnum_siren.is_valid(siren):
        errors["siren"] = _("Ce numéro SIREN n’est pas valide (9 chiffres, clé de contrôle).")
    if siret:
        if not stdnum_siret.is_valid(siret):
            errors["siret"] = _("Ce numéro SIRET n’est pas valide (14 chiffres, clé de contrôle).")
        elif siren and not siret.startswith(siren):
            errors["siret"] = _("Ce SIRET ne commence pas par le SIREN donné.")
        elif not siren:
            siren = siret[:9]
    if rna and not RNA_RE.match(rna):
        errors["rna"] = _("Un numéro RNA s’écrit W suivi de 9 chiffres (W332001234).")
    return siren, siret, rna, errors


@transaction.atomic
def acteur_create(
    *,
    acting_user,
    kind: str,
    nom: str,
    description: str = "",
    siren: str = "",
    siret: str = "",
    rna: str = "",
    type_collectivite: str = "",
    code_insee: str = "",
    population: int | None = None,
    departement_code: str = "",
    region_code: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    site_web: str = "",
    email: str = "",
    slug: str = "",
) -> Acteur:
    """Record an actor that is not (or not yet) in the loaded territory."""
    permission_check(acting_user, "observatoire.relire")
    errors: dict[str, str] = {}
    nom = (nom or "").strip()
    if not nom:
        errors["nom"] = _("Indiquez le nom de l’acteur.")
    if kind not in Acteur.Kind.values:
        errors["kind"] = _("Choisissez le type d’acteur.")
    siren, siret, rna, id_errors = _identifiers_clean(siren, siret, rna)
    errors.update(id_errors)
    if population is not None and not 0 <= population <= 100_000_000:
        errors["population"] = _("Une collectivité compte de 0 à 100 millions d’habitants.")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("La latitude est comprise entre -90 et 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("La longitude est comprise entre -180 et 180.")
    if errors:
        raise ValidationError(errors)
    acteur = Acteur.objects.create(
        kind=kind,
        nom=nom,
        slug=slug or _unique_slug(Acteur, nom),
        description=description,
        siren=siren,
        siret=siret,
        rna=rna,
        type_collectivite=type_collectivite,
        code_insee=code_insee,
        population=population,
        departement_code=departement_code,
        region_code=region_code,
        latitude=latitude,
        longitude=longitude,
        site_web=site_web,
        email=email,
    )
    audit_record(
        acting_user=acting_user,
        membre=None,
        action="observatoire.configuration",
        target=acteur,
        details={"acteur": nom},
    )
    return acteur


# --- Software ----------------------------------------------------------------------------------


@transaction.atomic
def logiciel_ensure(
    *,
    acting_user,
    nom: str,
    description: str = "",
    editeur: str = "",
    site_web: str = "",
    libre: bool = False,
    licence: str = "",
    sill_id: str = "",
    comptoir_url: str = "",
) -> Logiciel:
    """Return the software of this name (letter case and accents aside), recorded if new.

    Any contributor may name the software a project uses; the registry stays one row per
    software because names are compared folded.
    """
    if acting_user is not None:
        held = grants_for(acting_user).membre_ids("observatoire.contribuer")
        if held is not None and not held:
            raise PermissionDenied
    nom = (nom or "").strip()
    if not nom:
        raise ValidationError({"nom": _("Indiquez le nom du logiciel ou du service.")})
    # A name without latin letters ("+++", 微信) gets its own address rather than a shared one.
    slug = slugify(nom)[:80] or "logiciel-" + hashlib.sha256(nom.encode()).hexdigest()[:12]
    existing = Logiciel.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return Logiciel.objects.create(
        nom=nom[:200],
        slug=slug,
        description=description,
        editeur=editeur,
        site_web=site_web,
        libre=libre,
        licence=licence,
        sill_id=sill_id,
        comptoir_url=comptoir_url,
    )


@transaction.atomic
def logiciel_usage_set(
    *,
    acting_user,
    logiciel: Logiciel,
    acteur: Acteur,
    referent: bool = False,
    contact: Contact | None = None,
    depuis: datetime.date | None = None,
) -> LogicielUsage:
    """Record that an actor uses a piece of software (and whether it is its referent)."""
    if acteur.membre_id is not None:
        permission_check(acting_user, "observatoire.contribuer", acteur.membre)
    else:
        permission_check(acting_user, "observatoire.relire")
    if contact is not None and contact.acteur_id != acteur.pk:
        raise ValidationError({"contact": _("Cette personne n’est pas un contact de cet acteur.")})
    usage, _created = LogicielUsage.objects.update_or_create(
        logiciel=logiciel,
        acteur=acteur,
        defaults={"referent": referent, "contact": contact, "depuis": depuis},
    )
    return usage


# --- Contact people and their consent ----------------------------------------------------------


def contact_token(contact: Contact, purpose: str) -> str:
    """Return the signed token of a contact's consent link ("accord" or "retrait")."""
    return signing.dumps({"c": contact.pk, "p": purpose}, salt=CONSENT_SALT)


def contact_for_token(token: str, purpose: str) -> Contact | None:
    """Return the contact a consent link is for, or None when it is not valid."""
    max_age = CONSENT_MAX_AGE if purpose == "accord" else None
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("c"), int):
        return None
    return Contact.objects.filter(pk=data["c"]).first()


def _consent_mail(contact: Contact) -> None:
    accord = settings.SITE_URL + reverse(
        "observatoire-site:contact_accord", kwargs={"token": contact_token(contact, "accord")}
    )
    retrait = settings.SITE_URL + reverse(
        "observatoire-site:contact_retrait", kwargs={"token": contact_token(contact, "retrait")}
    )
    body = _(
        "Bonjour {nom},\n\n"
        "{acteur} souhaite vous citer comme personne à contacter dans l’observatoire des "
        "projets numériques des collectivités.\n\n"
        "{texte}\n\n"
        "Pour donner votre accord : {accord}\n"
        "Sans réponse de votre part, votre nom n’apparaîtra nulle part.\n"
        "Pour retirer votre accord plus tard : {retrait}\n"
    ).format(
        nom=contact.nom,
        acteur=contact.acteur.nom,
        texte=CONSENT_TEXT,
        accord=accord,
        retrait=retrait,
    )
    outbox_enqueue_email(
        to=[contact.email],
        subject=_("Accepter d’apparaître comme contact dans l’observatoire"),
        body=body,
    )


def _contact_permission(acting_user, acteur: Acteur) -> None:
    if acteur.membre_id is not None:
        permission_check(acting_user, "observatoire.contribuer", acteur.membre)
    else:
        permission_check(acting_user, "observatoire.relire")


@transaction.atomic
def contact_create(
    *,
    acting_user,
    acteur: Acteur,
    nom: str,
    email: str,
    fonction: str = "",
    telephone: str = "",
    consent_now: bool = False,
) -> Contact:
    """Record a contact person; their consent is asked by mail, unless it is the acting person
    consenting for themselves (`consent_now`, their own address)."""
    _contact_permission(acting_user, acteur)
    errors = {}
    if not (nom or "").strip():
        errors["nom"] = _("Indiquez le nom de la personne.")
    if not (email or "").strip():
        errors["email"] = _("Indiquez l’adresse électronique de la personne.")
    if errors:
        raise ValidationError(errors)
    is_self = (
        acting_user is not None
        and getattr(acting_user, "is_authenticated", False)
        and acting_user.email.lower() == email.strip().lower()
    )
    existing = Contact.objects.filter(acteur=acteur, email__iexact=email.strip()).first()
    if existing is not None:
        if existing.consentement_retire_le is not None and not (is_self and consent_now):
            raise ValidationError(
                {"email": _("Cette personne a retiré son accord : elle ne sera plus sollicitée.")}
            )
        if existing.consentement_le is None and not (is_self and consent_now):
            return existing  # asked already: one request, not two
    if not consent_now:
        since = timezone.now() - datetime.timedelta(days=1)
        asked = Contact.objects.filter(
            cree_par=acting_user, consentement_demande_le__gte=since, consentement_le__isnull=True
        ).count()
        if acting_user is not None and asked >= CONSENT_REQUESTS_PER_DAY:
            raise ValidationError(
                {
                    "email": _(
                        "Vous avez envoyé beaucoup de demandes aujourd’hui : réessayez demain."
                    )
                }
            )
    if consent_now and not is_self:
        raise ValidationError(
            {"email": _("Seule la personne elle-même peut donner son accord sans courriel.")}
        )
    now = timezone.now()
    contact = Contact.objects.create(
        acteur=acteur,
        user=acting_user if is_self else None,
        nom=nom.strip(),
        fonction=fonction.strip(),
        email=email.strip(),
        telephone=telephone.strip(),
        cree_par=acting_person(acting_user),
        consentement_demande_le=now,
        consentement_le=now if consent_now else None,
        consentement_texte=str(CONSENT_TEXT) if consent_now else "",
    )
    if not consent_now:
        _consent_mail(contact)
    return contact


@transaction.atomic
def contact_consent_give(*, contact: Contact) -> Contact:
    """Record the person's consent (from their link), with the text they accepted."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.consentement_le = timezone.now()
    contact.consentement_texte = str(CONSENT_TEXT)
    contact.consentement_retire_le = None
    contact.save(update_fields=["consentement_le", "consentement_texte", "consentement_retire_le"])
    return contact


@transaction.atomic
def contact_consent_withdraw(*, contact: Contact, acting_user=None) -> Contact:
    """Withdraw the person's consent: they disappear from every public page at once.

    From their link (acting_user None), or by the person, a contributor of the actor or the
    structure.
    """
    if acting_user is not None and contact.user_id != acting_user.pk:
        _contact_permission(acting_user, contact.acteur)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.consentement_retire_le is None:
        contact.consentement_retire_le = timezone.now()
        contact.save(update_fields=["consentement_retire_le"])
    return contact


# --- Projects ----------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def projet_fields_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise project fields; raise ValidationError with every error at once."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in data.items():
        kind = PROJECT_FIELDS.get(name)
        if kind is None:
            raise ValueError(f"unknown project field {name!r}")
        try:
            clean[name] = _clean_one(name, kind, value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if "titre" in clean and not clean["titre"]:
        errors["titre"] = _("Indiquez le titre du projet.")
    if len(clean.get("titre", "")) > 200:
        errors["titre"] = _("Le titre tient en 200 caractères au plus.")
    if len(clean.get("resume", "")) > 500:
        errors["resume"] = _("Le résumé tient en 500 caractères au plus.")
    debut, fin = clean.get("date_debut"), clean.get("date_fin")
    if debut and fin and fin < debut and "date_fin" not in errors:
        errors["date_fin"] = _("La date de fin précède la date de début.")
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_one(name: str, kind: str, value: Any) -> Any:  # noqa: C901 - one branch per kind
    if kind == "line":
        # One line: a title goes into mail subjects, where a line break is refused.
        return " ".join(str(value or "").split())
    if kind == "text":
        if len(str(value or "")) > TEXT_MAX:
            raise ValidationError(
                _("Ce texte tient en %(max)s caractères au plus.")
                % {"max": f"{TEXT_MAX:,}".replace(",", "\u202f")}
            )
        # Browsers send \r\n: one form of line break, so an unchanged text is not a change.
        return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == "bool":
        return bool(value)
    if kind == "themes":
        themes = [str(code) for code in (value or [])]
        unknown = [code for code in themes if code not in THEMES]
        if unknown:
            raise ValidationError(_("Thème inconnu : %(code)s.") % {"code": unknown[0]})
        # In the baromètre's order: the same themes in another order are not a change.
        return [code for code in THEMES if code in themes]
    if kind == "statut":
        if value not in Projet.Statut.values:
            raise ValidationError(_("Choisissez un statut dans la liste."))
        return value
    if kind == "date":
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(_("Saisissez une date valide (jj/mm/aaaa).")) from None
    if kind == "money":
        if value in (None, ""):
            return None
        return _money(value)
    if kind == "percent":
        try:
            number = int(value or 0)
        except (TypeError, ValueError):
            raise ValidationError(_("Saisissez un nombre entier de 0 à 100.")) from None
        if not 0 <= number <= 100:
            raise ValidationError(_("L’avancement est compris entre 0 et 100 %."))
        return number
    if kind == "tags":
        tags = [str(tag).strip()[:100] for tag in (value or []) if str(tag).strip()]
        return list(dict.fromkeys(tags))[:30]
    if kind == "url":
        url = str(value or "").strip()
        if url and not re.match(r"^https?://[^\s/]+", url):
            raise ValidationError(_("Saisissez une adresse web complète (https://…)."))
        return url[:500]
    if kind == "financements":
        rows = []
        for row in value or []:
            source = str(row.get("source", "")).strip()
            if not source:
                raise ValidationError(_("Chaque financement a une source."))
            rows.append({"source": source[:200], "montant": str(_money(row.get("montant")))})
        return rows
    raise ValueError(kind)


def _money(value: Any) -> Decimal:
    try:
        text = re.sub(r"[\s\u00a0\u202f€]", "", str(value)).replace(",", ".")
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Saisissez un montant en euros (12 500 ou 12500,50).")) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError(_("Saisissez un montant positif en euros."))
    return amount.quantize(Decimal("0.01"))


def _project_permission(acting_user, projet: Projet) -> None:
    """Contributors of the project's member, or the structure's reviewers."""
    if acting_user is None:
        return
    grants = grants_for(acting_user)
    if grants.has("observatoire.relire"):
        return
    if projet.membre_id is None or not grants.has("observatoire.contribuer", projet.membre_id):
        raise PermissionDenied


def _denormalise(projet: Projet) -> list[str]:
    """Copy the carrier's place and size onto the project; return the fields that changed."""
    acteur = projet.porteur
    values = {
        "latitude": acteur.latitude if acteur else None,
        "longitude": acteur.longitude if acteur else None,
        "population": acteur.population if acteur else None,
        "type_collectivite": acteur.type_collectivite if acteur else "",
        "departement_code": acteur.departement_code if acteur else "",
        "region_code": acteur.region_code if acteur else "",
    }
    changed = [name for name, value in values.items() if getattr(projet, name) != value]
    for name in changed:
        setattr(projet, name, values[name])
    return changed


@transaction.atomic
def projet_create(
    *,
    acting_user,
    membre: Membre | None,
    titre: str,
    porteur: Acteur | None = None,
    slug: str = "",
    **fields: Any,
) -> Projet:
    """Draft a project of a member (None: of the structure), carried by the member unless said."""
    if membre is not None:
        permission_check(acting_user, "observatoire.contribuer", membre)
    else:
        permission_check(acting_user, "observatoire.relire")
    clean = projet_fields_clean({"titre": titre, **fields})
    if porteur is None and membre is not None:
        porteur = acteur_ensure_membre(membre=membre)
    projet = Projet(
        membre=membre,
        porteur=porteur,
        slug=slug or _unique_slug(Projet, clean["titre"], max_length=90),
        cree_par=acting_person(acting_user),
        **clean,
    )
    _denormalise(projet)
    projet.save()
    Revision.objects.create(
        projet=projet,
        auteur=projet.cree_par,
        action="creation",
        changements={name: {"avant": None, "apres": _json_value(v)} for name, v in clean.items()},
    )
    recherche.projet_indexer(projet)
    audit_record(acting_user=acting_user, membre=membre, action="projet.creation", target=projet)
    return projet


@transaction.atomic
def projet_update(*, acting_user, projet: Projet, **fields: Any) -> Revision | None:
    """Change a project's fields.

    On a published page, a contributor's change of what the page says waits for the
    structure's review (a pending revision); progress facts and reviewers' changes apply at
    once. Return the revision, or None when nothing changed.
    """
    _project_permission(acting_user, projet)
    clean = projet_fields_clean(fields)
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    changes = {
        name: {"avant": _json_value(getattr(projet, name)), "apres": _json_value(value)}
        for name, value in clean.items()
        if getattr(projet, name) != value
    }
    if not changes:
        return None
    reviewer = acting_user is None or grants_for(acting_user).has("observatoire.relire")
    needs_review = projet.publie and not reviewer and not set(changes) <= FOLLOW_UP_FIELDS
    author = acting_person(acting_user)
    if needs_review:
        direct = {k: v for k, v in changes.items() if k in FOLLOW_UP_FIELDS}
        pending = {k: v for k, v in changes.items() if k not in FOLLOW_UP_FIELDS}
        if direct:
            _apply(projet, direct, clean)
            Revision.objects.create(
                projet=projet, auteur=author, action="modification", changements=direct
            )
        revision = Revision.objects.create(
            projet=projet,
            auteur=author,
            action="modification",
            etat=Revision.Etat.EN_ATTENTE,
            changements=pending,
        )
        _notify_reviewers(projet, _("Une modification de « {titre} » attend votre relecture."))
    else:
        _apply(projet, changes, clean)
        revision = Revision.objects.create(
            projet=projet, auteur=author, action="modification", changements=changes
        )
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="projet.modification",
        target=projet,
        details={"champs": sorted(changes), "en_attente": needs_review},
    )
    return revision


def _apply(projet: Projet, changes: dict, clean: dict) -> None:
    for name in changes:
        setattr(projet, name, clean[name])
    projet.modifie_le = timezone.now()
    projet.save(update_fields=[*changes, "modifie_le"])
    recherche.projet_indexer(projet)


def _held_for_review(acting_user, projet: Projet) -> bool:
    """Tell whether a contributor's change of a published page waits for the structure."""
    return (
        projet.publie
        and acting_user is not None
        and not grants_for(acting_user).has("observatoire.relire")
    )


def _relations_now(projet: Projet) -> dict[str, dict[str, Any]]:
    """The project's carrier, participations and software, as ids (to apply and compare) and
    as names (to show), the way a Revision records them."""
    participations = sorted(
        projet.participations.select_related("acteur"), key=lambda p: (p.acteur.nom, p.role)
    )
    logiciels = sorted(projet.logiciels.all(), key=lambda logiciel: logiciel.nom)
    return {
        "porteur": {
            "ids": projet.porteur_id,
            "texte": projet.porteur.nom if projet.porteur else None,
        },
        "participations": {
            "ids": [[p.acteur_id, p.role] for p in participations],
            "texte": [f"{p.acteur.nom} ({p.get_role_display()})" for p in participations],
        },
        "logiciels": {
            "ids": [logiciel.pk for logiciel in logiciels],
            "texte": [logiciel.nom for logiciel in logiciels],
        },
    }


def _relation_change(projet: Projet, acting_user, name: str, after: dict[str, Any]) -> None:
    """Apply a change of the carrier, participations or software, or hold it for review on a
    published page; record it in the history either way."""
    before = _relations_now(projet)[name]
    if before["ids"] == after["ids"]:
        return
    change = {
        name: {
            "avant": before["texte"],
            "apres": after["texte"],
            "ids_avant": before["ids"],
            "ids_apres": after["ids"],
        }
    }
    if _held_for_review(acting_user, projet):
        Revision.objects.create(
            projet=projet,
            auteur=acting_person(acting_user),
            action=name,
            etat=Revision.Etat.EN_ATTENTE,
            changements=change,
        )
        _notify_reviewers(projet, _("Une modification de « {titre} » attend votre relecture."))
        return
    _relation_apply(projet, name, after["ids"])
    Revision.objects.create(
        projet=projet, auteur=acting_person(acting_user), action=name, changements=change
    )


def _relation_apply(projet: Projet, name: str, ids: Any) -> None:
    if name == "porteur":
        projet.porteur = Acteur.objects.get(pk=ids) if ids else None
        changed = _denormalise(projet)
        projet.save(update_fields=["porteur", *changed])
    elif name == "participations":
        projet.participations.all().delete()
        ProjetActeur.objects.bulk_create(
            [ProjetActeur(projet=projet, acteur_id=a, role=r) for a, r in ids]
        )
    elif name == "logiciels":
        projet.logiciels.set(Logiciel.objects.filter(pk__in=ids))
    projet.modifie_le = timezone.now()
    projet.save(update_fields=["modifie_le"])
    recherche.projet_indexer(projet)


@transaction.atomic
def projet_porteur_set(*, acting_user, projet: Projet, porteur: Acteur) -> None:
    """Change who carries the project (its place and size follow).

    A contributor may name its own member or an actor that is no member; carrying a project in
    another member's name is for that member (or the structure)."""
    _project_permission(acting_user, projet)
    reviewer = acting_user is None or grants_for(acting_user).has("observatoire.relire")
    if not reviewer and porteur.membre_id not in (None, projet.membre_id):
        raise ValidationError(
            {"acteur": _("Ce porteur est un autre membre : lui seul peut y rattacher le projet.")}
        )
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    _relation_change(projet, acting_user, "porteur", {"ids": porteur.pk, "texte": porteur.nom})


@transaction.atomic
def projet_participations_set(
    *, acting_user, projet: Projet, participations: list[tuple[Acteur, str]]
) -> None:
    """Set the collectivités involved and the partners of a project (replacing the former)."""
    _project_permission(acting_user, projet)
    for _acteur, role in participations:
        if role not in ProjetActeur.Role.values:
            raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    labels = dict(ProjetActeur.Role.choices)
    rows = sorted(dict.fromkeys(participations), key=lambda row: (row[0].nom, row[1]))
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    _relation_change(
        projet,
        acting_user,
        "participations",
        {
            "ids": [[acteur.pk, role] for acteur, role in rows],
            "texte": [f"{acteur.nom} ({labels[role]})" for acteur, role in rows],
        },
    )


@transaction.atomic
def projet_logiciels_set(*, acting_user, projet: Projet, logiciels: list[Logiciel]) -> None:
    """Set the software and services a project uses."""
    _project_permission(acting_user, projet)
    rows = sorted(set(logiciels), key=lambda logiciel: logiciel.nom)
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    _relation_change(
        projet,
        acting_user,
        "logiciels",
        {"ids": [logiciel.pk for logiciel in rows], "texte": [logiciel.nom for logiciel in rows]},
    )


@transaction.atomic
def projet_contact_add(*, acting_user, projet: Projet, contact: Contact, role: str = "") -> None:
    """Name a contact person for the project (shown only while their consent holds)."""
    _project_permission(acting_user, projet)
    reviewer = acting_user is None or grants_for(acting_user).has("observatoire.relire")
    if not reviewer and contact.acteur.membre_id != projet.membre_id:
        raise ValidationError(
            {"contact": _("Cette personne n’est pas un contact de votre collectivité.")}
        )
    ProjetContact.objects.update_or_create(
        projet=projet, contact=contact, defaults={"role": role.strip()[:200]}
    )


@transaction.atomic
def projet_contact_remove(*, acting_user, projet: Projet, contact: Contact) -> None:
    """Stop naming a contact person for the project."""
    _project_permission(acting_user, projet)
    ProjetContact.objects.filter(projet=projet, contact=contact).delete()


# --- Review before publication -----------------------------------------------------------------


def _notify_reviewers(projet: Projet, subject_template: str) -> None:
    to = operateur_emails()
    if not to:
        return
    url = settings.SITE_URL + reverse("observatoire-site:relecture")
    outbox_enqueue_email(
        to=to,
        subject=subject_template.format(titre=projet.titre)[:200],
        body=_("Projet : {titre}\nMembre : {membre}\nÀ relire : {url}\n").format(
            titre=projet.titre, membre=projet.membre or _("la structure"), url=url
        ),
    )


def _notify_author(projet: Projet, subject: str, body: str) -> None:
    if projet.cree_par is not None and projet.cree_par.email:
        outbox_enqueue_email(to=[projet.cree_par.email], subject=subject[:200], body=body)


def _transition(projet: Projet, acting_user, action: str, etat: str, **fields: Any) -> None:
    before = projet.etat
    projet.etat = etat
    for name, value in fields.items():
        setattr(projet, name, value)
    projet.save(update_fields=["etat", *fields])
    Revision.objects.create(
        projet=projet,
        auteur=acting_person(acting_user),
        action=action,
        changements={"etat": {"avant": before, "apres": etat}},
        commentaire=fields.get("commentaire_relecture", ""),
    )
    recherche.projet_indexer(projet)
    audit_record(
        acting_user=acting_user, membre=projet.membre, action=f"projet.{action}", target=projet
    )


@transaction.atomic
def projet_submit(*, acting_user, projet: Projet) -> None:
    """Send a draft (or a page sent back) to the structure's review."""
    _project_permission(acting_user, projet)
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    if projet.etat not in (Projet.Etat.BROUILLON, Projet.Etat.A_CORRIGER, Projet.Etat.RETIRE):
        raise ValidationError(_("Ce projet est déjà soumis ou publié."))
    missing = [
        label
        for label, present in (
            (_("un résumé"), bool(projet.resume)),
            (_("au moins un thème"), bool(projet.themes)),
            (_("une collectivité ou un acteur porteur"), projet.porteur_id is not None),
        )
        if not present
    ]
    if missing:
        raise ValidationError(
            _("Avant de soumettre, indiquez %(manque)s.") % {"manque": ", ".join(missing)}
        )
    _transition(projet, acting_user, "soumission", Projet.Etat.SOUMIS, soumis_le=timezone.now())
    if acting_user is not None:  # the platform's own loading (seed, demo) asks nobody
        _notify_reviewers(projet, _("« {titre} » attend votre relecture."))


def projet_version(projet: Projet) -> str:
    """The version of a page a reviewer reads (its last change, to the microsecond)."""
    moment = timezone.localtime(projet.modifie_le)
    return f"{moment.isoformat()}.{moment:%f}"


@transaction.atomic
def projet_publish(*, acting_user, projet: Projet, version_vue: str = "") -> None:
    """Publish a submitted project (the structure's review).

    `version_vue` is `projet_version()` of the page as the reviewer read it: when the
    contributors changed it since, nothing is published and the reviewer reads it again."""
    permission_check(acting_user, "observatoire.relire")
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    if version_vue and version_vue != projet_version(projet):
        raise ValidationError(
            _("Le projet a été modifié pendant votre relecture : relisez-le avant de le publier.")
        )
    if projet.etat not in (Projet.Etat.SOUMIS, Projet.Etat.RETIRE, Projet.Etat.A_CORRIGER):
        raise ValidationError(_("Seul un projet soumis peut être publié."))
    _transition(
        projet,
        acting_user,
        "publication",
        Projet.Etat.PUBLIE,
        publie_le=projet.publie_le or timezone.now(),
        relu_par=acting_person(acting_user),
        commentaire_relecture="",
    )
    url = settings.SITE_URL + reverse("observatoire-site:projet", kwargs={"slug": projet.slug})
    _notify_author(
        projet,
        _("« {titre} » est publié dans l’observatoire").format(titre=projet.titre),
        _("Votre projet est en ligne : {url}\n").format(url=url),
    )


@transaction.atomic
def projet_send_back(*, acting_user, projet: Projet, commentaire: str) -> None:
    """Send a submitted project back to its contributors with what to correct."""
    permission_check(acting_user, "observatoire.relire")
    commentaire = (commentaire or "").strip()
    if not commentaire:
        raise ValidationError({"commentaire": _("Dites ce qui est à corriger.")})
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    if projet.etat != Projet.Etat.SOUMIS:
        raise ValidationError(_("Seul un projet soumis peut être renvoyé pour correction."))
    _transition(
        projet,
        acting_user,
        "a_corriger",
        Projet.Etat.A_CORRIGER,
        relu_par=acting_person(acting_user),
        commentaire_relecture=commentaire,
    )
    _notify_author(
        projet,
        _("« {titre} » : des corrections avant publication").format(titre=projet.titre),
        _("La structure demande des corrections :\n\n{commentaire}\n").format(
            commentaire=commentaire
        ),
    )


@transaction.atomic
def projet_withdraw(*, acting_user, projet: Projet) -> None:
    """Take a published project off the public pages (its contributors or the structure)."""
    _project_permission(acting_user, projet)
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    if projet.etat != Projet.Etat.PUBLIE:
        raise ValidationError(_("Ce projet n’est pas publié."))
    _transition(projet, acting_user, "retrait", Projet.Etat.RETIRE)


@transaction.atomic
def revision_review(
    *, acting_user, revision: Revision, accept: bool, commentaire: str = ""
) -> None:
    """Accept (apply) or refuse a pending change of a published project."""
    permission_check(acting_user, "observatoire.relire")
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.etat != Revision.Etat.EN_ATTENTE:
        raise ValidationError(_("Cette modification a déjà été relue."))
    projet = Projet.objects.select_for_update().get(pk=revision.projet_id)
    if accept:
        # A field changed since the proposal was made (another accepted change): applying it
        # would silently undo that change.
        relations = _relations_now(projet)
        stale = []
        for name, change in revision.changements.items():
            if name == "documents":  # a new document: nothing it could undo
                continue
            if name in relations:
                current, expected = relations[name]["ids"], change["ids_avant"]
            else:
                current, expected = _json_value(getattr(projet, name)), change["avant"]
            if current != expected:
                stale.append(name)
        if stale:
            raise ValidationError(
                _(
                    "La page a changé depuis cette proposition (%(champs)s) : refusez-la et "
                    "demandez une nouvelle modification."
                )
                % {"champs": ", ".join(stale)}
            )
        values = {
            name: change["apres"]
            for name, change in revision.changements.items()
            if name in PROJECT_FIELDS
        }
        if values:
            clean = projet_fields_clean(values)
            _apply(projet, clean, clean)
        for name, change in revision.changements.items():
            if name in ("porteur", "participations", "logiciels"):
                _relation_apply(projet, name, change["ids_apres"])
            elif name == "documents" and change.get("id"):
                Document.objects.filter(pk=change["id"], projet=projet).update(public=True)
    revision.etat = Revision.Etat.APPLIQUEE if accept else Revision.Etat.REFUSEE
    revision.relue_par = acting_person(acting_user)
    revision.relue_le = timezone.now()
    revision.commentaire = (commentaire or "").strip()
    revision.save(update_fields=["etat", "relue_par", "relue_le", "commentaire"])
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="projet.revision",
        target=projet,
        details={"acceptee": accept},
    )
    if revision.auteur is not None and revision.auteur.email:
        decision = _("acceptée") if accept else _("refusée")
        outbox_enqueue_email(
            to=[revision.auteur.email],
            subject=_("Votre modification de « {titre} » est {decision}").format(
                titre=projet.titre, decision=decision
            )[:200],
            body=(revision.commentaire + "\n") if revision.commentaire else decision + "\n",
        )


# --- Documents, software details, checks for forms (contribution and review screens) ----------


@transaction.atomic
def document_add(*, acting_user, projet: Projet, upload, public: bool = True) -> Document:
    """Attach a document to a project, once its content says it is an accepted type and size.

    The stored file gets a random name; the name shown is the sanitised one, with the
    extension of the type found (socle.core.fichiers).
    """
    _project_permission(acting_user, projet)
    try:
        checked = documents.document_check(upload, limit=document_max_bytes())
    except documents.DocumentRefused as refused:
        raise ValidationError({"fichier": refused.message}) from None
    author = acting_person(acting_user)
    # A contributor's public document on a published page is shown once the structure agrees.
    held = bool(public) and _held_for_review(acting_user, projet)
    document = Document(
        projet=projet,
        nom=checked.name,
        type_mime=checked.mime,
        taille=len(checked.content),
        public=bool(public) and not held,
        cree_par=author,
    )
    stored_name = f"{secrets.token_hex(16)}.{checked.type.extension}"
    document.fichier.save(stored_name, ContentFile(checked.content), save=False)
    stored = document.fichier.name
    try:
        document.save()
    except Exception:
        # The row was not written: do not leave its file behind.
        if stored:
            document.fichier.storage.delete(stored)
        raise
    Revision.objects.create(
        projet=projet,
        auteur=author,
        action="document",
        etat=Revision.Etat.EN_ATTENTE if held else Revision.Etat.APPLIQUEE,
        changements={"documents": {"avant": None, "apres": document.nom, "id": document.pk}},
    )
    if held:
        _notify_reviewers(projet, _("Un document de « {titre} » attend votre relecture."))
    Projet.objects.filter(pk=projet.pk).update(modifie_le=timezone.now())
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="projet.modification",
        target=projet,
        details={"document": document.nom, "public": document.public},
    )
    return document


@transaction.atomic
def document_delete(*, acting_user, document: Document) -> None:
    """Remove a project's document (its file goes once the removal is committed)."""
    projet = document.projet
    _project_permission(acting_user, projet)
    name, storage = document.fichier.name, document.fichier.storage
    nom = document.nom
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    Revision.objects.create(
        projet=projet,
        auteur=acting_person(acting_user),
        action="document",
        changements={"documents": {"avant": nom, "apres": None}},
    )
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="projet.modification",
        target=projet,
        details={"document_supprime": nom},
    )


SILL_ID_RE = re.compile(r"^\d{1,20}$")
LOGICIEL_FIELDS = (
    "description",
    "editeur",
    "site_web",
    "libre",
    "licence",
    "sill_id",
    "comptoir_url",
)


def logiciel_fields_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise a software's description; raise ValidationError with every error
    at once."""
    values: dict[str, Any] = {
        "description": str(data.get("description") or "").strip(),
        "editeur": str(data.get("editeur") or "").strip(),
        "site_web": str(data.get("site_web") or "").strip(),
        "libre": bool(data.get("libre")),
        "licence": str(data.get("licence") or "").strip(),
        "sill_id": str(data.get("sill_id") or "").strip(),
        "comptoir_url": str(data.get("comptoir_url") or "").strip(),
    }
    errors: dict[str, str] = {}
    for name in ("site_web", "comptoir_url"):
        try:
            values[name] = _clean_one(name, "url", values[name])
        except ValidationError as error:
            errors[name] = error.messages[0]
    if len(values["editeur"]) > 200:
        errors["editeur"] = _("Le nom de l’éditeur tient en 200 caractères au plus.")
    if len(values["licence"]) > 80:
        errors["licence"] = _("La licence tient en 80 caractères au plus (ex. AGPL-3.0).")
    if values["sill_id"] and not SILL_ID_RE.match(values["sill_id"]):
        errors["sill_id"] = _("L’identifiant SILL est un nombre (ex. 245).")
    if (
        "comptoir_url" not in errors
        and values["comptoir_url"]
        and not re.match(r"^https://(www\.)?comptoir-du-libre\.org/", values["comptoir_url"])
    ):
        errors["comptoir_url"] = _(
            "Indiquez l’adresse de la fiche sur le Comptoir du Libre "
            "(https://comptoir-du-libre.org/…)."
        )
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def logiciel_update(*, acting_user, logiciel: Logiciel, **fields: Any) -> Logiciel:
    """Describe a piece of software of the registry (the structure's reviewers): description,
    editeur, site_web, libre, licence, sill_id (SILL), comptoir_url (Comptoir du Libre)."""
    permission_check(acting_user, "observatoire.relire")
    unknown = set(fields) - set(LOGICIEL_FIELDS)
    if unknown:
        raise ValueError(f"unknown software fields {sorted(unknown)!r}")
    values = logiciel_fields_clean({**{n: getattr(logiciel, n) for n in LOGICIEL_FIELDS}, **fields})
    changed = [name for name, value in values.items() if getattr(logiciel, name) != value]
    for name in changed:
        setattr(logiciel, name, values[name])
    if changed:
        logiciel.save(update_fields=changed)
        audit_record(
            acting_user=acting_user,
            membre=None,
            action="observatoire.configuration",
            target=logiciel,
            details={"logiciel": logiciel.nom, "champs": sorted(changed)},
        )
    return logiciel


def acteur_identifiers_check(*, siren: str = "", siret: str = "", rna: str = "") -> dict[str, str]:
    """Return the errors `acteur_create` would find in these identifiers (for a form that
    shows every error in one round)."""
    return _identifiers_clean(siren, siret, rna)[3]


def contact_token_read(token: str, purpose: str) -> tuple[Contact | None, bool]:
    """Return (the contact a consent link is for, or None; whether the link merely expired)."""
    contact = contact_for_token(token, purpose)
    if contact is not None:
        return contact, False
    try:
        data = signing.loads(token, salt=CONSENT_SALT)
    except signing.BadSignature:
        return None, False
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("c"), int):
        return None, False
    return None, Contact.objects.filter(pk=data["c"]).exists()


# --- Putting people in touch ---------------------------------------------------------------------

# Requests one person may send in a day: the structure's staff answer each by hand.
MISE_EN_RELATION_PAR_JOUR = 10


@transaction.atomic
def mise_en_relation_request(*, acting_user, projet: Projet, message: str):
    """Ask the structure to put a member's staff in touch with the people behind a published
    project (its staff know them, even when nobody consented to be shown); mail the structure's
    reviewers and acknowledge to the requester."""
    held = grants_for(acting_user).membre_ids("observatoire.contribuer")
    if held is not None and not held:
        raise PermissionDenied
    if not projet.publie:
        raise ValidationError(_("Ce projet n’est pas publié."))
    message = (message or "").replace("\r\n", "\n").strip()
    if not message:
        raise ValidationError(
            {"message": _("Dites en quelques mots ce que vous souhaitez savoir.")}
        )
    if len(message) > 2000:
        raise ValidationError({"message": _("Votre message tient en 2 000 caractères au plus.")})
    since = timezone.now() - datetime.timedelta(days=1)
    sent = audit_events_count(actor=acting_user, action="projet.mise_en_relation", since=since)
    if sent >= MISE_EN_RELATION_PAR_JOUR:
        raise ValidationError(
            {"message": _("Vous avez envoyé beaucoup de demandes aujourd’hui : réessayez demain.")}
        )
    membres = Membre.objects.filter(pk__in=held) if held is not None else Membre.objects.none()
    origine = ", ".join(str(m) for m in membres.select_related("collectivite")) or _("la structure")
    url = settings.SITE_URL + reverse("observatoire-site:projet", kwargs={"slug": projet.slug})
    demandeur = acting_user.get_full_name() or acting_user.email
    to = operateur_emails()
    if to:
        outbox_enqueue_email(
            to=to,
            subject=_("Mise en relation demandée : {titre}").format(titre=projet.titre)[:200],
            body=_(
                "{demandeur} ({origine}, {email}) souhaite être mis en relation avec l’équipe "
                "du projet « {titre} » porté par {porteur}.\n\n{message}\n\nProjet : {url}\n"
            ).format(
                demandeur=demandeur,
                origine=origine,
                email=acting_user.email,
                titre=projet.titre,
                porteur=projet.porteur or _("un acteur non renseigné"),
                message=message,
                url=url,
            ),
        )
    outbox_enqueue_email(
        to=[acting_user.email],
        subject=_("Votre demande de mise en relation : {titre}").format(titre=projet.titre)[:200],
        body=_(
            "La structure a bien reçu votre demande à propos du projet « {titre} » et vous "
            "répondra par courriel.\n\nVotre message :\n{message}\n"
        ).format(titre=projet.titre, message=message),
    )
    audit_record(
        acting_user=acting_user,
        membre=membres.first(),
        action="projet.mise_en_relation",
        target=projet,
    )
