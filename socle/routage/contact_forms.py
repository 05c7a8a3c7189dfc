"""The forms of « Qui contacter ? »: the question, then (when several places match) the choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.membres.models import Membre
from socle.routage.adresse import AddressApiUnavailable, Place, address_search
from socle.routage.contact import commune_places, membre_centre, probleme_choices, probleme_for_code


class QuestionForm(forms.Form):
    """Where and what: an address or a commune, and a problem. Every field checked at once."""

    adresse = forms.CharField(
        label=gettext_lazy("Adresse"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Par exemple : 1 avenue Jean Jaurès 33600 Pessac"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    commune = forms.CharField(
        label=gettext_lazy("Ou votre commune"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Son nom ou son code INSEE, si vous ne connaissez pas l’adresse."),
    )
    probleme = forms.ChoiceField(
        label=gettext_lazy("Quel est le problème ?"),
        choices=probleme_choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez le problème que vous constatez.")},
    )

    def __init__(self, *args: Any, membre: Membre | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.membre = membre
        self.places: list[Place] = []
        # A notice for the person when the commune stood in for an address.
        self.notice = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        adresse = data.get("adresse", "").strip()
        commune = data.get("commune", "").strip()
        if not adresse and not commune:
            self.add_error("adresse", _("Indiquez une adresse, ou bien votre commune."))
            return data
        if adresse:
            problem = self._address_places(adresse)
            if problem is None:
                return data
            if not commune:
                self.add_error("adresse", problem)
                return data
            # The commune the person also gave answers instead.
            self.notice = problem
        self.places = commune_places(commune, membre=self.membre)
        if not self.places:
            self.add_error(
                "commune",
                _("Aucune commune ne correspond à « %(commune)s ». Vérifiez son nom.")
                % {"commune": commune},
            )
        return data

    def _address_places(self, adresse: str) -> str | None:
        """Find the address; return what went wrong, in French, or None when found."""
        centre = membre_centre(self.membre) if self.membre else None
        try:
            self.places = address_search(
                adresse, lat=centre[0] if centre else None, lon=centre[1] if centre else None
            )
        except AddressApiUnavailable:
            return _(
                "La recherche d’adresses ne répond pas pour le moment. Indiquez plutôt votre "
                "commune dans le champ « Ou votre commune »."
            )
        if not self.places:
            return _(
                "Nous n’avons pas trouvé cette adresse. Vérifiez-la, ou indiquez plutôt votre "
                "commune dans le champ « Ou votre commune »."
            )
        return None

    @property
    def probleme_choisi(self):
        return probleme_for_code(self.cleaned_data["probleme"])


# A place the server found, carried to the second step signed: the choice is the place that
# was shown, never an index into a new answer of the address API (which may differ).
PLACE_SALT = "socle.routage.contact.lieu"
PLACE_MAX_AGE = 3600


def place_token(place: Place) -> str:
    """Sign a place found for the person, to be chosen in the next step."""
    return signing.dumps(
        [place.label, place.lat, place.lon, place.citycode], salt=PLACE_SALT, compress=True
    )


class ChoixForm(forms.Form):
    """Which of the places found: the question rides along, hidden; the place, signed."""

    adresse = forms.CharField(required=False, widget=forms.HiddenInput)
    commune = forms.CharField(required=False, widget=forms.HiddenInput)
    probleme = forms.CharField(required=False, widget=forms.HiddenInput)
    etape = forms.CharField(required=False, widget=forms.HiddenInput, initial="choix")
    lieu = forms.CharField(
        label=gettext_lazy("Quel lieu ?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez un des lieux proposés.")},
    )

    def __init__(self, *args: Any, places: list[Place] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        widget = self.fields["lieu"].widget
        assert isinstance(widget, forms.RadioSelect)
        widget.choices = [(place_token(place), place.label) for place in places or []]

    def clean_lieu(self) -> Place:
        try:
            label, lat, lon, citycode = signing.loads(
                self.cleaned_data["lieu"], salt=PLACE_SALT, max_age=PLACE_MAX_AGE
            )
            return Place(label=str(label), lat=float(lat), lon=float(lon), citycode=str(citycode))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise forms.ValidationError(_("Choisissez un des lieux proposés.")) from error

    @property
    def probleme_choisi(self):
        return probleme_for_code(self.cleaned_data.get("probleme") or "")
