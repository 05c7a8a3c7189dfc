"""The citizen's rights from « Mon espace »: download all my data, delete my account
(services_rgpd.py does the work; docs/citoyen.md says what is deleted and what is kept)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from socle.comptes.models import User
from socle.core.forms import add_service_errors
from socle.membres.selectors import active_roles
from socle.portail.services_rgpd import account_delete, export_archive

CONFIRMATION_WORD = "SUPPRIMER"


def _crumbs(current: str) -> list[tuple[str, str]]:
    return [(_("Mon espace"), reverse("portail:espace")), (current, "")]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET: what the archive holds; POST: the archive (a ZIP: donnees.json and my documents)."""
    if request.method != "POST":
        return render(
            request,
            "portail/rgpd_export.html",
            {"nav": "espace", "breadcrumbs": _crumbs(_("Télécharger mes données"))},
        )
    assert isinstance(request.user, User)
    archive = export_archive(request.user)
    response = HttpResponse(archive, content_type="application/zip")
    name = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class SuppressionForm(forms.Form):
    """The password when the account has one; else the word SUPPRIMER typed."""

    password = forms.CharField(
        label=gettext_lazy("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Saisissez votre mot de passe.")},
    )
    confirmation = forms.CharField(
        label=gettext_lazy("Pour confirmer, écrivez SUPPRIMER"),
        error_messages={"required": gettext_lazy("Écrivez SUPPRIMER pour confirmer.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["confirmation"]
        else:
            del self.fields["password"]

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("Ce mot de passe n’est pas le bon."))
        return value

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"].strip()
        if value.upper() != CONFIRMATION_WORD:
            raise forms.ValidationError(_("Écrivez exactement SUPPRIMER pour confirmer."))
        return value


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def supprimer_compte(request: HttpRequest) -> HttpResponse:
    """Delete my account, once confirmed; then I am logged out."""
    user = request.user
    assert isinstance(user, User)
    form = SuppressionForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_bound and form.is_valid():
        try:
            account_delete(user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Votre compte a été supprimé. Vos démarches terminées sont anonymisées ; "
                    "celles en cours restent à la collectivité le temps de leur instruction, "
                    "puis sont anonymisées."
                ),
            )
            return redirect("portail:accueil")
    return render(
        request,
        "portail/rgpd_supprimer.html",
        {
            "nav": "espace",
            "form": form,
            "has_roles": active_roles(user).exists(),
            "breadcrumbs": _crumbs(_("Supprimer mon compte")),
        },
        status=400 if form.errors else 200,
    )
