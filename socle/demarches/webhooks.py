"""Signed webhooks: a member's business software is told of its dossiers' changes.

`webhooks_notify(dossier=, evenement=)` writes one `Livraison` per active webhook of the
dossier's member subscribed to the event, and queues its delivery task, in the caller's
transaction (a rollback leaves neither). The payload carries no personal data: the event, the
delivery's uid, the time, the dossier's reference, procedure and status, and its API address
(the receiver reads the rest with its API key).

Delivery (`livraison_deliver`, run by `tasks_webhooks.webhook_deliver`): the worker first claims
the delivery with one conditional UPDATE that moves `prochain_essai` a lease ahead
(`CLAIM_SECONDS`), so a second worker finds nothing due and sends nothing; a worker killed
mid-send leaves a lease that expires, and `livraisons_sweep` queues the delivery again. The
POST is signed (`X-Socle-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`) and carries
the same `X-Socle-Livraison` uid at every attempt. A 2xx answer delivers it; anything else is
retried after 1 min, 5 min, 30 min, 2 h, 6 h, 24 h…, and abandoned after `MAX_ATTEMPTS`.

Addresses: https only (http when DEBUG or DEMARCHES_WEBHOOK_ALLOW_HTTP), never one resolving to
a private, loopback, link-local or reserved address (unless DEMARCHES_WEBHOOK_ALLOW_PRIVATE):
checked when the webhook is added and again at each attempt, and the connection goes to the
address checked (no second DNS answer), without following redirects.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.comptes.totp import SecretUndecryptable, secret_decrypt, secret_encrypt
from socle.core.tasks import task_enqueue
from socle.demarches.models import Dossier, Livraison, Webhook
from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record

logger = logging.getLogger(__name__)

# Every event a webhook may subscribe to (an empty subscription: all of them).
EVENEMENTS = {
    "dossier.depose": gettext_lazy("Dossier déposé"),
    "dossier.statut": gettext_lazy("Statut d’un dossier changé"),
    "dossier.message": gettext_lazy("Message de l’usager"),
    "dossier.piece_fournie": gettext_lazy("Pièce fournie par l’usager"),
}
# The wait after each failed attempt (the last one repeats), and when to give up.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=24),
)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
# How long a worker owns a delivery it claimed (well above the timeout).
CLAIM_SECONDS = 120
# At most this much of an answer is read (only its status matters).
MAX_ANSWER_BYTES = 4096
USER_AGENT = "Socle-Webhooks/1"


class WebhookRefused(Exception):
    """The address may not be called (scheme, private address, unknown host)."""


# --- Addresses (SSRF) --------------------------------------------------------------------------


# NAT64 (RFC 6052): the well-known prefix, with the IPv4 address in the last 32 bits, and the
# local-use prefix (RFC 8215), where the operator's prefix length decides where the IPv4 sits.
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
# IPv4-compatible addresses (::a.b.c.d, deprecated by RFC 4291 but still routed by some stacks).
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _rfc6052_candidates(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a local-use NAT64 address may carry, one per prefix length the
    operator may have chosen inside 64:ff9b:1::/48 (/48, /56, /64, /96; bits 64-71 are skipped)."""
    n = int(ip)

    def bits(start: int, length: int) -> int:  # `length` bits from bit `start` (0 = leftmost)
        return (n >> (128 - start - length)) & ((1 << length) - 1)

    return [
        ipaddress.IPv4Address(value)
        for value in (
            bits(48, 16) << 16 | bits(72, 16),
            bits(56, 8) << 24 | bits(72, 24),
            bits(72, 32),
            bits(96, 32),
        )
    ]


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (mapped, compatible, 6to4, Teredo, NAT64);
    empty for a plain IPv6 address."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)  # the relay and the client behind it
    if ip in NAT64_WELL_KNOWN or ip in IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip in NAT64_LOCAL_USE:
        return _rfc6052_candidates(ip)
    return []


