"""Login and logout through FranceConnect and ProConnect: thin views over `client`.

Every refusal is journaled (SecurityEvent `oidc_rejected`, with its reason) and shown as a
French page with status 400 or 403 (502/503 when the provider cannot be used).
"""

import hmac
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socle.comptes.models import Identity
from socle.comptes.oidc import client
from socle.comptes.oidc.client import OIDCError
from socle.comptes.oidc.services import (
    account_link_requires_second_factor,
    identity_account_merge,
    identity_link,
    identity_login,
    is_placeholder_email,
    oidc_logout_record,
    oidc_rejection_record,
)
from socle.comptes.security import (
    login_attempt_start,
    login_attempt_succeeded,
    login_or_second_factor,
    normalise_email,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"
LABELS = {"franceconnect": "FranceConnect", "proconnect": "ProConnect"}

# What the person reads for each refusal; the reason code itself goes to the journal.
MESSAGES = {
    "not_configured": gettext_lazy(
        "La connexion avec ce service n’est pas configurée sur cette plateforme."
    ),
    "provider_unreachable": gettext_lazy(
        "Le service d’identification ne répond pas pour le moment. Réessayez dans quelques minutes."
    ),
    "provider_error": gettext_lazy(
        "La connexion a été interrompue ou refusée par le service d’identification."
    ),
    "state_mismatch": gettext_lazy(
        "Cette réponse de connexion ne correspond à aucune demande en cours dans ce navigateur, "
        "ou a déjà servi. Recommencez la connexion."
    ),
    "state_expired": gettext_lazy("La demande de connexion a expiré. Recommencez la connexion."),
    "token_refused": gettext_lazy(
        "Le service d’identification a refusé le code de connexion (déjà utilisé ou expiré). "
        "Recommencez la connexion."
    ),
    "account_disabled": gettext_lazy("Ce compte est désactivé."),
    "proconnect_no_access": gettext_lazy(
        "Aucun accès n’est ouvert pour cette adresse électronique. Demandez à l’administrateur "
        "de votre collectivité de vous inviter."
    ),
    "proconnect_no_email": gettext_lazy(
        "ProConnect n’a pas transmis d’adresse électronique : l’accès ne peut pas être ouvert."
    ),
    "identity_linked_elsewhere": gettext_lazy(
        "Cette identité est déjà liée à un autre compte de la plateforme."
    ),
    "account_unverified": gettext_lazy(
        "Confirmez d’abord votre adresse électronique avec le lien que nous vous avons envoyé "
        "(vous pouvez le demander à nouveau depuis « Mon espace ») : un compte dont l’adresse "
        "n’est pas vérifiée ne peut pas être lié à un autre moyen de connexion."
    ),
    "account_has_other_identity": gettext_lazy(
        "Ce compte est déjà lié à une autre identité de ce service."
    ),
    "link_session_changed": gettext_lazy(
        "Vous n’êtes plus connecté(e) au compte à lier. Connectez-vous puis recommencez."
    ),
    "logout_state_mismatch": gettext_lazy(
        "La réponse de déconnexion ne correspond à aucune demande de ce navigateur. Vous êtes "
        "bien déconnecté(e) de la plateforme."
    ),
}
DEFAULT_MESSAGE = gettext_lazy(
    "La réponse du service d’identification n’a pas passé nos contrôles de sécurité. Par "
    "précaution, la connexion est refusée. Recommencez ; si cela se reproduit, contactez-nous."
)


def _reject(request, provider_name: str, error: OIDCError):
    user = request.user if request.user.is_authenticated else None
    oidc_rejection_record(
        provider=provider_name,
        reason=error.reason,
        detail=error.detail,
        user=user,
        request=request,
    )
    return render(
        request,
        "comptes/oidc/erreur.html",
        {
            "message": MESSAGES.get(error.reason, DEFAULT_MESSAGE),
            "reason": error.reason,
            "provider_label": LABELS.get(provider_name, provider_name),
            "page_title": _("Connexion impossible"),
        },
        status=error.status,
    )


def _safe_next(request, value: str | None) -> str:
    """Keep a return URL only if it stays on this site (no open redirect)."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _callback_uri(provider_name: str) -> str:
    return settings.SITE_URL + reverse("oidc:retour", kwargs={"provider": provider_name})


def _logout_callback_uri(provider_name: str) -> str:
    return settings.SITE_URL + reverse(
        "oidc:deconnexion_retour", kwargs={"provider": provider_name}
    )


def _start(request, provider_name: str, *, intent: str, next_url: str):
    try:
        provider = client.get_provider(provider_name)
        if not provider.configured:
            raise OIDCError("not_configured", status=503)
        pending = client.pending_begin(
            request.session,
            provider=provider.name,
            intent=intent,
            next_url=next_url,
            user_id=request.user.pk if intent == "link" else None,
        )
        url = client.authorization_url(
            provider, pending=pending, redirect_uri=_callback_uri(provider.name)
        )
    except OIDCError as error:
        if error.reason == "unknown_provider":
            raise Http404 from error
        return _reject(request, provider_name, error)
    return redirect(url)


@require_POST
def connexion(request, provider):
    """Send the person to the provider to log in."""
    return _start(
        request, provider, intent="login", next_url=_safe_next(request, request.POST.get("next"))
    )


@login_required
@require_POST
def lier(request, provider):
    """Send a logged-in person to the provider, to link that identity to this account."""
    return _start(request, provider, intent="link", next_url=reverse("oidc:identites"))


@require_safe
def retour(request, provider):
    """The provider sends the person back here with a code (or an error) and our state."""
    try:
        config = client.get_provider(provider)
        pending = client.pending_consume(
            request.session, provider=config.name, state=request.GET.get("state")
        )
        # RFC 9207: a provider that names itself in the callback must be the one we asked.
        if "iss" in request.GET and request.GET["iss"].rstrip("/") != config.issuer:
            raise OIDCError("callback_wrong_issuer", detail=request.GET["iss"][:200])
        if request.GET.get("error"):
            raise OIDCError("provider_error", detail=request.GET["error"][:100])
        code = request.GET.get("code")
        if not code:
            raise OIDCError("missing_code")
        verified = client.authenticate(
            config, code=code, redirect_uri=_callback_uri(config.name), nonce=pending.nonce
        )
        if pending.intent == "link":
            if not request.user.is_authenticated or request.user.pk != pending.user_id:
                raise OIDCError("link_session_changed", status=403)
            identity_link(user=request.user, verified=verified, request=request)
            _remember_provider_login(request, config.name, verified.id_token, request.user)
            messages.success(
                request,
                _("Votre compte est lié à %(provider)s : vous pouvez vous connecter avec.")
                % {"provider": LABELS.get(config.name, config.name)},
            )
            return redirect("oidc:identites")
        outcome = identity_login(verified=verified, request=request)
    except OIDCError as error:
        if error.reason == "unknown_provider":
            raise Http404 from error
        return _reject(request, provider, error)
    if outcome.email_taken:
        redirect_to = reverse("oidc:identites")
        messages.info(
            request,
            _(
                "Un compte existe déjà avec l’adresse électronique transmise par FranceConnect. "
                "S’il est à vous, liez-le à FranceConnect ci-dessous avec son mot de passe : "
                "vous retrouverez tout au même endroit."
            ),
        )
    else:
        redirect_to = pending.next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    # Logs in, or asks first for the second factor that the account's roles require.
    response = login_or_second_factor(
        request, outcome.user, redirect_to=redirect_to, backend=BACKEND, method=config.name
    )
    # Kept for the provider's logout (after login(), which may start a new session).
    _remember_provider_login(request, config.name, verified.id_token, outcome.user)
    return response


def _remember_provider_login(request, provider: str, id_token: str, user) -> None:
    request.session[client.SESSION_LOGIN] = {
        "provider": provider,
        "id_token": id_token,
        "user_id": user.pk,
    }


def _provider_login(request) -> dict:
    """The provider login of this session's user, if that is how the user logged in."""
    info = request.session.get(client.SESSION_LOGIN) or {}
    if not request.user.is_authenticated or info.get("user_id") != request.user.pk:
        return {}
    return info


@require_http_methods(["GET", "HEAD", "POST"])
def deconnexion(request):
    """Log out of the platform and, after a provider login, of the provider too.

    Handles local sessions as well, so that it can serve as the site's only logout.
    """
    if request.method != "POST":
        if not request.user.is_authenticated:
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(
            request,
            "comptes/oidc/deconnexion.html",
            {"page_title": _("Se déconnecter"), "via": _via(request)},
        )
    login_info = _provider_login(request)
    provider_name = login_info.get("provider", "")
    if request.user.is_authenticated:
        oidc_logout_record(user=request.user, provider=provider_name, request=request)
    logout(request)
    if provider_name and login_info.get("id_token"):
        state = client.new_secret()
        try:
            url = client.end_session_url(
                client.get_provider(provider_name),
                id_token=login_info["id_token"],
                state=state,
                post_logout_redirect_uri=_logout_callback_uri(provider_name),
            )
        except OIDCError as error:
            oidc_rejection_record(
                provider=provider_name, reason=error.reason, detail=error.detail, request=request
            )
            url = None
        if url:
            request.session[client.SESSION_LOGOUT] = {
                "provider": provider_name,
                "state": state,
                "created": time.time(),
            }
            return redirect(url)
        messages.warning(
            request,
            _(
                "Vous êtes déconnecté(e) de la plateforme, mais %(provider)s n’a pas pu être "
                "joint : fermez votre navigateur pour clore aussi cette session."
            )
            % {"provider": LABELS.get(provider_name, provider_name)},
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    messages.success(request, _("Vous êtes déconnecté(e)."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _via(request) -> str:
    return LABELS.get(_provider_login(request).get("provider", ""), "")


@require_safe
def deconnexion_retour(request, provider):
    """The provider confirms the logout; the state must be the one we sent."""
    pending = request.session.pop(client.SESSION_LOGOUT, None) or {}
    state = request.GET.get("state") or ""
    if (
        pending.get("provider") != provider
        or not state
        or not hmac.compare_digest(str(pending.get("state", "")).encode(), state.encode())
        or pending.get("created", 0) < time.time() - client.PENDING_MAX_AGE
    ):
        return _reject(request, provider, OIDCError("logout_state_mismatch"))
    messages.success(
        request,
        _("Vous êtes déconnecté(e) de la plateforme et de %(provider)s.")
        % {"provider": LABELS.get(provider, provider)},
    )
    return redirect(settings.LOGOUT_REDIRECT_URL)


class LocalAccountLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique du compte existant"),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Mot de passe du compte existant"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


SECOND_FACTOR_ACCOUNT = gettext_lazy(
    "Ce compte est protégé par un second facteur : connectez-vous d’abord avec son mot de passe "
    "et son code, puis liez FranceConnect depuis « Mes connexions »."
)
WRONG_PASSWORD = gettext_lazy(
    "Adresse électronique ou mot de passe incorrect. Vérifiez-les et réessayez."
)


def _link_local_account(request, form):
    """Fold the provider-only account into the local one whose password was typed.

    Returns a response once done, or None with the form's errors set.
    """
    email = normalise_email(form.cleaned_data["email"])
    throttled, attempt = login_attempt_start(
        email=email, request=request, details={"via": "identity_link"}
    )
    if throttled is not None:
        form.add_error(None, throttled.message)
        return None
    assert attempt is not None
    local = authenticate(request, username=email, password=form.cleaned_data["password"])
    if local is None:
        # The failure was recorded before the password was checked.
        form.add_error(None, WRONG_PASSWORD)
        return None
    login_attempt_succeeded(attempt=attempt)
    if account_link_requires_second_factor(local):
        form.add_error(None, SECOND_FACTOR_ACCOUNT)
        return None
    try:
        merged = identity_account_merge(source=request.user, target=local, request=request)
    except OIDCError as error:
        return _reject(request, "franceconnect", error)
    login_info = _provider_login(request)
    messages.success(
        request,
        _(
            "Vos deux connexions mènent désormais au même compte : FranceConnect et votre mot "
            "de passe."
        ),
    )
    response = login_or_second_factor(
        request, merged, redirect_to=reverse("oidc:identites"), backend=BACKEND
    )
    if login_info:
        _remember_provider_login(request, login_info["provider"], login_info["id_token"], merged)
    return response


@never_cache
@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def identites(request):
    """My logins: the verified identities of my account, and linking another login."""
    user = request.user
    provider_only = not user.has_usable_password()
    form = LocalAccountLinkForm(request.POST or None) if provider_only else None
    status = 200
    if request.method == "POST":
        if form is None:
            return redirect("oidc:identites")
        status = 400
        if form.is_valid():
            response = _link_local_account(request, form)
            if response is not None:
                return response
    identities = Identity.objects.filter(user=user).order_by("provider")
    linked = {identity.provider for identity in identities}
    configured = client.configured_providers()
    return render(
        request,
        "comptes/oidc/identites.html",
        {
            "page_title": _("Mes connexions"),
            "nav": "espace",
            "identities": identities,
            "can_link_franceconnect": bool(configured.get("franceconnect"))
            and "franceconnect" not in linked,
            "form": form,
            "placeholder_email": is_placeholder_email(user.email),
        },
        status=status,
    )
