"""Writes of reports: filing, confirming, following, and every agent action.

Each change and the messages it must send are written in one transaction: a message is an
outbox row with its delivery task (socle.core.outbox), linked to the report by an `Envoi`, so
that the back office can tell what reached whom and send again what failed for good.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.comptes.models import User
from socle.comptes.security import client_ip, normalise_email, user_for_email
from socle.comptes.services import account_address_proven, user_create
from socle.core.dates import months_shift
from socle.core.outbox import outbox_enqueue_email, outbox_messages_forget, outbox_retry
from socle.core.ratelimit import rate_key, rate_limit_hit
from socle.journal.services import journal_record
from socle.membres.models import Membre, Role, Service
from socle.membres.permissions import grants_for, permission_check
from socle.membres.selectors import membre_by_slug, service_ids_for_user
from socle.membres.services import audit_record
from socle.routage.routing import OK, RoutingError, route
from socle.signalements.models import (
    CLOSED_STATUSES,
    DESCRIPTION_MAX,
    Abonnement,
    Categorie,
    CategorieReglage,
    Envoi,
    Evenement,
    ModeleReponse,
    Photo,
    Question,
    Reglages,
    Signalement,
)
from socle.signalements.photos import PhotoRefused, ProcessedPhoto, photo_process
from socle.signalements.selectors import (
    OfferedCategory,
    category_at,
    reglages_for,
)
from socle.signalements.taxonomy import taxonomy_sync
from socle.territoires.holdings import competences_held_by
from socle.territoires.models import Competence
from socle.territoires.selectors import collectivite_by_key

MAX_PHOTOS = 3
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud safely
CONFIRM_SALT = "signalements.confirmer"
S = Signalement.Statut
# Where an agent may move a report with signalement_status_set (doublon goes through merge).
STATUS_TARGETS = (S.NOUVEAU, S.PRIS_EN_COMPTE, S.PROGRAMME, S.EN_COURS, S.RESOLU, S.REJETE)


# Control characters (but tab and newline) have no place in a text a person wrote, and some
# break what carries it (XML of Open311, mail headers).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: Any, *, one_line: bool = False) -> str:
    """Return a person's text without control characters; on one line for names and subjects."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if one_line:
        text = " ".join(text.split())
    return text.strip()


def _text(value: Any, *, field: str, required: str, max_length: int, one_line: bool = False) -> str:
    text = clean_text(value, one_line=one_line)
    if not text:
        raise ValidationError({field: required})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("%(max)d caractères au plus (vous en avez écrit %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    return text


def _reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _absolute(url_name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs)


def tracking_url(signalement: Signalement) -> str:
    """Return the public address of the report's tracking page."""
    return _absolute("signalements-site:suivi", reference=signalement.reference)


def _event(
    signalement: Signalement,
    kind: str,
    *,
    acteur: User | None = None,
    public: bool = False,
    texte: str = "",
    statut: str = "",
    details: dict | None = None,
) -> Evenement:
    return Evenement.objects.create(
        signalement=signalement,
        kind=kind,
        acteur=acteur,
        public=public,
        texte=texte,
        statut=statut,
        details=details or {},
    )


def _send(
    signalement: Signalement,
    *,
    to: list[str],
    destinataire: str,
    subject: str,
    template: str,
    context: dict | None = None,
) -> Envoi:
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "signalement": signalement,
        "suivi_url": tracking_url(signalement),
        **(context or {}),
    }
    body = render_to_string(f"signalements/email/{template}", context)
    message = outbox_enqueue_email(to=to, subject=subject, body=body)
    return Envoi.objects.create(
        signalement=signalement, message=message, destinataire=destinataire, objet=subject[:200]
    )


def _tell_followers(
    signalement: Signalement, *, subject: str, template: str, context: dict | None = None
) -> None:
    for abonnement in signalement.abonnements.filter(
        confirme_le__isnull=False, desabonne_le__isnull=True
    ):
        _send(
            signalement,
            to=[abonnement.email],
            destinataire=Envoi.Destinataire.CITOYEN,
            subject=subject,
            template=template,
            context={
                **(context or {}),
                "desabonnement_url": _absolute(
                    "signalements-site:desabonner", jeton=abonnement.jeton
                ),
            },
        )


# --- Rate limits on anonymous writes -----------------------------------------------------------


def _client_ip(request) -> str:
    # Behind the reverse proxies (SOCLE_PROXY_COUNT), REMOTE_ADDR is the proxy's: every
    # citizen would share one limit.
    return client_ip(request) or ""


def anonymous_write_check(*, request, email: str) -> None:
    """Count an anonymous write by its IP and email; raise ValidationError over the limits
    (per hour, settings)."""
    limits = []
    ip = _client_ip(request)
    if ip:
        limits.append((rate_key("ip", ip), settings.SIGNALEMENTS_LIMITE_IP_HEURE))
    if email:
        limits.append(
            (rate_key("email", normalise_email(email)), settings.SIGNALEMENTS_LIMITE_EMAIL_HEURE)
        )
    if not rate_limit_hit(limits=limits):
        raise ValidationError(
            _("Trop d’envois depuis une heure. Réessayez plus tard, ou connectez-vous.")
        )


@transaction.atomic
def categories_platform_sync() -> int:
    """Create the platform's categories that are missing (after a flush); return how many."""
    return taxonomy_sync(Categorie, Competence)


# --- Filing a report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a report goes: its commune, the competent collectivité and service, or a contact."""

    commune_code: str
    commune_nom: str
    titulaire_code: str
    titulaire_nom: str
    membre: Membre | None
    service: Service | None
    contact: dict


def placement_for(*, lat: float, lon: float, competence: str) -> Placement:
    """Route a point and a competence; raise ValidationError outside any commune.

    A member that did not switch the reports module on is treated as a non-member: the report
    is kept and its contact given.
    """
    try:
        result = route(lat, lon, competence)
    except RoutingError as exc:
        raise ValidationError({"position": exc.message}) from exc
    if result.status != OK or result.answer is None:
        raise ValidationError(
            {
                "position": _(
                    "Ce point n’est dans aucune commune de France : "
                    "placez-le sur la commune concernée."
                )
            }
        )
    holder = result.answer.holder
    commune = result.answer.commune
    membre = membre_by_slug(holder.slug) if holder.member and holder.slug else None
    if membre is not None and (not membre.active or "signalements" not in membre.modules):
        membre = None
    service = None
    if membre is not None and result.service is not None:
        service = Service.objects.filter(pk=result.service.id, membre=membre).first()
    contact = {}
    if membre is None:
        contact = result.answer.contact.to_dict() if result.answer.contact else {}
        if not contact:
            contact = _mairie_contact(commune.code)
    return Placement(
        commune_code=commune.code,
        commune_nom=commune.nom,
        titulaire_code=holder.code,
        titulaire_nom=holder.nom,
        membre=membre,
        service=service,
        contact=contact,
    )


