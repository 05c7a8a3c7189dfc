from django import forms
from django.utils.translation import gettext_lazy as _

from socle.api.scopes import api_scopes
from socle.api.services import MAX_RATE


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la clé"),
        max_length=100,
        help_text=_("Pour la reconnaître, par exemple « Portail des démarches »."),
    )
    application = forms.CharField(
        label=_("Application cliente"),
        max_length=200,
        required=False,
        help_text=_("L'application ou le prestataire qui l'utilisera (facultatif)."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Portées"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ce que la clé permet de lire."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Requêtes par minute"), min_value=1, max_value=MAX_RATE, initial=60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = [(code, label) for code, label in api_scopes().items()]
