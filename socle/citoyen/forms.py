"""The forms of the citizen's file. They read and shape input; the services check it (every
field in one round) and `add_service_errors` puts their messages next to the fields."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.citoyen.models import Piece, Proche
from socle.citoyen.services import PIECE_FORMATS
from socle.core.fichiers import accepted_labels, size_label
from socle.routage.adresse import Place

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfilForm(forms.Form):
    telephone = forms.CharField(
        label=gettext_lazy("Téléphone"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Un numéro français, par exemple : 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    date_naissance = forms.DateField(
        label=gettext_lazy("Date de naissance"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, birthdate_verified: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if birthdate_verified:
            # FranceConnect's birthdate is shown, never edited.
            del self.fields["date_naissance"]


class ProcheForm(forms.Form):
    lien = forms.ChoiceField(
        label=gettext_lazy("Lien avec vous"),
        choices=Proche.Lien.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez le lien avec cette personne.")},
    )
    prenom = forms.CharField(
        label=gettext_lazy("Prénom"),
        max_length=100,
        error_messages={"required": gettext_lazy("Indiquez son prénom.")},
    )
    nom = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=100,
        error_messages={"required": gettext_lazy("Indiquez son nom.")},
    )
    date_naissance = forms.DateField(
        label=gettext_lazy("Date de naissance"),
        required=False,
        help_text=gettext_lazy("Obligatoire pour un enfant."),
        widget=DATE_WIDGET,
    )


# A place the address API found, carried to the choice signed: the citizen picks the place that
# was shown, never an index into a new answer of the API.
PLACE_SALT = "socle.citoyen.adresse.lieu"
PLACE_MAX_AGE = 3600
AS_TYPED = "saisie"
LABEL_PARTS = re.compile(r"^(?P<voie>.+?) (?P<code_postal>\d{5}) (?P<commune>.+)$")


def place_token(place: Place) -> str:
    """Sign a place found for the citizen, to be chosen in the next round."""
    return signing.dumps(
        [place.label, place.lat, place.lon, place.citycode], salt=PLACE_SALT, compress=True
    )


def place_parts(place: Place) -> dict[str, str]:
    """The street, postcode and commune of a found place, read from its label (« 12 Rue des
    Lilas 33600 Pessac »); empty when the label is not such an address."""
    found = LABEL_PARTS.match(place.label)
    if found is None:
        return {}
    return {
        "voie": found["voie"],
        "code_postal": found["code_postal"],
        "commune_nom": found["commune"],
    }


class AdresseForm(forms.Form):
    """An address as the citizen types it; then, in a second round, the suggestion of the
    national address base he or she picks (or the address as typed). No JavaScript needed."""

    libelle = forms.CharField(
        label=gettext_lazy("Nom de l’adresse"),
        max_length=60,
        initial=gettext_lazy("Domicile"),
        help_text=gettext_lazy("Par exemple : Domicile, Résidence secondaire."),
        error_messages={"required": gettext_lazy("Donnez un nom à cette adresse.")},
    )
    voie = forms.CharField(
        label=gettext_lazy("Numéro et voie"),
        max_length=200,
        help_text=gettext_lazy("Par exemple : 12 rue des Lilas"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": gettext_lazy("Indiquez le numéro et la voie.")},
    )
    complement = forms.CharField(
        label=gettext_lazy("Complément d’adresse"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Bâtiment, étage, appartement…"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    code_postal = forms.CharField(
        label=gettext_lazy("Code postal"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("Indiquez le code postal.")},
    )
    commune_nom = forms.CharField(
        label=gettext_lazy("Commune"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": gettext_lazy("Indiquez la commune.")},
    )
    principale = forms.BooleanField(
        label=gettext_lazy("C’est mon domicile (l’adresse que reprennent mes démarches)"),
        required=False,
    )
    lieu = forms.CharField(
        label=gettext_lazy("Laquelle de ces adresses est la vôtre ?"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Set by `offer`: the suggestions are being shown.
        self.offered = False
        self.choosing = bool(self.data.get("etape") == "choix")

    def offer(self, places: list[Place]) -> None:
        """Show the suggestions found for what was typed, and the address as typed."""
        widget = self.fields["lieu"].widget
        assert isinstance(widget, forms.RadioSelect)
        widget.choices = [(place_token(place), place.label) for place in places] + [
            (AS_TYPED, _("Aucune : garder l’adresse telle que je l’ai saisie"))
        ]
        self.offered = True

    def clean_lieu(self) -> Place | str | None:
        value = self.cleaned_data.get("lieu") or ""
        if not self.choosing:
            return None
        if value == AS_TYPED:
            return AS_TYPED
        try:
            label, lat, lon, citycode = signing.loads(value, salt=PLACE_SALT, max_age=PLACE_MAX_AGE)
            return Place(label=str(label), lat=float(lat), lon=float(lon), citycode=str(citycode))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise forms.ValidationError(_("Choisissez une des adresses proposées.")) from error

    def query(self) -> str:
        """What to search in the national address base."""
        data = self.cleaned_data
        return f"{data['voie']} {data['code_postal']} {data['commune_nom']}"


class PieceForm(forms.Form):
    type = forms.ChoiceField(
        label=gettext_lazy("Type de document"),
        choices=[("", gettext_lazy("Choisissez…")), *Piece.Type.choices],
        error_messages={"required": gettext_lazy("Choisissez le type de document.")},
    )
    libelle = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Facultative. Par exemple : facture d’électricité de mars."),
    )
    fichier = forms.FileField(
        label=gettext_lazy("Fichier"),
        error_messages={"required": gettext_lazy("Choisissez le fichier à ajouter.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    date_document = forms.DateField(
        label=gettext_lazy("Date du document"),
        required=False,
        help_text=gettext_lazy(
            "Le jour où il a été émis. Elle sert à calculer sa validité (un justificatif de "
            "domicile vaut trois mois)."
        ),
        widget=DATE_WIDGET,
    )
    valide_jusqu_au = forms.DateField(
        label=gettext_lazy("Valable jusqu’au"),
        required=False,
        help_text=gettext_lazy(
            "Facultatif : sans date, la durée habituelle de ce type de document s’applique. "
            "Pour une pièce d’identité, indiquez sa date de fin de validité."
        ),
        widget=DATE_WIDGET,
    )

    def __init__(self, *args: Any, limit: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = _(
            "Formats acceptés : %(formats)s ; %(limite)s au plus."
        ) % {"formats": accepted_labels(PIECE_FORMATS), "limite": size_label(limit)}