def _allowed_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Say whether a webhook may connect to this address: a public unicast one. An IPv6 address
    that carries an IPv4 one (mapped, ::a.b.c.d, 6to4, Teredo, NAT64) is judged by every IPv4
    address it carries; site-local (fec0::/10), reserved and other non-global ones are refused."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded:
            return all(_allowed_ip(inner) for inner in embedded)
        if ip.is_site_local or ip.is_reserved:
            return False
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    """Return the addresses of a host, checked; raise WebhookRefused (French message)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise WebhookRefused(
            _("L’adresse « %(host)s » est introuvable.") % {"host": host}
        ) from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise WebhookRefused(_("L’adresse « %(host)s » est introuvable.") % {"host": host})
    if not settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if not _allowed_ip(ipaddress.ip_address(address.split("%")[0])):
                raise WebhookRefused(
                    _(
                        "L’adresse « %(host)s » mène à un réseau privé ou local : un webhook "
                        "doit appeler une adresse publique."
                    )
                    % {"host": host}
                )
    return addresses


def _target(url: str) -> tuple[str, str, int, str]:
    """Return (scheme, host, port, path with query) of an allowed URL, or raise WebhookRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise WebhookRefused(_("Cette adresse n’est pas valide.")) from error
    scheme = parts.scheme.lower()
    allow_http = settings.DEBUG or settings.DEMARCHES_WEBHOOK_ALLOW_HTTP
    if scheme != "https" and not (scheme == "http" and allow_http):
        raise WebhookRefused(_("L’adresse d’un webhook doit commencer par https://."))
    if not parts.hostname or parts.username or parts.password:
        raise WebhookRefused(_("Cette adresse n’est pas valide."))
    port = port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, path


def url_check(url: str) -> str:
    """Return the URL if a webhook may call it; raise ValidationError (on « url ») otherwise."""
    url = (url or "").strip()
    try:
        _scheme, host, port, _path = _target(url)
        _resolve(host, port)
    except WebhookRefused as refused:
        raise ValidationError({"url": str(refused)}) from refused
    return url


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the URL, connecting to the address checked; return the HTTP status."""
    scheme, host, port, path = _target(url)
    address = _resolve(host, port)[0].split("%")[0]
    timeout = urllib3.Timeout(total=TIMEOUT_SECONDS)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port=port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port=port, timeout=timeout, retries=False)
    default_port = 443 if scheme == "https" else 80
    host_header = f"[{host}]" if ":" in host else host
    if port != default_port:
        host_header = f"{host_header}:{port}"
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        response.read(MAX_ANSWER_BYTES)
        response.release_conn()
        return response.status
    finally:
        pool.close()


# --- What an attempt's failure is called (shown to the member's administrators) ---------------


def status_message(status: int) -> str:
    """The French message of an answer that is not a 2xx (starts with « HTTP <status> »)."""
    return _(
        "HTTP %(status)s : le serveur n’a pas accepté la livraison (réponse 2xx attendue)."
    ) % {"status": status}


def error_message(exc: BaseException) -> str:
    """The French message of a failed attempt, by kind; the details go to the log only (they
    may be in English, or name internal addresses)."""
    if isinstance(exc, WebhookRefused):
        return str(exc)  # already French: refused or unknown address (DNS), webhook disabled
    if isinstance(exc, SecretUndecryptable):
        return _(
            "Le secret de signature ne peut pas être déchiffré (clé de chiffrement de la "
            "plateforme changée) : supprimez ce webhook et créez-en un nouveau."
        )
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # before TimeoutError: a subclass
        if isinstance(exc.__cause__ or exc.__context__, ConnectionRefusedError):
            return _("Le serveur a refusé la connexion.")
        return _("Connexion au serveur impossible.")
    if isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError):
        return _("Le serveur n’a pas répondu dans les %(seconds)d secondes.") % {
            "seconds": TIMEOUT_SECONDS
        }
    if isinstance(exc, urllib3.exceptions.SSLError | ssl.SSLError):
        return _(
            "La connexion sécurisée (TLS) a échoué : certificat invalide, expiré ou ne "
            "correspondant pas au nom du serveur."
        )
    if isinstance(exc, urllib3.exceptions.ProtocolError | ConnectionError):
        return _("La connexion a été interrompue par le serveur.")
    if isinstance(exc, urllib3.exceptions.HTTPError | OSError):
        return _("Erreur de communication avec le serveur.")
    return _("Erreur inattendue pendant l’envoi.")


# --- Signing -----------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the X-Socle-Signature header of a body: t=<unix>,v1=<hex HMAC-SHA256>."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def signature_verify(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """Say whether a signature header is this body's, made less than `tolerance` s ago (what a
    receiver does; docs/api.md shows the same in a few lines)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


# --- Notifying ---------------------------------------------------------------------------------


def dossier_api_url(dossier: Dossier) -> str:
    """Return the dossier's address in the API (absolute)."""
    return settings.SITE_URL + reverse(
        "api-demarches:dossier",
        kwargs={"slug": dossier.membre.slug, "reference": dossier.reference},
    )


def payload_for(
    *, dossier: Dossier, evenement: str, uid: str, moment: datetime, statut: str = ""
) -> dict:
    """Return what a delivery says: no personal data, only what to read with the API;
    ``statut``: the dossier's status at the event, if not its current one."""
    return {
        "evenement": evenement,
        "livraison": uid,
        "date": moment.isoformat(timespec="seconds"),
        "dossier": {
            "reference": dossier.reference,
            "demarche": dossier.demarche.slug,
            "statut": statut or dossier.statut,
            "url": dossier_api_url(dossier),
        },
    }


