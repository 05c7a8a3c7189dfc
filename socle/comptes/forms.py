"""Account forms: login by email, sign-up, passwords, the second factor, and the form that
accepts an invitation."""

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from socle.comptes.models import User

# The rule that the validators enforce, in the words shown under every new-password field.
PASSWORD_RULE = _(
    "Au moins 12 caractères, en mélangeant au moins 3 types de caractères parmi minuscules, "
    "majuscules, chiffres et caractères spéciaux — ou au moins 14 caractères (une phrase de "
    "passe). Évitez un mot de passe courant ou proche de votre nom."
)
PASSWORD_MISMATCH = _("Les deux mots de passe ne sont pas identiques.")


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an email address; the error never tells whether the account exists."""

    username = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. Vérifiez-les et réessayez."
        ),
        "inactive": _("Adresse électronique ou mot de passe incorrect. Vérifiez-les et réessayez."),
    }


def _new_password_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_RULE,
    )


def _confirm_password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


if TYPE_CHECKING:
    # What the mixin relies on (cleaned_data, add_error); at run time it stays a plain mixin.
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class NewPasswordMixin(_FormBase):
    """Two password fields that must match and pass the validators: both told in one round."""

    def check_new_password(self, user, first: str = "password1", second: str = "password2"):
        password = self.cleaned_data.get(first)
        if not password:
            return
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            self.add_error(first, error)
        if second in self.cleaned_data and self.cleaned_data[second] != password:
            self.add_error(second, PASSWORD_MISMATCH)


class PersonNameForm(forms.Form):
    """A person's first and last names, as every account form asks them."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class InvitationAcceptForm(PersonNameForm):
    password1 = _new_password_field()
    password2 = _confirm_password_field()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", PASSWORD_MISMATCH)
        return data


class InscriptionForm(NewPasswordMixin, PersonNameForm):
    """A citizen's sign-up; whether the address is taken is never told here."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Nous vous enverrons un lien pour la vérifier."),
    )
    password1 = _new_password_field()
    password2 = _confirm_password_field()

    field_order = ["email", "first_name", "last_name", "password1", "password2"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        candidate = User(
            email=(data.get("email") or "").lower(),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        self.check_new_password(candidate)
        return data


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text=_("L’adresse de votre compte."),
    )


class NewPasswordForm(NewPasswordMixin, forms.Form):
    """Choose a new password (from a reset link); Django's confirm view gives the user."""

    new_password1 = _new_password_field(_("Nouveau mot de passe"))
    new_password2 = _confirm_password_field()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        self.check_new_password(self.user, "new_password1", "new_password2")
        return data


class PasswordChangeForm(NewPasswordForm):
    """Change one's password, knowing the current one."""

    old_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise ValidationError(_("Ce n’est pas votre mot de passe actuel."))
        return old_password


class CodeForm(forms.Form):
    """A six-digit code from an authenticator application."""

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
        help_text=_("Le code affiché par votre application d’authentification."),
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(code) != 6:
            raise ValidationError(_("Le code compte 6 chiffres."))
        return code


class SecondFactorResetForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
