"""Accounts: log in and out, my space, and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from socle.comptes.forms import EmailAuthenticationForm, InvitationAcceptForm
from socle.comptes.selectors import active_roles, user_is_operateur
from socle.comptes.services import invitation_accept, invitation_for_token
from socle.territoires.selectors import membres_for_user

PASSWORD_ERROR_CODES = {
    "password_too_short",
    "password_too_common",
    "password_entirely_numeric",
    "password_too_similar",
}


class Connexion(LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"nav": "connexion", "page_title": gettext_lazy("Se connecter")}


class Deconnexion(LogoutView):
    """Log out (POST only, as Django requires)."""


@login_required
@require_safe
def espace(request):
    """My account: who I am, my roles, and the back offices I may open."""
    return render(
        request,
        "comptes/espace.html",
        {
            "nav": "espace",
            "roles": active_roles(request.user).order_by("membre__slug", "kind"),
            "membres": membres_for_user(user=request.user),
            "is_operateur": user_is_operateur(request.user),
        },
    )


def _after_acceptance(invitation):
    if invitation.membre is not None:
        return redirect("gestion:membre", slug=invitation.membre.slug)
    return redirect("gestion:tableau")


def _add_acceptance_errors(form, error: ValidationError) -> None:
    for item in error.error_list:
        message = item.message % item.params if item.params else item.message
        field = "password1" if item.code in PASSWORD_ERROR_CODES else None
        form.add_error(field, message)


def invitation(request, token):
    """Show an invitation and accept it, creating the account when needed."""
    found = invitation_for_token(token)
    if found is None:
        return render(request, "comptes/invitation_invalide.html", status=410)
    user = request.user
    same_person = user.is_authenticated and user.email.lower() == found.email
    form = (
        None
        if user.is_authenticated
        else InvitationAcceptForm(request.POST if request.method == "POST" else None)
    )
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if user.is_authenticated:
            try:
                invitation_accept(token=token, user=user)
            except ValidationError as error:
                errors = error.messages
                status = 400
            else:
                messages.success(request, _("Invitation acceptée : bienvenue !"))
                return _after_acceptance(found)
        else:
            status = 400
            if form.is_valid():
                try:
                    new_user = invitation_accept(
                        token=token,
                        password=form.cleaned_data["password1"],
                        first_name=form.cleaned_data["first_name"].strip(),
                        last_name=form.cleaned_data["last_name"].strip(),
                    )
                except ValidationError as error:
                    _add_acceptance_errors(form, error)
                else:
                    login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(
                        request, _("Votre compte est créé et votre rôle est actif : bienvenue !")
                    )
                    return _after_acceptance(found)
    return render(
        request,
        "comptes/invitation.html",
        {
            "invitation": found,
            "form": form,
            "same_person": same_person,
            "errors": errors,
            "collectivite": found.membre.collectivite if found.membre else None,
        },
        status=status,
    )