def webhooks_notify(
    *, dossier: Dossier, evenement: str, moment: datetime | None = None, statut: str = ""
) -> list[Livraison]:
    """Queue a delivery of this event to each active webhook of the dossier's member that
    subscribes to it, in the caller's transaction; return the deliveries. ``moment`` and
    ``statut``: when the event happened and the status it left, if not now's."""
    if evenement not in EVENEMENTS:
        raise ValueError(f"unknown webhook event {evenement!r}")
    hooks = [
        hook
        for hook in Webhook.objects.filter(membre_id=dossier.membre_id, actif=True)
        if not hook.evenements or evenement in hook.evenements
    ]
    livraisons = []
    now = timezone.now()
    for hook in hooks:
        uid = str(uuid.uuid4())
        livraison = Livraison.objects.create(
            webhook=hook,
            uid=uid,
            evenement=evenement,
            dossier=dossier,
            payload=payload_for(
                dossier=dossier,
                evenement=evenement,
                uid=uid,
                moment=moment or now,
                statut=statut,
            ),
            prochain_essai=now,
        )
        _enqueue(livraison.pk)
        livraisons.append(livraison)
    return livraisons


def _enqueue(livraison_id: int, *, run_after: datetime | None = None) -> None:
    from socle.demarches.tasks_webhooks import webhook_deliver

    task_enqueue(webhook_deliver, livraison_id, run_after=run_after)


# --- Delivering --------------------------------------------------------------------------------


def livraison_claim(livraison_id: int) -> datetime | None:
    """Take a due delivery for this worker, atomically: return the lease's end (which names
    the claim), or None when it is not ours to send (delivered, abandoned, not due, or taken)."""
    now = timezone.now()
    # A random part makes the lease's end this claim's own, even for two workers at once.
    until = now + timedelta(seconds=CLAIM_SECONDS, microseconds=secrets.randbelow(1_000_000))
    claimed = Livraison.objects.filter(
        pk=livraison_id, etat=Livraison.Etat.EN_ATTENTE, prochain_essai__lte=now
    ).update(prochain_essai=until)
    return until if claimed else None


def retry_delay(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt (1-based)."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def livraison_deliver(livraison_id: int) -> str:
    """Send one delivery if this worker can claim it; record the attempt; plan the next one.
    Return "skipped", "delivered", "retry" or "abandoned"."""
    lease = livraison_claim(livraison_id)
    if lease is None:
        return "skipped"
    livraison = Livraison.objects.select_related("webhook").get(pk=livraison_id)
    hook = livraison.webhook
    body = json.dumps(livraison.payload, ensure_ascii=False, separators=(",", ":")).encode()
    status: int | None = None
    error = ""
    try:
        if not hook.actif:
            raise WebhookRefused(_("Webhook désactivé."))
        secret = secret_decrypt(hook.secret)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Socle-Evenement": livraison.evenement,
            "X-Socle-Livraison": livraison.uid,
            "X-Socle-Signature": signature(secret, int(time.time()), body),
        }
        status = _post(hook.url, body, headers)
        if not 200 <= status < 300:
            error = status_message(status)
    except Exception as exc:  # noqa: BLE001 - any failure is an attempt to record and retry
        error = error_message(exc)[:300]
        logger.warning(
            "webhook delivery %s to %s (attempt %s): %r",
            livraison.uid,
            hook.url,
            livraison.tentatives + 1,
            exc,
            exc_info=not isinstance(exc, WebhookRefused | SecretUndecryptable),
        )
    now = timezone.now()
    attempts = livraison.tentatives + 1
    essais = [
        *livraison.essais,
        {"le": now.isoformat(timespec="seconds"), "reponse": status, "erreur": error},
    ]
    changes: dict[str, Any] = {
        "tentatives": attempts,
        "derniere_reponse": status,
        "derniere_erreur": error,
        "essais": essais,
    }
    if not error:
        outcome = "delivered"
        changes.update(etat=Livraison.Etat.LIVREE, livree_le=now, prochain_essai=now)
    elif attempts >= MAX_ATTEMPTS:
        outcome = "abandoned"
        changes.update(etat=Livraison.Etat.ECHEC, prochain_essai=now)
    else:
        outcome = "retry"
        changes["prochain_essai"] = now + retry_delay(attempts)
    with transaction.atomic():
        # Only while the claim is still ours (a lease that expired may have been taken again).
        recorded = Livraison.objects.filter(pk=livraison_id, prochain_essai=lease).update(**changes)
        if recorded and outcome == "retry":
            _enqueue(livraison_id, run_after=changes["prochain_essai"])
    if error and status is not None:
        logger.warning("webhook delivery %s (attempt %s): HTTP %s", livraison.uid, attempts, status)
    return outcome if recorded else "skipped"