def _mairie_contact(code: str) -> dict:
    """Return the public contact of the commune's mairie, as routing gives a contact."""
    mairie = collectivite_by_key(code)
    if mairie is None:
        return {}
    return {
        "collectivite": {"kind": mairie.kind, "code": mairie.code, "nom": mairie.nom},
        "point_entree": False,
        "adresse": mairie.adresse,
        "telephone": mairie.telephone,
        "email": mairie.email,
        "site_web": mairie.site_web,
        "horaires": mairie.horaires,
    }


def answers_clean(offered: OfferedCategory, raw: dict[str, Any]) -> dict[str, Any]:
    """Check the answers to a category's questions; return them keyed by question code."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in offered.questions:
        value = clean_text(raw.get(question.code, ""))
        if not value:
            if question.obligatoire:
                errors[f"q_{question.code}"] = _("Répondez à la question « %(q)s ».") % {
                    "q": question.libelle
                }
            continue
        if question.kind == Question.Kind.NOMBRE:
            try:
                number = float(value.replace(",", "."))
                if not math.isfinite(number):
                    raise ValueError(value)
                answers[question.code] = number
            except ValueError:
                errors[f"q_{question.code}"] = _("« %(q)s » attend un nombre.") % {
                    "q": question.libelle
                }
            continue
        if question.kind == Question.Kind.OUI_NON and value not in ("oui", "non"):
            errors[f"q_{question.code}"] = _("Répondez oui ou non.")
            continue
        if question.kind == Question.Kind.CHOIX:
            keys = [str(key) for key, _label in question.choix]
            if value not in keys:
                errors[f"q_{question.code}"] = _("Choisissez une réponse de la liste.")
                continue
        answers[question.code] = value[:500]
    if errors:
        raise ValidationError(errors)
    return answers


def _reporter_for(email: str) -> User:
    """Return the account of this address, creating a password-less one for a newcomer.

    The address is not trusted until its owner clicks the confirmation link: a report filed
    with someone else's address stays unconfirmed, and the account gets no password.
    """
    existing = user_for_email(email)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return user_create(email=email, password=None)
    except IntegrityError:
        found = user_for_email(email)
        assert found is not None
        return found


@transaction.atomic
def signalement_create(
    *,
    categorie_code: str,
    description: str,
    lat: float,
    lon: float,
    adresse: str = "",
    position_approchee: bool = False,
    reponses: dict[str, Any] | None = None,
    photos: Iterable[ProcessedPhoto] = (),
    auteur: User | None = None,
    email: str = "",
    nom: str = "",
    telephone: str = "",
    source: str = Signalement.Source.WEB,
    cle_api=None,
    request=None,
) -> Signalement:
    """File a report; route it; confirm it at once for an account or an API client, else email
    a confirmation link. Raises ValidationError with every field's problem at once."""
    errors: dict[str, list[str]] = {}
    photos = list(photos)
    offered = None
    try:
        offered = category_at(lat=lat, lon=lon, code=categorie_code)
    except RoutingError as exc:
        errors.setdefault("position", []).append(exc.message)
    if offered is None and "position" not in errors:
        errors.setdefault("categorie", []).append(
            _("Choisissez une catégorie proposée à cet endroit.")
        )
    try:
        description = _text(
            description,
            field="description",
            required=_("Décrivez le problème."),
            max_length=DESCRIPTION_MAX,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    answers: dict[str, Any] = {}
    if offered is not None:
        try:
            answers = answers_clean(offered, reponses or {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(_("%(n)d photos au plus.") % {"n": MAX_PHOTOS})
    email = normalise_email(email or "")
    if auteur is None and email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Cette adresse électronique n’est pas valide."))
    elif auteur is None and source == Signalement.Source.WEB:
        errors.setdefault("email", []).append(
            _(
                "Donnez votre adresse électronique : "
                "nous vous écrirons pour confirmer le signalement."
            )
        )
    nom = clean_text(nom, one_line=True)[:200]
    telephone = clean_text(telephone, one_line=True)[:40]
    adresse = clean_text(adresse, one_line=True)[:300]
    placement = None
    if offered is not None:
        try:
            placement = placement_for(
                lat=lat, lon=lon, competence=offered.categorie.competence.code
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert offered is not None and placement is not None

    # An address typed on the site is not trusted until its link is opened: only then is the
    # report tied to that address's account. An Open311 client vouches for its user.
    reporter = auteur
    if reporter is None and email and source == Signalement.Source.OPEN311:
        reporter = _reporter_for(email)
    contact_email = reporter.email if reporter is not None else email
    now = timezone.now()
    signalement = None
    for _attempt in range(5):
        reference = _reference()
        try:
            with transaction.atomic():
                signalement = Signalement.objects.create(
                    reference=reference,
                    categorie=offered.categorie,
                    categorie_nom=offered.nom,
                    description=description,
                    reponses=answers,
                    lat=lat,
                    lon=lon,
                    adresse=adresse,
                    position_approchee=position_approchee,
                    commune_code=placement.commune_code,
                    commune_nom=placement.commune_nom,
                    titulaire_code=placement.titulaire_code,
                    titulaire_nom=placement.titulaire_nom,
                    membre=placement.membre,
                    service=placement.service,
                    contact=placement.contact,
                    auteur=reporter,
                    auteur_email=contact_email,
                    auteur_nom=nom or (auteur.get_full_name() if auteur is not None else ""),
                    auteur_telephone=telephone,
                    source=source,
                    cle_api=cle_api,
                    cree_le=now,
                    modifie_le=now,
                )
            break
        except IntegrityError:
            if not Signalement.objects.filter(reference=reference).exists():
                raise
    if signalement is None:
        raise RuntimeError("no free report reference after 5 attempts")
    for processed in photos:
        _photo_save(signalement, processed)
    # Citizens are never a history line's actor: agents read the history, not who reported.
    _event(signalement, Evenement.Kind.CREE, details={"source": source})
    if contact_email:
        Abonnement.objects.create(
            signalement=signalement,
            email=contact_email,
            user=reporter,
            auteur=True,
            jeton=secrets.token_urlsafe(32),
        )
    if auteur is not None or source == Signalement.Source.OPEN311:
        _confirm(signalement, acteur=auteur)
    else:
        _send(
            signalement,
            to=[email],
            destinataire=Envoi.Destinataire.CITOYEN,
            subject=_("Confirmez votre signalement %(ref)s") % {"ref": signalement.reference},
            template="confirmer.txt",
            context={"confirmation_url": confirmation_url(signalement)},
        )
    return signalement


def photos_process(files: Iterable[Any]) -> list[ProcessedPhoto]:
    """Check and clean uploaded photos; raise ValidationError naming each refused file."""
    processed, problems = [], []
    for upload in files:
        name = getattr(upload, "name", "") or ""
        try:
            processed.append(photo_process(upload, name=name))
        except PhotoRefused as exc:
            problems.append(f"{name} : {exc.message}" if name else exc.message)
    if problems:
        raise ValidationError({"photos": problems})
    return processed


def _photo_save(signalement: Signalement, processed: ProcessedPhoto) -> Photo:
    token = secrets.token_hex(12)
    photo = Photo(signalement=signalement, largeur=processed.width, hauteur=processed.height)
    photo.image.save(f"{token}.jpg", ContentFile(processed.display), save=False)
    photo.vignette.save(f"{token}.jpg", ContentFile(processed.thumbnail), save=False)
    photo.save()
    return photo


def confirmation_url(signalement: Signalement) -> str:
    """Return the link that confirms an anonymous report (signed, valid some days)."""
    token = signing.dumps({"r": signalement.reference}, salt=CONFIRM_SALT)
    return _absolute("signalements-site:confirmer", jeton=token)


@transaction.atomic
def signalement_confirm_by_link(*, jeton: str, request=None) -> Signalement | None:
    """Confirm a report from its emailed link; None when the link is invalid or too old."""
    try:
        data = signing.loads(
            jeton, salt=CONFIRM_SALT, max_age=settings.SIGNALEMENTS_CONFIRMATION_JOURS * 86400
        )
    except signing.BadSignature:
        return None
    signalement = (
        Signalement.objects.select_for_update().filter(reference=data.get("r", "")).first()
    )
    if signalement is None:
        return None
    if signalement.confirme_le is None:
        _confirm(signalement, acteur=None)
        _event(signalement, Evenement.Kind.CONFIRME)
    return signalement


def _confirm(signalement: Signalement, *, acteur: User | None) -> None:
    """Mark the report confirmed, publish it unless its member reviews first, tell the
    competent service (or the non-member mairie) and the reporter."""
    now = timezone.now()
    signalement.confirme_le = now
    # modifie_le tells caches (Open311) that public data changed.
    signalement.modifie_le = now
    fields = ["confirme_le", "modifie_le"]
    if signalement.auteur is None and signalement.auteur_email:
        # The address's owner opened the link: the report is now theirs (« Mon espace »), and
        # the link proved the address as a verification link would.
        signalement.auteur = _reporter_for(signalement.auteur_email)
        account_address_proven(user=signalement.auteur, via="signalement")
        fields.append("auteur")
    Abonnement.objects.filter(signalement=signalement, auteur=True).update(
        confirme_le=now, user=signalement.auteur
    )
    if not reglages_for(signalement.membre).moderation_prealable:
        signalement.publie_le = now
        fields.append("publie_le")
    signalement.save(update_fields=fields)
    _dispatch(signalement)
    recipient = recipient_label(signalement)
    if signalement.auteur_email:
        _send(
            signalement,
            to=[signalement.auteur_email],
            destinataire=Envoi.Destinataire.CITOYEN,
            subject=_("Votre signalement %(ref)s est transmis à %(to)s")
            % {"ref": signalement.reference, "to": recipient}
            if signalement.membre
            else _("Votre signalement %(ref)s est enregistré") % {"ref": signalement.reference},
            template="recu.txt",
            context={
                "destinataire": recipient,
                "desabonnement_url": _unsubscribe_url_for_reporter(signalement),
            },
        )


def _unsubscribe_url_for_reporter(signalement: Signalement) -> str:
    abonnement = signalement.abonnements.filter(auteur=True).first()
    if abonnement is None:
        return ""
    return _absolute("signalements-site:desabonner", jeton=abonnement.jeton)


def recipient_label(signalement: Signalement) -> str:
    """Say who acts: « Bordeaux Métropole — Direction de la voirie », or the non-member."""
    if signalement.service is not None:
        return f"{signalement.titulaire_nom} — {signalement.service.nom}"
    return signalement.titulaire_nom


def _dispatch(signalement: Signalement) -> None:
    """Send the report to whoever acts: the service's address, or a non-member's mairie."""
    if signalement.membre is not None:
        if signalement.service is not None and signalement.service.email:
            _send(
                signalement,
                to=[signalement.service.email],
                destinataire=Envoi.Destinataire.SERVICE,
                subject=_("Nouveau signalement %(ref)s : %(cat)s à %(commune)s")
                % {
                    "ref": signalement.reference,
                    "cat": signalement.categorie_nom,
                    "commune": signalement.commune_nom,
                },
                template="service.txt",
                context={
                    "gestion_url": _absolute(
                        "gestion:signalements:detail",
                        slug=signalement.membre.slug,
                        reference=signalement.reference,
                    )
                },
            )
        return
    mairie_email = (signalement.contact or {}).get("email", "")
    if settings.SIGNALEMENTS_TRANSFERT_MAIRIES and mairie_email:
        _send(
            signalement,
            to=[mairie_email],
            destinataire=Envoi.Destinataire.MAIRIE,
            subject=_("Signalement d’un habitant : %(cat)s à %(commune)s")
            % {"cat": signalement.categorie_nom, "commune": signalement.commune_nom},
            template="mairie.txt",
        )


# --- Following a report (« moi aussi ») --------------------------------------------------------


@transaction.atomic
def signalement_follow(
    *, signalement: Signalement, user: User | None = None, email: str = "", request=None
) -> Abonnement:
    """Follow a public open report: an account at once, an address after its link."""
    if not signalement.public or not signalement.ouvert:
        raise ValidationError(_("Ce signalement ne peut plus être suivi."))
    if user is not None:
        email = user.email
    email = normalise_email(email or "")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Cette adresse électronique n’est pas valide.")}) from exc
    existing = Abonnement.objects.filter(signalement=signalement, email=email).first()
    if existing is not None:
        if user is not None and (existing.confirme_le is None or existing.desabonne_le):
            existing.confirme_le = timezone.now()
            existing.desabonne_le = None
            existing.save(update_fields=["confirme_le", "desabonne_le"])
        return existing
    try:
        with transaction.atomic():
            abonnement = Abonnement.objects.create(
                signalement=signalement,
                email=email,
                user=user,
                jeton=secrets.token_urlsafe(32),
                confirme_le=timezone.now() if user is not None else None,
            )
    except IntegrityError:
        # The same address asked at the same moment: one follow is enough.
        return Abonnement.objects.get(signalement=signalement, email=email)
    _event(signalement, Evenement.Kind.SUIVI, public=False)
    if user is None:
        _send(
            signalement,
            to=[email],
            destinataire=Envoi.Destinataire.CITOYEN,
            subject=_("Confirmez votre suivi du signalement %(ref)s")
            % {"ref": signalement.reference},
            template="suivre.txt",
            context={
                "confirmation_url": _absolute(
                    "signalements-site:suivre_confirmer", jeton=abonnement.jeton
                )
            },
        )
    return abonnement


@transaction.atomic
def abonnement_confirm(*, jeton: str) -> Abonnement | None:
    """Confirm a « moi aussi » from its emailed link."""
    abonnement = Abonnement.objects.filter(jeton=jeton).select_related("signalement").first()
    if abonnement is not None and abonnement.confirme_le is None:
        abonnement.confirme_le = timezone.now()
        abonnement.save(update_fields=["confirme_le"])
    return abonnement


@transaction.atomic
def abonnement_unsubscribe(*, jeton: str) -> Abonnement | None:
    """Stop a follower's emails (the link in every update)."""
    abonnement = Abonnement.objects.filter(jeton=jeton).select_related("signalement").first()
    if abonnement is not None and abonnement.desabonne_le is None:
        abonnement.desabonne_le = timezone.now()
        abonnement.save(update_fields=["desabonne_le"])
    return abonnement


# --- Agents' actions ---------------------------------------------------------------------------


def _check(acting_user, permission: str, signalement: Signalement) -> None:
    """Allow the action only to who may act on this report (its member and, for an agent
    attached to services, one of them)."""
    if signalement.membre is None:
        permission_check(acting_user, "signalements.hors_membres")
        return
    permission_check(acting_user, permission, signalement.membre)
    if acting_user is None:
        return
    services = service_ids_for_user(user=acting_user, membre=signalement.membre)
    if services is not None and signalement.service_id not in services:
        raise PermissionDenied


def _locked(signalement: Signalement) -> Signalement:
    locked = Signalement.objects.select_for_update().get(pk=signalement.pk)
    return locked


def _touch(signalement: Signalement, *fields: str) -> None:
    signalement.modifie_le = timezone.now()
    signalement.save(update_fields=["modifie_le", *fields])


def _audit(acting_user, signalement: Signalement, action: str, **details: Any) -> None:
    if signalement.membre is not None:
        audit_record(
            acting_user=acting_user,
            membre=signalement.membre,
            action=action,
            target=signalement,
            details=details,
        )


def _first_response(signalement: Signalement, fields: list[str]) -> None:
    if signalement.premiere_reponse_le is None:
        signalement.premiere_reponse_le = timezone.now()
        fields.append("premiere_reponse_le")


@transaction.atomic
def signalement_status_set(
    *, acting_user, signalement: Signalement, statut: str, texte: str = ""
) -> Signalement:
    """Move a report to a status, tell its followers; rejeté needs a reason."""
    _check(acting_user, "signalements.traiter", signalement)
    if statut not in STATUS_TARGETS:
        raise ValidationError({"statut": _("Statut inconnu.")})
    texte = clean_text(texte)
    if len(texte) > DESCRIPTION_MAX:
        raise ValidationError(
            {"texte": _("%(max)d caractères au plus.") % {"max": DESCRIPTION_MAX}}
        )
    if statut == S.REJETE and not texte:
        raise ValidationError({"texte": _("Donnez le motif du rejet : il est envoyé à l’auteur.")})
    signalement = _locked(signalement)
    if signalement.statut == statut and not texte:
        return signalement
    before = signalement.statut
    signalement.statut = statut
    fields = ["statut"]
    _first_response(signalement, fields)
    now = timezone.now()
    if statut in CLOSED_STATUSES:
        signalement.clos_le = now
        # A resolved report then rejected was not resolved: no resolution date.
        signalement.resolu_le = now if statut == S.RESOLU else None
        fields += ["clos_le", "resolu_le"]
    elif before in CLOSED_STATUSES:
        signalement.clos_le = None
        signalement.resolu_le = None
        fields += ["clos_le", "resolu_le"]
    if before == S.DOUBLON and signalement.doublon_de_id is not None:
        # Reopened: no longer the duplicate of another report.
        signalement.doublon_de = None
        fields.append("doublon_de")
    _touch(signalement, *fields)
    _event(
        signalement,
        Evenement.Kind.STATUT,
        acteur=acting_user,
        public=True,
        texte=texte,
        statut=statut,
        details={"avant": before},
    )
    _audit(acting_user, signalement, "signalement.statut", avant=before, apres=statut)
    _tell_followers(
        signalement,
        subject=_("Signalement %(ref)s : %(statut)s")
        % {"ref": signalement.reference, "statut": signalement.get_statut_display()},
        template="statut.txt",
        context={"texte": texte},
    )
    return signalement


@transaction.atomic
def signalement_acknowledge(*, acting_user, signalement: Signalement) -> Signalement:
    """Say the report was seen and will be handled (pris en compte)."""
    return signalement_status_set(
        acting_user=acting_user, signalement=signalement, statut=S.PRIS_EN_COMPTE
    )


@transaction.atomic
def signalement_reply(*, acting_user, signalement: Signalement, texte: str) -> Evenement:
    """Publish a reply on the report's page and email it to its followers."""
    _check(acting_user, "signalements.traiter", signalement)
    texte = _text(
        texte, field="texte", required=_("Écrivez la réponse."), max_length=DESCRIPTION_MAX
    )
    signalement = _locked(signalement)
    fields: list[str] = []
    _first_response(signalement, fields)
    _touch(signalement, *fields)
    event = _event(
        signalement, Evenement.Kind.REPONSE, acteur=acting_user, public=True, texte=texte
    )
    _audit(acting_user, signalement, "signalement.reponse")
    _tell_followers(
        signalement,
        subject=_("Réponse à votre signalement %(ref)s") % {"ref": signalement.reference},
        template="reponse.txt",
        context={"texte": texte},
    )
    return event


@transaction.atomic
def signalement_note(*, acting_user, signalement: Signalement, texte: str) -> Evenement:
    """Add an internal note, never shown to the citizen."""
    _check(acting_user, "signalements.traiter", signalement)
    texte = _text(texte, field="note", required=_("Écrivez la note."), max_length=DESCRIPTION_MAX)
    _touch(_locked(signalement))
    return _event(
        signalement,
        Evenement.Kind.NOTE,
        acteur=acting_user,
        texte=texte,
        # Notes stay with the member that wrote them, should the report move to another one.
        details={"membre": signalement.membre_id},
    )


@transaction.atomic
def signalement_assign(*, acting_user, signalement: Signalement, agent: User | None) -> Signalement:
    """Give the report to an agent of its member (None: to nobody)."""
    _check(acting_user, "signalements.traiter", signalement)
    signalement = _locked(signalement)
    if (
        agent is not None
        and not Role.objects.filter(
            user=agent, membre=signalement.membre, ended_at__isnull=True
        ).exists()
    ):
        raise ValidationError({"agent": _("Cette personne n’est pas agent de la collectivité.")})
    signalement.assigne_a = agent
    _touch(signalement, "assigne_a")
    _event(
        signalement,
        Evenement.Kind.ASSIGNE,
        acteur=acting_user,
        texte=agent.get_full_name() or agent.email if agent else _("Personne"),
        details={"agent": agent.pk if agent else None},
    )
    _audit(acting_user, signalement, "signalement.attribution", agent=agent.pk if agent else None)
    return signalement


@transaction.atomic
def signalement_priority_set(
    *, acting_user, signalement: Signalement, priorite: int
) -> Signalement:
    """Set the report's priority."""
    _check(acting_user, "signalements.traiter", signalement)
    if priorite not in Signalement.Priorite.values:
        raise ValidationError({"priorite": _("Priorité inconnue.")})
    signalement = _locked(signalement)
    before = signalement.priorite
    signalement.priorite = priorite
    _touch(signalement, "priorite")
    _event(
        signalement,
        Evenement.Kind.PRIORITE,
        acteur=acting_user,
        texte=signalement.get_priorite_display(),
        details={"avant": before},
    )
    return signalement


@transaction.atomic
def signalement_reroute(
    *, acting_user, signalement: Signalement, service: Service, motif: str
) -> Signalement:
    """Send the report to another service, of this member or another one; tell the followers
    and the new service. The reason is kept in the history."""
    _check(acting_user, "signalements.traiter", signalement)
    motif = _text(
        motif, field="motif", required=_("Donnez le motif de la réorientation."), max_length=500
    )
    target = service.membre
    if not target.active or "signalements" not in target.modules:
        raise ValidationError(
            {"service": _("Cette collectivité ne traite pas les signalements sur la plateforme.")}
        )
    signalement = _locked(signalement)
    if signalement.service_id == service.pk:
        raise ValidationError({"service": _("Le signalement est déjà chez ce service.")})
    before = recipient_label(signalement)
    before_membre = signalement.membre
    signalement.membre = target
    signalement.service = service
    signalement.titulaire_code = target.collectivite.code
    signalement.titulaire_nom = target.collectivite.nom
    signalement.contact = {}
    signalement.assigne_a = None
    _touch(
        signalement, "membre", "service", "titulaire_code", "titulaire_nom", "contact", "assigne_a"
    )
    after = recipient_label(signalement)
    _event(
        signalement,
        Evenement.Kind.REORIENTE,
        acteur=acting_user,
        public=True,
        texte=_("Transmis à %(to)s.") % {"to": after},
        details={"avant": before, "apres": after, "motif": motif},
    )
    if before_membre is not None:
        audit_record(
            acting_user=acting_user,
            membre=before_membre,
            action="signalement.reorientation",
            target=signalement,
            details={"avant": before, "apres": after, "motif": motif},
        )
    if target != before_membre:
        audit_record(
            acting_user=acting_user,
            membre=target,
            action="signalement.reorientation",
            target=signalement,
            details={"avant": before, "apres": after, "motif": motif},
        )
    _dispatch(signalement)
    _tell_followers(
        signalement,
        subject=_("Votre signalement %(ref)s est transmis à %(to)s")
        % {"ref": signalement.reference, "to": after},
        template="reoriente.txt",
        context={"destinataire": after},
    )
    return signalement


@transaction.atomic
def signalement_merge(
    *, acting_user, signalement: Signalement, original: Signalement
) -> Signalement:
    """Close a report as a duplicate of another; its followers follow the original."""
    _check(acting_user, "signalements.traiter", signalement)
    # The original gains followers and a history line: the agent must be allowed on it too.
    _check(acting_user, "signalements.traiter", original)
    if original.pk == signalement.pk:
        raise ValidationError(
            {"original": _("Un signalement ne peut pas être son propre doublon.")}
        )
    if original.membre_id != signalement.membre_id:
        raise ValidationError({"original": _("Choisissez un signalement de la même collectivité.")})
    if original.doublon_de_id == signalement.pk:
        raise ValidationError(
            {"original": _("Ce signalement est lui-même un doublon de celui-ci.")}
        )
    # Both rows locked, in a fixed order: two agents merging A into B and B into A at once
    # cannot make a cycle.
    first, second = sorted([signalement.pk, original.pk])
    locked = {
        row.pk: row
        for row in Signalement.objects.select_for_update()
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    signalement, original = locked[signalement.pk], locked[original.pk]
    if original.statut in CLOSED_STATUSES:
        raise ValidationError(
            {
                "original": _("Le signalement %(ref)s est clos : choisissez un signalement ouvert.")
                % {"ref": original.reference}
            }
        )
    if signalement.statut in CLOSED_STATUSES:
        raise ValidationError({"original": _("Ce signalement est déjà clos.")})
    signalement.doublon_de = original
    signalement.statut = S.DOUBLON
    signalement.clos_le = timezone.now()
    signalement.resolu_le = None
    fields = ["doublon_de", "statut", "clos_le", "resolu_le"]
    _first_response(signalement, fields)
    _touch(signalement, *fields)
    moved = 0
    for abonnement in signalement.abonnements.filter(desabonne_le__isnull=True):
        if not original.abonnements.filter(email=abonnement.email).exists():
            Abonnement.objects.create(
                signalement=original,
                email=abonnement.email,
                user=abonnement.user,
                jeton=secrets.token_urlsafe(32),
                confirme_le=abonnement.confirme_le,
            )
            moved += 1
    _event(
        signalement,
        Evenement.Kind.STATUT,
        acteur=acting_user,
        public=True,
        statut=S.DOUBLON,
        texte=_("Doublon du signalement %(ref)s.") % {"ref": original.reference},
        details={"original": original.reference},
    )
    _event(
        original,
        Evenement.Kind.FUSION,
        acteur=acting_user,
        texte=signalement.reference,
        details={"doublon": signalement.reference, "abonnes": moved},
    )
    _audit(acting_user, signalement, "signalement.doublon", original=original.reference)
    _tell_followers(
        signalement,
        subject=_("Signalement %(ref)s : déjà signalé") % {"ref": signalement.reference},
        template="doublon.txt",
        context={"original": original, "original_url": tracking_url(original)},
    )
    return signalement


@transaction.atomic
def signalement_position_set(
    *, acting_user, signalement: Signalement, lat: float, lon: float
) -> Signalement:
    """Correct the report's point (placed from a text, or misplaced)."""
    _check(acting_user, "signalements.traiter", signalement)
    placement = placement_for(lat=lat, lon=lon, competence=signalement.categorie.competence.code)
    signalement = _locked(signalement)
    if placement.membre != signalement.membre or (
        placement.service is not None and placement.service != signalement.service
    ):
        # Moving the point must not silently move the report to someone else's queue.
        raise ValidationError(
            {
                "position": _("À ce point, le signalement relève de %(to)s : réorientez-le plutôt.")
                % {
                    "to": placement.titulaire_nom
                    + (f" — {placement.service.nom}" if placement.service else "")
                }
            }
        )
    before = {"lat": signalement.lat, "lon": signalement.lon}
    signalement.lat, signalement.lon = lat, lon
    signalement.commune_code, signalement.commune_nom = (
        placement.commune_code,
        placement.commune_nom,
    )
    signalement.position_approchee = False
    _touch(signalement, "lat", "lon", "commune_code", "commune_nom", "position_approchee")
    _event(signalement, Evenement.Kind.POSITION, acteur=acting_user, details={"avant": before})
    return signalement


# --- Moderation --------------------------------------------------------------------------------


@transaction.atomic
def signalement_publish(*, acting_user, signalement: Signalement) -> Signalement:
    """Publish a report held for review."""
    _check(acting_user, "signalements.traiter", signalement)
    signalement = _locked(signalement)
    if signalement.publie_le is None:
        signalement.publie_le = timezone.now()
        _touch(signalement, "publie_le")
        _event(signalement, Evenement.Kind.PUBLIE, acteur=acting_user)
        _audit(acting_user, signalement, "signalement.publication")
    return signalement


@transaction.atomic
def signalement_hide(*, acting_user, signalement: Signalement, motif: str) -> Signalement:
    """Take a report off the public pages and the API (it stays in the queue)."""
    _check(acting_user, "signalements.traiter", signalement)
    motif = _text(motif, field="motif", required=_("Donnez le motif du masquage."), max_length=300)
    signalement = _locked(signalement)
    signalement.masque_le = timezone.now()
    signalement.motif_masquage = motif
    _touch(signalement, "masque_le", "motif_masquage")
    _event(signalement, Evenement.Kind.MASQUE, acteur=acting_user, texte=motif)
    _audit(acting_user, signalement, "signalement.masquage", motif=motif)
    return signalement


@transaction.atomic
def signalement_show(*, acting_user, signalement: Signalement) -> Signalement:
    """Show again a hidden report."""
    _check(acting_user, "signalements.traiter", signalement)
    signalement = _locked(signalement)
    signalement.masque_le = None
    signalement.motif_masquage = ""
    fields = ["masque_le", "motif_masquage"]
    if signalement.publie_le is None:
        signalement.publie_le = timezone.now()
        fields.append("publie_le")
    _touch(signalement, *fields)
    _event(signalement, Evenement.Kind.DEMASQUE, acteur=acting_user)
    _audit(acting_user, signalement, "signalement.demasquage")
    return signalement


@transaction.atomic
def photo_hide(*, acting_user, photo: Photo) -> Photo:
    """Take one photo off the public pages and the API."""
    _check(acting_user, "signalements.traiter", photo.signalement)
    photo = Photo.objects.select_for_update().select_related("signalement").get(pk=photo.pk)
    if photo.masque_le is None:
        photo.masque_le = timezone.now()
        photo.save(update_fields=["masque_le"])
        _touch(_locked(photo.signalement))
        _event(
            photo.signalement,
            Evenement.Kind.PHOTO_MASQUEE,
            acteur=acting_user,
            details={"photo": photo.pk},
        )
        _audit(acting_user, photo.signalement, "signalement.photo_masquee", photo=photo.pk)
    return photo


@transaction.atomic
def signalement_redact(*, acting_user, signalement: Signalement, description: str) -> Signalement:
    """Replace the public text (personal data edited out); the original is kept, unseen, until
    the retention task erases it."""
    _check(acting_user, "signalements.traiter", signalement)
    description = _text(
        description,
        field="description",
        required=_("Le texte ne peut pas être vide."),
        max_length=DESCRIPTION_MAX,
    )
    signalement = _locked(signalement)
    if description == signalement.description:
        return signalement
    if not signalement.description_originale:
        signalement.description_originale = signalement.description
    signalement.description = description
    _touch(signalement, "description", "description_originale")
    _event(signalement, Evenement.Kind.TEXTE_MODIFIE, acteur=acting_user)
    _audit(acting_user, signalement, "signalement.expurgation")
    return signalement


# --- Messages that failed ----------------------------------------------------------------------


@transaction.atomic
def envoi_retry(*, acting_user, envoi: Envoi) -> Envoi:
    """Send again a message of the report that failed for good."""
    _check(acting_user, "signalements.traiter", envoi.signalement)
    # Decided on the locked message, not on the caller's copy: a second click, or a message
    # sent meanwhile, must not be retried (nor logged as retried).
    if not outbox_retry(message_id=envoi.message_id):
        raise ValidationError(_("Ce message n’est pas en échec."))
    _event(
        envoi.signalement,
        Evenement.Kind.ENVOI_RELANCE,
        acteur=acting_user,
        texte=envoi.objet,
        details={"envoi": envoi.pk},
    )
    return envoi


# --- Personal data -----------------------------------------------------------------------------


@transaction.atomic
def signalement_contact_read(*, acting_user, signalement: Signalement, request=None) -> dict:
    """Return the reporter's contact details to an agent, journaled (RGPD)."""
    _check(acting_user, "signalements.traiter", signalement)
    if signalement.auteur is None or signalement.anonymise_le is not None:
        return {}
    journal_record(
        agent=acting_user,
        citizen=signalement.auteur,
        membre=signalement.membre,
        data=_("Coordonnées de l’auteur d’un signalement"),
        channel=_("Gestion des signalements"),
        purpose=_("Signalement %(ref)s") % {"ref": signalement.reference},
        request=request,
    )
    return {
        "email": signalement.auteur_email,
        "nom": signalement.auteur_nom,
        "telephone": signalement.auteur_telephone,
    }


def _messages_forget(signalement: Signalement) -> None:
    """Keep only the subject of the report's sent or failed messages, and no citizen's
    address."""
    outbox_messages_forget(
        {
            envoi.message_id: envoi.destinataire == Envoi.Destinataire.CITOYEN
            for envoi in signalement.envois.all()
        }
    )


@transaction.atomic
def signalements_retention_apply(*, now=None) -> dict[str, int]:
    """Erase the personal data of reports closed longer than their member keeps it (filed that
    long ago, for a non-member), delete the
    reports never confirmed once their link has expired, and the photos of hidden reports;
    return how many of each."""
    now = now or timezone.now()
    erased = 0
    # Only rows old enough for the shortest retention any member chose are looked at.
    shortest = min(
        [Reglages().retention_mois, *Reglages.objects.values_list("retention_mois", flat=True)]
    )
    cutoff = months_shift(now, -shortest)
    candidates = (
        Signalement.objects.filter(anonymise_le__isnull=True)
        # A report for a non-member is never closed on the platform: it counts from its filing.
        .filter(Q(clos_le__lt=cutoff) | Q(membre__isnull=True, cree_le__lt=cutoff))
        .select_related("membre")
    )
    for signalement in candidates.iterator():
        months = reglages_for(signalement.membre).retention_mois
        since = signalement.clos_le or signalement.cree_le
        if since > months_shift(now, -months):
            continue
        # Conditional: a run beside this one (two schedulers) erases each report once.
        if not Signalement.objects.filter(pk=signalement.pk, anonymise_le__isnull=True).update(
            auteur=None,
            auteur_email="",
            auteur_nom="",
            auteur_telephone="",
            description_originale="",
            anonymise_le=now,
        ):
            continue
        Abonnement.objects.filter(signalement=signalement).delete()
        _messages_forget(signalement)
        _event(signalement, Evenement.Kind.ANONYMISE)
        erased += 1
    # Never confirmed: never transmitted nor shown, and its link no longer works.
    expired = now - timedelta(days=settings.SIGNALEMENTS_CONFIRMATION_JOURS + 1)
    unconfirmed = 0
    for signalement in Signalement.objects.filter(confirme_le__isnull=True, cree_le__lt=expired):
        _messages_forget(signalement)
        for photo in signalement.photos.all():
            _photo_files_delete(photo)
        signalement.delete()
        unconfirmed += 1
    photos = 0
    for photo in Photo.objects.filter(signalement__masque_le__isnull=False):
        _photo_files_delete(photo)
        photo.delete()
        photos += 1
    return {"signalements": erased, "non_confirmes": unconfirmed, "photos": photos}


def _photo_files_delete(photo: Photo) -> None:
    names = [photo.image.name, photo.vignette.name]
    storage = photo.image.storage

    def delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def grants_can_treat(user, signalement: Signalement) -> bool:
    """Tell whether the user may act on this report (for showing the actions)."""
    try:
        _check(user, "signalements.traiter", signalement)
    except PermissionDenied:
        return False
    return user is not None and grants_for(user).holds_any_role


# --- Settings of a member ----------------------------------------------------------------------

# Imports of this section only (kept here so that the section is appended, not spliced in).


RETENTION_MAX_MOIS = 120


def _reglages_audit(acting_user, membre: Membre, **details: Any) -> None:
    audit_record(
        acting_user=acting_user, membre=membre, action="signalement.reglages", details=details
    )


@transaction.atomic
def signalements_reglages_update(
    *, acting_user, membre: Membre, moderation_prealable: bool, retention_mois: int
) -> Reglages:
    """Set whether reports wait for an agent's review and how long personal data is kept."""
    permission_check(acting_user, "signalements.regler", membre)
    if not isinstance(retention_mois, int) or not 1 <= retention_mois <= RETENTION_MAX_MOIS:
        raise ValidationError(
            {
                "retention_mois": _("Entre 1 et %(max)d mois.") % {"max": RETENTION_MAX_MOIS},
            }
        )
    reglages, _created = Reglages.objects.select_for_update().get_or_create(membre=membre)
    before = {"moderation": reglages.moderation_prealable, "retention": reglages.retention_mois}
    reglages.moderation_prealable = bool(moderation_prealable)
    reglages.retention_mois = retention_mois
    reglages.save()
    _reglages_audit(
        acting_user,
        membre,
        avant=before,
        apres={"moderation": reglages.moderation_prealable, "retention": retention_mois},
    )
    return reglages


def _settable_categorie(membre: Membre, categorie: Categorie) -> None:
    if categorie.membre_id not in (None, membre.pk):
        raise PermissionDenied


@transaction.atomic
def categorie_reglage_set(
    *, acting_user, membre: Membre, categorie: Categorie, active: bool, nom: str = ""
) -> Categorie:
    """Switch a category off or on, or rename it, on the member's territory: a platform
    category through the member's CategorieReglage, its own category directly."""
    permission_check(acting_user, "signalements.regler", membre)
    _settable_categorie(membre, categorie)
    nom = clean_text(nom, one_line=True)
    if len(nom) > 120:
        raise ValidationError({"nom": _("120 caractères au plus.")})
    if categorie.membre_id == membre.pk:
        categorie.active = bool(active)
        if nom:
            categorie.nom = nom
        categorie.save(update_fields=["active", "nom"])
    else:
        CategorieReglage.objects.update_or_create(
            membre=membre, categorie=categorie, defaults={"active": bool(active), "nom": nom}
        )
    _reglages_audit(acting_user, membre, categorie=categorie.code, active=bool(active), nom=nom)
    return categorie


@transaction.atomic
def categorie_create(
    *, acting_user, membre: Membre, nom: str, competence, description: str = ""
) -> Categorie:
    """Add a category of the member's own, tied to a competence it holds."""
    permission_check(acting_user, "signalements.regler", membre)
    errors: dict[str, str] = {}
    try:
        nom = _text(nom, field="nom", required=_("Donnez un nom."), max_length=120, one_line=True)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    description = clean_text(description)
    if len(description) > 300:
        errors["description"] = _("300 caractères au plus.")
    if competence is None or competence.pk not in competences_held_by(membre.collectivite):
        errors["competence"] = _("Choisissez une compétence que la collectivité exerce.")
    if errors:
        raise ValidationError(errors)
    base = (slugify(nom) or "categorie")[:50]
    code, n = base, 1
    while (
        Categorie.objects.filter(membre=membre, code=code).exists()
        or Categorie.objects.filter(membre__isnull=True, code=code).exists()
    ):
        n += 1
        code = f"{base}-{n}"
    categorie = Categorie.objects.create(
        code=code,
        nom=nom,
        description=description,
        competence=competence,
        membre=membre,
        ordre=200,
    )
    _reglages_audit(acting_user, membre, categorie_creee=code)
    return categorie


@transaction.atomic
def question_create(
    *,
    acting_user,
    membre: Membre,
    categorie: Categorie,
    libelle: str,
    kind: str,
    choix: list[str] | None = None,
    obligatoire: bool = False,
    aide: str = "",
) -> Question:
    """Ask one more question of the reports of a category on the member's territory."""
    permission_check(acting_user, "signalements.regler", membre)
    _settable_categorie(membre, categorie)
    errors: dict[str, str] = {}
    try:
        libelle = _text(
            libelle, field="libelle", required=_("Écrivez la question."), max_length=200
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if kind not in Question.Kind.values:
        errors["kind"] = _("Type de réponse inconnu.")
    options = [clean_text(c, one_line=True)[:100] for c in (choix or [])]
    options = [c for c in options if c]
    if kind == Question.Kind.CHOIX and len(options) < 2:
        errors["choix"] = _("Donnez au moins deux réponses possibles, une par ligne.")
    aide = clean_text(aide, one_line=True)
    if len(aide) > 300:
        errors["aide"] = _("300 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    base = (slugify(libelle) or "question")[:50]
    code, n = base, 1
    while Question.objects.filter(membre=membre, categorie=categorie, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    question = Question.objects.create(
        membre=membre,
        categorie=categorie,
        code=code,
        libelle=libelle,
        aide=aide,
        kind=kind,
        choix=[[slugify(c) or str(i), c] for i, c in enumerate(options, 1)]
        if kind == Question.Kind.CHOIX
        else [],
        obligatoire=bool(obligatoire),
    )
    _reglages_audit(acting_user, membre, categorie=categorie.code, question_creee=code)
    return question


@transaction.atomic
def question_delete(*, acting_user, membre: Membre, question: Question) -> None:
    """Stop asking one of the member's questions."""
    permission_check(acting_user, "signalements.regler", membre)
    if question.membre_id != membre.pk:
        raise PermissionDenied
    code = question.code
    question.delete()
    _reglages_audit(acting_user, membre, question_supprimee=code)


@transaction.atomic
def modele_reponse_create(*, acting_user, membre: Membre, titre: str, texte: str) -> ModeleReponse:
    """Add a public reply the member's agents may start from."""
    permission_check(acting_user, "signalements.regler", membre)
    errors: dict[str, str] = {}
    for name, value, required, max_length in (
        ("titre", titre, _("Donnez un titre."), 120),
        ("texte", texte, _("Écrivez le texte de la réponse."), DESCRIPTION_MAX),
    ):
        try:
            _text(value, field=name, required=required, max_length=max_length)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    modele = ModeleReponse.objects.create(
        membre=membre, titre=clean_text(titre, one_line=True), texte=clean_text(texte)
    )
    _reglages_audit(acting_user, membre, modele_cree=modele.titre)
    return modele


@transaction.atomic
def modele_reponse_delete(*, acting_user, membre: Membre, modele: ModeleReponse) -> None:
    """Remove one of the member's response templates."""
    permission_check(acting_user, "signalements.regler", membre)
    if modele.membre_id != membre.pk:
        raise PermissionDenied
    titre = modele.titre
    modele.delete()
    _reglages_audit(acting_user, membre, modele_supprime=titre)


@transaction.atomic
def signalements_forget_user(user: User) -> dict[str, int]:
    """Before an account is deleted: erase its reporter's personal data from the reports it
    filed (they stay, as retention would leave them: the collectivités' work, the public
    map), and end its subscriptions to any report; return counts."""
    now = timezone.now()
    erased = 0
    for signalement in Signalement.objects.select_for_update().filter(auteur=user):
        signalement.auteur = None
        signalement.auteur_email = ""
        signalement.auteur_nom = ""
        signalement.auteur_telephone = ""
        signalement.description_originale = ""
        fields = ["auteur", "auteur_email", "auteur_nom", "auteur_telephone"]
        fields.append("description_originale")
        if signalement.anonymise_le is None:
            signalement.anonymise_le = now
            fields.append("anonymise_le")
            _event(signalement, Evenement.Kind.ANONYMISE)
        signalement.save(update_fields=fields)
        _messages_forget(signalement)
        erased += 1
    followed = Abonnement.objects.filter(Q(user=user) | Q(email__iexact=user.email)).delete()[0]
    return {"signalements": erased, "abonnements": followed}
