"""The citizen's rights over his or her data (RGPD): the export of everything, the deletion of
the account. « Mon espace » composes every module; so does this (docs/citoyen.md).

- Export (right of access and portability, articles 15 and 20): a ZIP with `donnees.json`
  (machine-readable) and the decrypted documents. Nothing is journaled: the citizen reads his
  own data.
- Deletion (right to erasure, article 17): in one transaction, the démarches module deletes
  drafts, anonymises the closed dossiers and unlinks the open ones (kept for their instruction,
  anonymised once closed: docs/demarches.md « Retention »); the reports lose their
  reporter's data; the citizen's file is deleted (its ciphertext once the transaction commits);
  the account row is anonymised (the personal-data journal keeps references to it).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.citoyen.selectors import citoyen_export
from socle.citoyen.services import citoyen_forget
from socle.comptes.models import Identity, SecurityEvent, TOTPDevice, User
from socle.demarches.services import usager_export, usager_forget
from socle.membres.selectors import active_roles
from socle.signalements.selectors import signalements_of_user
from socle.signalements.services import signalements_forget_user

EXPORT_FORMAT = "socle-export-1"
DELETED_EMAIL_DOMAIN = "supprime.invalid"


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "email_verifie_le": _moment(user.email_verified_at),
        "prenom": user.first_name,
        "nom": user.last_name,
        "inscrit_le": _moment(user.date_joined),
        "derniere_connexion": _moment(user.last_login),
        "mot_de_passe": user.has_usable_password(),
    }


def _identities(user: User) -> list[dict[str, Any]]:
    return [
        {
            "fournisseur": identity.provider,
            "sub": identity.sub,
            "prenoms": identity.given_name,
            "nom": identity.family_name,
            "nom_usage": identity.preferred_username,
            "date_naissance": _moment(identity.birthdate),
            "lieu_naissance": identity.birthplace,
            "pays_naissance": identity.birthcountry,
            "genre": identity.gender,
            "email": identity.email,
            "verifiee_le": _moment(identity.verified_at),
        }
        for identity in Identity.objects.filter(user=user).order_by("pk")
    ]


def _reports(user: User) -> list[dict[str, Any]]:
    return [
        {
            "reference": s.reference,
            "categorie": s.categorie_nom,
            "description": s.description,
            "reponses": s.reponses,
            "adresse": s.adresse,
            "commune": s.commune_nom,
            "commune_code": s.commune_code,
            "lat": s.lat,
            "lon": s.lon,
            "statut": s.statut,
            "statut_libelle": str(s.get_statut_display()),
            "traite_par": s.titulaire_nom,
            "auteur_nom": s.auteur_nom,
            "auteur_email": s.auteur_email,
            "auteur_telephone": s.auteur_telephone,
            "cree_le": _moment(s.cree_le),
            "confirme_le": _moment(s.confirme_le),
            "clos_le": _moment(s.clos_le),
        }
        for s in signalements_of_user(user)
    ]


def export_own(user: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Everything but the démarches: the account, its FranceConnect identities, the citizen's
    file, the reports. Return the JSON-ready data and the files by their archive path."""
    citoyen, files = citoyen_export(user)
    data = {
        "format": EXPORT_FORMAT,
        "exporte_le": timezone.now().isoformat(),
        "compte": _account(user),
        "identites": _identities(user),
        **citoyen,
        "signalements": _reports(user),
    }
    return data, files


def archive_write(data: dict[str, Any], files: dict[str, bytes]) -> bytes:
    """Write the export's ZIP: `donnees.json` and the files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        for path, content in sorted(files.items()):
            archive.writestr(path, content)
    return buffer.getvalue()


def export_archive(user: User) -> bytes:
    """The citizen's whole export: what `export_own` gives plus the démarches module's part
    (`usager_export`: JSON under "demarches", and its files under "fichiers", by path)."""
    data, files = export_own(user)
    demarches = dict(usager_export(user))
    # Its paths are the archive's already (« demarches/<reference>/… »), as its JSON names them.
    files.update(demarches.pop("fichiers", None) or {})
    data["demarches"] = demarches
    return archive_write(data, files)


def _deletable_check(user: User) -> None:
    """An agent's, élu's or opérateur's account is not deleted while it holds a role."""
    if active_roles(user).exists():
        raise ValidationError(
            _(
                "Votre compte porte un rôle dans une collectivité ou sur la plateforme : "
                "demandez qu’on vous le retire avant de supprimer votre compte."
            )
        )


@transaction.atomic
def account_erase(user: User) -> dict[str, Any]:
    """Everything of the deletion but the démarches: the reports lose their reporter's data,
    the citizen's file is deleted, the account is anonymised. Return counts."""
    _deletable_check(user)
    counts: dict[str, Any] = {
        "signalements": signalements_forget_user(user),
        "citoyen": citoyen_forget(usager=user),
    }
    locked = User.objects.select_for_update().get(pk=user.pk)
    counts["identites"] = Identity.objects.filter(user=locked).delete()[0]
    TOTPDevice.objects.filter(user=locked).delete()
    # The account's security history (addresses, browsers) has no one left to protect.
    SecurityEvent.objects.filter(user=locked).delete()
    locked.email = f"supprime-{locked.pk}@{DELETED_EMAIL_DOMAIN}"
    locked.email_verified_at = None
    locked.first_name = ""
    locked.last_name = ""
    locked.password = make_password(None)
    locked.last_login = None
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.session_epoch += 1
    locked.save(
        update_fields=[
            "email",
            "email_verified_at",
            "first_name",
            "last_name",
            "password",
            "last_login",
            "is_active",
            "is_staff",
            "is_superuser",
            "session_epoch",
        ]
    )
    locked.groups.clear()
    locked.user_permissions.clear()
    for name in ("email", "first_name", "last_name", "password", "is_active", "session_epoch"):
        setattr(user, name, getattr(locked, name))
    return counts


@transaction.atomic
def account_delete(user: User) -> dict[str, Any]:
    """Delete the citizen's account: the démarches module first (drafts deleted, closed dossiers
    anonymised, open ones unlinked and anonymised once closed), then `account_erase`."""
    _deletable_check(user)
    demarches = usager_forget(user)
    counts = account_erase(user)
    counts["demarches"] = demarches
    return counts