def livraisons_sweep(*, limit: int = 500) -> int:
    """Queue again the pending deliveries whose task was lost (a killed worker, a lost Redis
    job): those due for more than a claim's length. Return how many. (A delivery queued twice
    is still sent once: the claim decides.)"""
    overdue = timezone.now() - timedelta(seconds=CLAIM_SECONDS)
    ids = list(
        Livraison.objects.filter(
            etat=Livraison.Etat.EN_ATTENTE, prochain_essai__lte=overdue
        ).values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for livraison_id in ids:
            _enqueue(livraison_id)
    return len(ids)


# --- The back office's writes ------------------------------------------------------------------


def evenements_check(evenements: list[str]) -> list[str]:
    """Return the subscribed events in EVENEMENTS order; raise ValidationError on an unknown."""
    unknown = [name for name in evenements if name not in EVENEMENTS]
    if unknown:
        raise ValidationError(
            {"evenements": _("Événement inconnu : %(nom)s.") % {"nom": ", ".join(unknown)}}
        )
    return [name for name in EVENEMENTS if name in evenements]


@transaction.atomic
def webhook_create(
    *, acting_user, membre: Membre, url: str, evenements: list[str]
) -> tuple[Webhook, str]:
    """Add a webhook to the member; return it and its signing secret, shown once (stored
    encrypted)."""
    permission_check(acting_user, "demarches.configurer", membre)
    errors: dict[str, list[str]] = {}
    try:
        url = url_check(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        evenements = evenements_check(evenements)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    hook = Webhook.objects.create(
        membre=membre,
        url=url,
        secret=secret_encrypt(secret),
        evenements=evenements,
        cree_par=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="webhook.creation",
        target=hook,
        details={"url": url, "evenements": evenements},
    )
    return hook, secret


@transaction.atomic
def webhook_delete(*, acting_user, webhook: Webhook) -> None:
    """Delete a webhook and its deliveries (nothing more is sent to it)."""
    permission_check(acting_user, "demarches.configurer", webhook.membre)
    audit_record(
        acting_user=acting_user,
        membre=webhook.membre,
        action="webhook.suppression",
        target=webhook,
        details={"url": webhook.url},
    )
    webhook.delete()


@transaction.atomic
def livraison_retry(*, acting_user, livraison: Livraison) -> Livraison:
    """Give an abandoned delivery a new series of attempts (same uid, same payload)."""
    membre = livraison.webhook.membre
    permission_check(acting_user, "demarches.configurer", membre)
    livraison = Livraison.objects.select_for_update().get(pk=livraison.pk)
    if livraison.etat != Livraison.Etat.ECHEC:
        raise ValidationError(_("Cette livraison n’est pas abandonnée."))
    livraison.etat = Livraison.Etat.EN_ATTENTE
    livraison.tentatives = 0
    livraison.prochain_essai = timezone.now()
    livraison.save(update_fields=["etat", "tentatives", "prochain_essai"])
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="webhook.relance",
        target=livraison.webhook,
        details={"livraison": livraison.uid, "evenement": livraison.evenement},
    )
    _enqueue(livraison.pk)
    return livraison


# --- Reads of the back office (the member is explicit) -----------------------------------------


def webhooks_of(*, membre: Membre) -> list[Webhook]:
    """Return the member's webhooks."""
    return list(Webhook.objects.filter(membre=membre).order_by("pk"))


def get_webhook_for_user(*, user, membre: Membre, pk: int) -> Webhook:
    """Return one of the member's webhooks to a user who may configure them; 404 otherwise
    (the member was resolved and the permission checked by @membre_view)."""
    permission_check(user, "demarches.configurer", membre)
    hook = Webhook.objects.filter(membre=membre, pk=pk).select_related("membre").first()
    if hook is None:
        raise Http404
    return hook


def livraisons_of(*, webhook: Webhook, limit: int = 100) -> list[Livraison]:
    """Return a webhook's latest deliveries, newest first."""
    return list(
        Livraison.objects.filter(webhook=webhook)
        .select_related("dossier")
        .order_by("-cree_le", "-pk")[:limit]
    )


def get_livraison_for_user(*, user, webhook: Webhook, pk: int) -> Livraison:
    """Return one delivery of a webhook already reached through get_webhook_for_user."""
    permission_check(user, "demarches.configurer", webhook.membre)
    livraison = Livraison.objects.filter(webhook=webhook, pk=pk).select_related("webhook").first()
    if livraison is None:
        raise Http404
    return livraison
