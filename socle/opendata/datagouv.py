"""Publication on data.gouv.fr: its API client, the member's account, the publications' services
and reads.

Kept in this file rather than in `services.py` / `selectors.py`, which other work edits at the
same time; the rules are the same (writes permission-checked, transactional and audited; reads
taking the member or the user explicitly).

The client speaks udata's API (`DATAGOUV_API_URL`, `…/api/1`) with the member's key in the
`X-API-KEY` header. What it sends was checked against the data.gouv.fr guide « Gérer un jeu de
données par l'API » and udata's source (`udata/core/dataset/api.py`, `forms.py`):

- `POST /datasets/` with JSON `title`, `description` (both required by udata's DatasetForm),
  `organization` (udata's PublishAsField takes the id, or `{"id": …}`), `license` (data.gouv.fr's
  licence ids: `lov2` for the Licence Ouverte 2.0, `odc-odbl` for the ODbL), `frequency`
  (`daily`, `monthly`, `annual`, `punctual`, `unknown`…), `tags` → 201, the dataset's `id`;
- `PUT /datasets/{id}/` with the same fields updates the metadata;
- `POST /datasets/{id}/upload/`, multipart/form-data with the file in the `file` part → 201, the
  new resource (`id`, `url`, `filesize`, `checksum`…); `POST /datasets/{id}/resources/{rid}/upload/`
  replaces that resource's file (200);
- `PUT /datasets/{id}/resources/{rid}/` with `title`, `description`, `type: "main"` and
  `schema: {"name", "version"}` declares the schema the file follows.

A publication (`PublicationDataGouv`) is written with its task in the caller's transaction and
run by `socle.opendata.datagouv_tasks` (claimed with a lease, retried with a backoff, given up
after DATAGOUV_MAX_ATTEMPTS or at once when data.gouv.fr refuses the key or the request).
The API key is encrypted at rest with the platform's Fernet keys (SOCLE_ENCRYPTION_KEY, as the
second factor's secrets are) and never shown again: only its last four characters.
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.comptes.totp import fernet
from socle.membres.models import Membre
from socle.membres.permissions import grants_for, permission_check
from socle.membres.services import audit_record
from socle.opendata.models import CompteDataGouv, Jeu, PublicationDataGouv, Version
from socle.opendata.schemas import schema_load

# udata's organisation ids are MongoDB ObjectIds: 24 hexadecimal digits.
ORGANISATION_RE = re.compile(r"^[0-9a-f]{24}$")
KEY_MIN, KEY_MAX = 16, 2000
LICENCES: dict[str, str] = {Jeu.Licence.LO: "lov2", Jeu.Licence.ODBL: "odc-odbl"}
# What data.gouv.fr answers at most that we read (a dataset with its resources).
MAX_ANSWER = 5_000_000
E = PublicationDataGouv.Etat


# --- The API key, encrypted at rest --------------------------------------------------------------


def cle_chiffrer(cle: str) -> str:
    """Encrypt an API key for storage."""
    return fernet().encrypt(cle.encode()).decode()


def cle_dechiffrer(compte: CompteDataGouv) -> str | None:
    """The account's API key in clear, or None when no configured encryption key opens it."""
    try:
        return fernet().decrypt(compte.cle_chiffree.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def cle_fin(compte: CompteDataGouv) -> str:
    """The last four characters of the account's key (all that is ever shown), or ""."""
    cle = cle_dechiffrer(compte)
    return cle[-4:] if cle else ""


# --- The client ----------------------------------------------------------------------------------


class DataGouvErreur(Exception):
    """A call to data.gouv.fr that failed, with the French message shown to the administrator.

    `retry`: trying again later may succeed (network, 5xx); otherwise data.gouv.fr refused the key
    or the request, and only a person can fix it.
    """

    def __init__(self, message: str, *, retry: bool, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.status = status


def _udata_message(body: bytes) -> str:
    """udata's explanation in an error body (`message`, and `errors` by field), short."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get("message") or "")]
    errors = data.get("errors")
    if isinstance(errors, dict):
        parts += [f"{name} : {value}" for name, value in errors.items()]
    return " ; ".join(part for part in parts if part)[:500]


def _http_error(status: int, body: bytes) -> DataGouvErreur:
    detail = _udata_message(body)
    if status >= 500 or status == 429:
        return DataGouvErreur(
            _("data.gouv.fr est indisponible (erreur %(status)s).") % {"status": status},
            retry=True,
            status=status,
        )
    if status in (401, 403):
        return DataGouvErreur(
            _(
                "data.gouv.fr refuse la clé d’API (erreur %(status)s). Vérifiez la clé et "
                "l’identifiant de l’organisation dans les réglages data.gouv.fr (la clé doit "
                "appartenir à un membre de l’organisation), puis relancez la publication."
            )
            % {"status": status},
            retry=False,
            status=status,
        )
    if status in (404, 410):
        return DataGouvErreur(
            _(
                "Le jeu de données n’existe pas ou plus sur data.gouv.fr (erreur %(status)s). "
                "Il a peut-être été supprimé de data.gouv.fr."
            )
            % {"status": status},
            retry=False,
            status=status,
        )
    if status == 413:
        return DataGouvErreur(
            _("Le fichier est trop volumineux pour data.gouv.fr (erreur 413)."),
            retry=False,
            status=status,
        )
    message = _("data.gouv.fr refuse la demande (erreur %(status)s).") % {"status": status}
    if detail:
        message += " " + _("Détail : %(detail)s") % {"detail": detail}
    return DataGouvErreur(message, retry=False, status=status)


def _multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body holding the file in its `file` part, and its content type."""
    boundary = f"socle-{secrets.token_hex(16)}"
    safe_name = re.sub(r"[^\w.\-]", "_", filename) or "fichier.csv"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class DataGouvClient:
    """The few udata calls a publication makes, with one account's key."""

    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float | None = None):
        self.api_key = api_key
        self.base_url = (base_url or settings.DATAGOUV_API_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.DATAGOUV_TIMEOUT

    def _call(
        self,
        method: str,
        path: str,
        *,
        payload: dict[str, Any] | None = None,
        upload: tuple[str, bytes] | None = None,
    ) -> dict[str, Any]:
        if not self.base_url.startswith(("https://", "http://")):
            raise DataGouvErreur(
                _("L’adresse de l’API data.gouv.fr n’est pas une adresse http(s)."), retry=False
            )
        headers = {"Accept": "application/json", "X-API-KEY": self.api_key}
        data: bytes | None = None
        if payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        elif upload is not None:
            data, headers["Content-Type"] = _multipart(*upload)
        # The scheme is checked above: http(s) only.
        request = urllib.request.Request(  # noqa: S310
            f"{self.base_url}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            raise _http_error(error.code, error.read(100_000)) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise DataGouvErreur(
                _("data.gouv.fr ne répond pas (%(reason)s).") % {"reason": reason}, retry=True
            ) from error
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise DataGouvErreur(
                _("data.gouv.fr a fait une réponse illisible."), retry=True
            ) from error
        if not isinstance(answer, dict):
            raise DataGouvErreur(_("data.gouv.fr a fait une réponse inattendue."), retry=True)
        return answer

    @staticmethod
    def _id(answer: dict[str, Any]) -> str:
        value = answer.get("id")
        if not isinstance(value, str) or not value:
            raise DataGouvErreur(_("data.gouv.fr n’a pas donné d’identifiant."), retry=True)
        return value

    def dataset_create(self, payload: dict[str, Any]) -> str:
        """Create a dataset; return its id."""
        return self._id(self._call("POST", "/datasets/", payload=payload))

    def dataset_update(self, dataset_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._call("PUT", f"/datasets/{dataset_id}/", payload=payload)

    def dataset_get(self, dataset_id: str) -> dict[str, Any]:
        return self._call("GET", f"/datasets/{dataset_id}/")

    def resource_find(self, dataset_id: str, filename: str) -> str | None:
        """The id of the dataset's resource uploaded as `filename` (its title until we set
        ours), if any: an upload whose answer was lost."""
        resources = self.dataset_get(dataset_id).get("resources")
        for resource in resources if isinstance(resources, list) else []:
            if isinstance(resource, dict) and resource.get("title") == filename:
                found = resource.get("id")
                if isinstance(found, str) and found:
                    return found
        return None

    def resource_upload(self, dataset_id: str, filename: str, content: bytes) -> str:
        """Upload a file as a new resource of the dataset; return the resource's id."""
        answer = self._call("POST", f"/datasets/{dataset_id}/upload/", upload=(filename, content))
        return self._id(answer)

    def resource_file_replace(
        self, dataset_id: str, resource_id: str, filename: str, content: bytes
    ) -> dict[str, Any]:
        return self._call(
            "POST",
            f"/datasets/{dataset_id}/resources/{resource_id}/upload/",
            upload=(filename, content),
        )

    def resource_update(
        self, dataset_id: str, resource_id: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        return self._call(
            "PUT", f"/datasets/{dataset_id}/resources/{resource_id}/", payload=payload
        )


# --- What is sent --------------------------------------------------------------------------------


def dataset_payload(jeu: Jeu) -> dict[str, Any]:
    """The dataset's metadata as udata takes them (without the organisation)."""
    membre_nom = jeu.membre.collectivite.nom if jeu.membre is not None else ""
    description = jeu.description.strip() or (
        _("%(titre)s, publié par %(collectivite)s.")
        % {"titre": jeu.titre, "collectivite": membre_nom}
    )
    tags = []
    for word in jeu.mots_cles or []:
        tag = slugify(str(word))[:96]
        if len(tag) >= 3 and tag not in tags:
            tags.append(tag)
    return {
        "title": jeu.titre,
        "description": description,
        "license": LICENCES.get(jeu.licence, "lov2"),
        "frequency": jeu.frequence or "unknown",
        "tags": tags,
    }


def resource_payload(version: Version) -> dict[str, Any]:
    """The resource's metadata: its title, what this version is, and its schema if national."""
    jeu = version.jeu
    payload: dict[str, Any] = {
        "title": f"{jeu.titre} (CSV)",
        "description": _("Version %(numero)s, %(lignes)s lignes, publiée le %(date)s.")
        % {
            "numero": version.numero,
            "lignes": version.nb_lignes,
            "date": timezone.localtime(version.publie_le).strftime("%d/%m/%Y"),
        },
        "type": "main",
    }
    # Only the national schemas we ship are known to data.gouv.fr's schema catalogue.
    schema = schema_load(jeu.schema) if jeu.schema else None
    if schema is not None:
        payload["schema"] = {"name": schema.name, "version": schema.version or None}
    return payload


def resource_filename(jeu: Jeu) -> str:
    """The file's name on data.gouv.fr: the same for every version."""
    return f"{jeu.slug}.csv"


# --- The account ---------------------------------------------------------------------------------


@transaction.atomic
def datagouv_account_set(
    *, acting_user, membre: Membre, organisation: str, cle: str = "", actif: bool = True
) -> CompteDataGouv:
    """Set the member's data.gouv.fr organisation and API key (an empty key keeps the saved one).

    Audited without the key, which is stored encrypted and never shown again.
    """
    permission_check(acting_user, "opendata.datagouv", membre)
    organisation = str(organisation or "").strip().lower()
    cle = str(cle or "").strip()
    compte = CompteDataGouv.objects.select_for_update().filter(membre=membre).first()
    errors: dict[str, str] = {}
    if not ORGANISATION_RE.fullmatch(organisation):
        errors["organisation"] = _(
            "L’identifiant de l’organisation compte 24 caractères, chiffres et lettres de a à f "
            "(il figure dans l’adresse de l’API de l’organisation sur data.gouv.fr)."
        )
    if not cle and (compte is None or cle_dechiffrer(compte) is None):
        errors["cle"] = _("Saisissez la clé d’API de data.gouv.fr.")
    elif cle and (
        not (KEY_MIN <= len(cle) <= KEY_MAX) or any(c.isspace() or not c.isprintable() for c in cle)
    ):
        errors["cle"] = _(
            "Cette clé d’API ne ressemble pas à une clé de data.gouv.fr : copiez-la en entier "
            "depuis votre profil sur data.gouv.fr, sans espace."
        )
    if errors:
        raise ValidationError(errors)
    created = compte is None
    if compte is None:
        compte = CompteDataGouv(membre=membre)
    changes = {
        "organisation": organisation,
        "cle_changee": bool(cle),
        "actif": bool(actif),
    }
    compte.organisation = organisation
    if cle:
        compte.cle_chiffree = cle_chiffrer(cle)
    compte.actif = bool(actif)
    compte.modifie_le = timezone.now()
    compte.save()
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="datagouv.reglage",
        target=compte,
        details={**changes, "creation": created},
    )
    return compte


# --- Publications --------------------------------------------------------------------------------


def _task_enqueue(publication_id: int, *, run_after: datetime | None = None) -> None:
    from socle.opendata.datagouv_tasks import task_enqueue

    task_enqueue(publication_id, run_after=run_after)


@transaction.atomic
def datagouv_publish_enqueue(*, version: Version) -> PublicationDataGouv:
    """Record that the version is to be published on data.gouv.fr and queue its task, both in
    the caller's transaction (a rollback leaves neither)."""
    publication = PublicationDataGouv.objects.create(version=version, prochain_essai=timezone.now())
    _task_enqueue(publication.pk)
    return publication


def datagouv_after_publish(version: Version) -> PublicationDataGouv | None:
    """Queue the version's publication on data.gouv.fr when its member has an active account
    (called once a version is published); None when there is nothing to do."""
    membre_id = version.jeu.membre_id
    if membre_id is None:
        return None
    if not CompteDataGouv.objects.filter(membre_id=membre_id, actif=True).exists():
        return None
    return datagouv_publish_enqueue(version=version)


@transaction.atomic
def datagouv_retry(*, acting_user, publication: PublicationDataGouv) -> PublicationDataGouv:
    """Give a failed publication a new series of attempts, now (« Relancer »)."""
    publication = (
        PublicationDataGouv.objects.select_for_update()
        .select_related("version__jeu")
        .get(pk=publication.pk)
    )
    membre = publication.version.jeu.membre
    if membre is None:
        raise Http404
    permission_check(acting_user, "opendata.datagouv", membre)
    now = timezone.now()
    if publication.etat not in (E.ECHEC, E.ABANDON):
        raise ValidationError(_("Seule une publication en échec peut être relancée."))
    if publication.reserve_jusqu_a is not None and publication.reserve_jusqu_a > now:
        raise ValidationError(_("Cette publication est en cours : attendez qu’elle se termine."))
    publication.etat = E.EN_ATTENTE
    publication.tentatives = 0
    publication.prochain_essai = now
    publication.reserve_jusqu_a = None
    publication.save(update_fields=["etat", "tentatives", "prochain_essai", "reserve_jusqu_a"])
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="datagouv.relance",
        target=publication.version.jeu,
        details={"publication": publication.pk, "version": publication.version.numero},
    )
    _task_enqueue(publication.pk)
    return publication


def _due() -> Q:
    return Q(etat__in=[E.EN_ATTENTE, E.ECHEC])


@transaction.atomic
def datagouv_sweep(*, limit: int = 500) -> int:
    """Queue again the publications whose task is overdue (its worker was killed, or Redis lost
    it); return how many. One queued twice is still published once (the lease)."""
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.DATAGOUV_LEASE_SECONDS)
    ids = list(
        PublicationDataGouv.objects.filter(_due(), prochain_essai__lte=overdue)
        .filter(Q(reserve_jusqu_a__isnull=True) | Q(reserve_jusqu_a__lt=now))
        .values_list("pk", flat=True)[:limit]
    )
    # The next sweep leaves them alone until they are overdue again.
    PublicationDataGouv.objects.filter(pk__in=ids).update(prochain_essai=now)
    for publication_id in ids:
        _task_enqueue(publication_id)
    return len(ids)


# --- Reads ---------------------------------------------------------------------------------------


def datagouv_compte_of(*, user, membre: Membre) -> CompteDataGouv | None:
    """The member's data.gouv.fr account, for its staff."""
    permission_check(user, "opendata.voir", membre)
    return CompteDataGouv.objects.filter(membre=membre).first()


def datagouv_publications_for_user(*, user, membre: Membre) -> QuerySet[PublicationDataGouv]:
    """The member's publications on data.gouv.fr, latest first."""
    permission_check(user, "opendata.voir", membre)
    return (
        PublicationDataGouv.objects.filter(version__jeu__membre=membre)
        .select_related("version__jeu")
        .order_by("-cree_le", "-pk")
    )


def get_datagouv_publication_for_user(*, user, membre: Membre, pk: int) -> PublicationDataGouv:
    """One of the member's publications; 404 when it is not one."""
    found = datagouv_publications_for_user(user=user, membre=membre).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def datagouv_can_set(*, user, membre: Membre) -> bool:
    """Whether the user may change the account and relaunch publications."""
    return grants_for(user).has("opendata.datagouv", membre)
