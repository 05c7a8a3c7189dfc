"""The form of a member's webhook (socle/demarches/views_webhooks.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.demarches.webhooks import EVENEMENTS, url_check


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Adresse appelée"),
        max_length=500,
        help_text=_(
            "L’adresse https:// du logiciel métier qui reçoit les événements (POST JSON signé)."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    evenements = forms.MultipleChoiceField(
        label=_("Événements"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(EVENEMENTS.items()),
        help_text=_("Aucun coché : tous les événements."),
    )

    def clean_url(self) -> str:
        # Checked here too, so that an address refused shows with the other fields' errors.
        try:
            return url_check(self.cleaned_data["url"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["url"]) from error
