"""Accounts: log in (password, then a second factor when needed) and out, sign up, verify an
address, passwords, the second factor, my space, and accepting an invitation."""

import functools
import logging
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    INTERNAL_RESET_SESSION_TOKEN,
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetConfirmView,
    redirect_to_login,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socle.comptes import roles, totp
from socle.comptes.forms import (
    CodeForm,
    EmailAuthenticationForm,
    InscriptionForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SecondFactorResetForm,
)
from socle.comptes.models import SecurityEvent, User
from socle.comptes.oidc import configured_providers
from socle.comptes.security import (
    ENROLMENT_USER,
    SECOND_FACTOR_AT,
    Throttled,
    email_verification_token,
    login_attempt_start,
    login_attempt_succeeded,
    login_complete,
    login_or_second_factor,
    login_pending_backend,
    login_pending_clear,
    login_pending_method,
    login_pending_redirect,
    login_pending_user,
    login_throttle_check,
    normalise_email,
    second_factor_device,
    second_factor_required,
    security_event_record,
    session_logged_in_recently,
    user_for_email,
)
from socle.comptes.services import (
    account_register,
    email_verification_send,
    email_verify,
    password_reset_request,
    password_set,
    totp_code_check,
    totp_device_disable,
    totp_device_reset,
    totp_device_start,
)

PASSWORD_ERROR_CODES = {
    "password_too_short",
    "password_too_common",
    "password_entirely_numeric",
    "password_too_similar",
    "password_too_simple",
}
WRONG_CODE = gettext_lazy(
    "Ce code n’est pas valable : il est faux, a expiré ou a déjà servi. Attendez le code "
    "suivant et réessayez."
)


# --- Logging in and out ------------------------------------------------------------------------


class Connexion(LoginView):
    """Step 1 of the login: the password. Throttled per account and per IP."""

    template_name = "comptes/connexion.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"nav": "connexion", "page_title": gettext_lazy("Se connecter")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only the identity providers this deployment is configured for get a button.
        context["oidc_providers"] = configured_providers()
        return context

    def post(self, request, *args, **kwargs):
        email = normalise_email(request.POST.get("username", ""))
        self.attempt = None
        if email and request.POST.get("password"):
            # Counted before the password is checked, atomically: see login_attempt_start.
            throttled, self.attempt = login_attempt_start(email=email, request=request)
        else:
            throttled = login_throttle_check(email=email, request=request)
        if throttled is None:
            return super().post(request, *args, **kwargs)
        # Refused without checking the password.
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN_THROTTLED,
            user=user_for_email(email),
            request=request,
            details={"email": email, "scope": throttled.scope},
        )
        form = self.get_form_class()(request=request, initial={"username": email})
        context = self.get_context_data(form=form, throttled=throttled.message)
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(throttled.retry_after)
        return response

    def form_valid(self, form):
        if self.attempt is not None:
            login_attempt_succeeded(attempt=self.attempt)
        user = form.get_user()
        return login_or_second_factor(
            self.request,
            user,
            redirect_to=self.get_success_url(),
            backend=getattr(user, "backend", None) or "django.contrib.auth.backends.ModelBackend",
        )

    # form_invalid: the failure was recorded before the password was checked.


class Deconnexion(LogoutView):
    """Log out (POST only, as Django requires); also cancels a pending login."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            security_event_record(
                kind=SecurityEvent.Kind.LOGOUT, user=request.user, request=request
            )
        return super().post(request, *args, **kwargs)


logger = logging.getLogger(__name__)


def _undecryptable_secret_page(view):
    """Answer a clear page, not a 500, when the user's second factor cannot be decrypted.

    It happens after SECRET_KEY or SOCLE_ENCRYPTION_KEY changed without the old key in
    SECRET_KEY_FALLBACKS or SOCLE_ENCRYPTION_KEY: only an opérateur's reset helps.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except totp.SecretUndecryptable:
            user = login_pending_user(request) or request.user
            logger.error(
                "The second factor of user %s cannot be decrypted with the configured keys "
                "(SECRET_KEY, SECRET_KEY_FALLBACKS, SOCLE_ENCRYPTION_KEY).",
                getattr(user, "pk", None),
            )
            return render(
                request,
                "comptes/second_facteur_indechiffrable.html",
                {"nav": "connexion"},
                status=409,
            )

    return wrapped


def _code_step_response(request, template, context, *, form, status):
    context = {"form": form, "nav": "connexion", **context}
    return render(request, f"comptes/{template}", context, status=status)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
@_undecryptable_secret_page
def second_facteur(request):
    """Step 2 of the login: a code of the user's authenticator. Throttled per account."""
    user = login_pending_user(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect("portail:espace")
        messages.info(request, _("Saisissez d’abord votre adresse et votre mot de passe."))
        return redirect("comptes:connexion")
    if second_factor_device(user) is None:
        return redirect("comptes:second_facteur_activer")
    form = CodeForm(request.POST or None)
    status = 200
    context: dict[str, Any] = {"pending_user": user}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            checked = totp_code_check(user=user, code=form.cleaned_data["code"], request=request)
            if isinstance(checked, Throttled):
                security_event_record(
                    kind=SecurityEvent.Kind.LOGIN_THROTTLED,
                    user=user,
                    request=request,
                    details={"scope": checked.scope},
                )
                context["throttled"] = checked.message
                response = _code_step_response(
                    request, "second_facteur.html", context, form=CodeForm(), status=429
                )
                response["Retry-After"] = str(checked.retry_after)
                return response
            if checked:
                redirect_to = login_pending_redirect(request)
                login_complete(
                    request,
                    user,
                    backend=login_pending_backend(request),
                    second_factor=True,
                    method=login_pending_method(request),
                )
                return HttpResponseRedirect(redirect_to)
            form.add_error("code", WRONG_CODE)
    return _code_step_response(request, "second_facteur.html", context, form=form, status=status)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
@_undecryptable_secret_page
def second_facteur_activer(request):
    """Enrol an authenticator: during a pending login (mandatory) or from my space (optional)."""
    pending = login_pending_user(request)
    user = pending or (request.user if request.user.is_authenticated else None)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if second_factor_device(user) is not None:
        if pending is not None:
            return redirect("comptes:second_facteur")
        messages.info(request, _("Votre second facteur est déjà activé."))
        return redirect("portail:espace")
    form = CodeForm(request.POST or None)
    status = 200
    context: dict = {"pending_user": pending}
    if request.method == "POST":
        checked = (
            totp_code_check(
                user=user, code=form.cleaned_data["code"], enrolment=True, request=request
            )
            if form.is_valid()
            else False
        )
        if isinstance(checked, Throttled):
            context["throttled"] = checked.message
            form, status = CodeForm(), 429
        elif checked:
            request.session.pop(ENROLMENT_USER, None)
            messages.success(
                request,
                _("Votre second facteur est activé : il vous sera demandé à chaque connexion."),
            )
            if pending is not None:
                redirect_to = login_pending_redirect(request)
                login_complete(
                    request,
                    user,
                    backend=login_pending_backend(request),
                    second_factor=True,
                    method=login_pending_method(request),
                )
                return HttpResponseRedirect(redirect_to)
            request.session[SECOND_FACTOR_AT] = int(time.time())
            return redirect("portail:espace")
        else:
            if form.is_valid():
                form.add_error("code", WRONG_CODE)
            status = 400
    # A new secret for each session that enrols, kept while this session retries.
    renew = request.session.get(ENROLMENT_USER) != user.pk
    secret = totp_device_start(user=user, renew=renew)
    request.session[ENROLMENT_USER] = user.pk
    uri = totp.provisioning_uri(secret, account=user.email)
    context.update(
        {
            "otpauth_uri": uri,
            "secret_groups": totp.grouped(secret),
            "qr_svg": totp.qr_svg(
                uri, label=_("QR code à scanner avec votre application d’authentification")
            ),
            "required": second_factor_required(user),
        }
    )
    return _code_step_response(
        request, "second_facteur_activer.html", context, form=form, status=status
    )


@login_required
@sensitive_post_parameters("code")
@require_POST
@_undecryptable_secret_page
def second_facteur_desactiver(request):
    """Switch an optional second factor off, with a valid code."""
    if second_factor_required(request.user):
        raise PermissionDenied
    form = CodeForm(request.POST)
    if form.is_valid() and totp_device_disable(
        user=request.user, code=form.cleaned_data["code"], request=request
    ):
        request.session.pop(SECOND_FACTOR_AT, None)
        messages.success(request, _("Votre second facteur est désactivé."))
    else:
        messages.error(request, _("Code non valable : le second facteur reste activé."))
    return redirect("portail:espace")


@login_required
@require_http_methods(["GET", "POST"])
def second_facteur_reinitialiser(request):
    """An opérateur removes someone's second factor (lost phone); it is journaled."""
    if not roles.user_may_reset_second_factors(request.user):
        raise PermissionDenied
    form = SecondFactorResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            target = user_for_email(form.cleaned_data["email"])
            if target is None:
                form.add_error("email", _("Aucun compte n’a cette adresse."))
            elif target == request.user:
                form.add_error(
                    "email", _("Un autre opérateur doit réinitialiser votre propre second facteur.")
                )
            else:
                had_device = totp_device_reset(
                    acting_user=request.user, user=target, request=request
                )
                messages.success(
                    request,
                    _(
                        "Le second facteur de %(email)s est réinitialisé : la personne en "
                        "activera un nouveau à sa prochaine connexion."
                    )
                    % {"email": target.email}
                    if had_device
                    else _("%(email)s n’avait pas de second facteur activé.")
                    % {"email": target.email},
                )
                next_url = request.POST.get("next", "")
                if url_has_allowed_host_and_scheme(
                    next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    return HttpResponseRedirect(next_url)
                return redirect("comptes:second_facteur_reinitialiser")
    return render(
        request,
        "comptes/second_facteur_reinitialiser.html",
        {"form": form, "nav": "espace"},
        status=status,
    )


# --- Signing up and verifying the address ------------------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def inscription(request):
    """A citizen creates a local account; the answer never tells whether the address is taken."""
    if request.user.is_authenticated:
        return redirect("portail:espace")
    form = InscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"].strip(),
                last_name=form.cleaned_data["last_name"].strip(),
                request=request,
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            request.session["_socle_signup_email"] = normalise_email(form.cleaned_data["email"])
            return redirect("comptes:inscription_envoyee")
    return render(
        request,
        "comptes/inscription.html",
        {"form": form, "nav": "connexion"},
        status=400 if form.is_bound else 200,
    )


@require_safe
def inscription_envoyee(request):
    """Check your mailbox (said whether or not the account was created)."""
    return render(
        request,
        "comptes/inscription_envoyee.html",
        {"email": request.session.get("_socle_signup_email", ""), "nav": "connexion"},
    )


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (TypeError, ValueError, OverflowError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def verification(request, uidb64, token):
    """Verify an address: the link shows a button (mail scanners only GET), POST verifies."""
    user = _user_from_uid(uidb64)
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "comptes/verification_invalide.html", status=410)
    if request.method == "POST":
        if not email_verify(user=user, token=token, request=request):
            return render(request, "comptes/verification_invalide.html", status=410)
        messages.success(request, _("Votre adresse électronique est vérifiée. Merci !"))
        if request.user.is_authenticated:
            return redirect("portail:espace")
        return redirect("comptes:connexion")
    # The page's one action is to confirm: no notice offering to send another link above it.
    return render(
        request,
        "comptes/verification.html",
        {"verified_user": user, "hide_verification_banner": True},
    )


@login_required
@require_POST
def verification_renvoyer(request):
    """Send the verification link again."""
    if request.user.email_verified_at is None:
        email_verification_send(user=request.user)
        messages.success(
            request,
            _("Un nouveau lien de vérification a été envoyé à %(email)s.")
            % {"email": request.user.email},
        )
    return redirect("portail:espace")


# --- Passwords ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def mot_de_passe_oubli(request):
    """Ask for a reset link; the answer never tells whether the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"], request=request)
        return redirect("comptes:mot_de_passe_oubli_envoye")
    return render(
        request,
        "comptes/mot_de_passe_oubli.html",
        {"form": form, "nav": "connexion"},
        status=400 if form.is_bound else 200,
    )


@require_safe
def mot_de_passe_oubli_envoye(request):
    return render(request, "comptes/mot_de_passe_oubli_envoye.html", {"nav": "connexion"})


class MotDePasseNouveau(PasswordResetConfirmView):
    """Choose a new password from an emailed link (Django's view: expires, works once)."""

    # The stubs want a SetPasswordForm; NewPasswordForm takes the same (user, data) arguments.
    form_class = NewPasswordForm  # type: ignore[assignment]
    template_name = "comptes/mot_de_passe_nouveau.html"
    success_url = reverse_lazy("comptes:connexion")
    extra_context = {"nav": "connexion"}

    def form_valid(self, form):
        # A form only reaches form_valid through a valid link, which set the user.
        assert self.user is not None
        password_set(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            via="reset",
            request=self.request,
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login_pending_clear(self.request)
        messages.success(
            self.request, _("Votre mot de passe est changé : connectez-vous avec le nouveau.")
        )
        return HttpResponseRedirect(self.get_success_url())

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs["status"] = 410
        elif self.request.method == "POST":
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


# How recent the login must be to give a password to an account opened by a provider.
PASSWORD_DEFINE_FRESH_SECONDS = 10 * 60


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def mot_de_passe_definir(request):
    """Give a password to an account that has none (opened by FranceConnect or ProConnect).

    There is no current password to ask for: the session itself, opened by the provider, is
    the proof. An account with a password changes it instead.
    """
    user = request.user
    if user.has_usable_password():
        return redirect("comptes:mot_de_passe_changer")
    if user.email_verified_at is None or user.has_placeholder_email:
        messages.info(
            request,
            _(
                "Un mot de passe sert à se connecter avec son adresse électronique : "
                "votre compte n’en a pas de vérifiée. Continuez avec FranceConnect."
            ),
        )
        return redirect("portail:espace")
    if not session_logged_in_recently(request, seconds=PASSWORD_DEFINE_FRESH_SECONDS):
        # A session left open (or stolen) must not add a lasting way in: a fresh login first.
        messages.info(
            request,
            _(
                "Par sécurité, un mot de passe se définit juste après une connexion : "
                "reconnectez-vous avec FranceConnect, puis revenez ici."
            ),
        )
        return redirect_to_login(request.get_full_path())
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set(
            user=user, password=form.cleaned_data["new_password1"], via="set", request=request
        )
        # Other sessions end; this one goes on.
        update_session_auth_hash(request, user)
        messages.success(
            request, _("Votre mot de passe est défini : vous pouvez aussi vous connecter avec.")
        )
        return redirect("portail:espace")
    return render(
        request,
        "comptes/mot_de_passe_definir.html",
        {"form": form, "nav": "espace"},
        status=400 if form.is_bound else 200,
    )


class MotDePasseChanger(PasswordChangeView):
    """Change my password, knowing the current one."""

    # The stubs want Django's PasswordChangeForm; ours takes the same (user, data) arguments.
    form_class = PasswordChangeForm  # type: ignore[assignment]
    template_name = "comptes/mot_de_passe_changer.html"
    success_url = reverse_lazy("portail:espace")
    extra_context = {"nav": "espace"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            # No current password to type: define one instead.
            return redirect("comptes:mot_de_passe_definir")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        # PasswordChangeView requires a login.
        assert user.is_authenticated
        password_set(
            user=user,
            password=form.cleaned_data["new_password1"],
            via="change",
            request=self.request,
        )
        # Other sessions end; this one goes on.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Votre mot de passe est changé."))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
