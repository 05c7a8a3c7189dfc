"""The citizen's report form: the place (map point, address, or commune and street), the category
and its questions, the description, the photos and, without an account, the reporter's address.

The page works without JavaScript: each step is a submit of the same form (« etape »), and the
hidden lat/lon are the real fields, which the map fills when there is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.membres.models import Membre
from socle.routage.adresse import AddressApiUnavailable, address_search
from socle.routage.contact import commune_places, membre_centre
from socle.signalements.models import DESCRIPTION_MAX, Question
from socle.signalements.selectors import OfferedCategory
from socle.signalements.services import answers_clean

PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
# The honeypot's name: a field people never see, that form-filling robots fill.
HONEYPOT = "site_web"


@dataclass
class Lieu:
    """Where the report is, as far as the page knows, and what went wrong finding it."""

    lat: float | None = None
    lon: float | None = None
    adresse: str = ""
    approchee: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.lat is not None and self.lon is not None


def _coordinate(value: Any, low: float, high: float) -> float | None:
    try:
        number = float(str(value or "").replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return number


def _clean(value: Any, limit: int) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def lieu_resolve(data, *, membre: Membre | None, explicit: bool) -> Lieu:
    """Find the point from a submitted form.

    ``explicit``: the person pressed the place's button, so what they typed (an address, then a
    commune) wins over a point already set; otherwise the point set (by the map or an earlier
    step) wins, and the texts stand in when there is none.
    """
    recherche = _clean(data.get("recherche"), 200)
    commune = _clean(data.get("commune"), 100)
    lieu_texte = _clean(data.get("lieu"), 200)
    lat = _coordinate(data.get("lat"), -90, 90)
    lon = _coordinate(data.get("lon"), -180, 180)
    point_set = lat is not None and lon is not None
    if point_set and not explicit:
        return Lieu(
            lat,
            lon,
            _clean(data.get("adresse"), 300) or _written(lieu_texte, commune),
            data.get("approchee") == "1",
        )
    if recherche and (explicit or not commune):
        found = _from_address(recherche, membre)
        if found.known or not commune:
            return found
    if commune:
        return _from_commune(commune, lieu_texte, membre)
    if point_set:
        return Lieu(lat, lon, _clean(data.get("adresse"), 300), data.get("approchee") == "1")
    return Lieu(
        errors={
            "commune": _(
                "Indiquez le lieu : cliquez sur la carte, cherchez une adresse, "
                "ou choisissez une commune et écrivez la rue ou le lieu."
            )
        }
    )


def _written(lieu_texte: str, commune: str) -> str:
    return ", ".join(part for part in (lieu_texte, commune) if part)


def _from_address(recherche: str, membre: Membre | None) -> Lieu:
    centre = membre_centre(membre) if membre is not None else None
    try:
        places = address_search(
            recherche, lat=centre[0] if centre else None, lon=centre[1] if centre else None
        )
    except AddressApiUnavailable:
        return Lieu(
            errors={
                "recherche": _(
                    "La recherche d’adresses ne répond pas pour le moment : choisissez plutôt "
                    "la commune et écrivez la rue ou le lieu."
                )
            }
        )
    if not places:
        return Lieu(
            errors={
                "recherche": _(
                    "Nous n’avons pas trouvé cette adresse. Vérifiez-la, ou choisissez plutôt "
                    "la commune et écrivez la rue ou le lieu."
                )
            }
        )
    place = places[0]
    return Lieu(place.lat, place.lon, place.label[:300], False)


def _from_commune(commune: str, lieu_texte: str, membre: Membre | None) -> Lieu:
    """The non-map way: the commune's centre, or the street when the address API finds it
    there; an agent checks the point either way (position_approchee)."""
    places = commune_places(commune, membre=membre)
    if not places:
        return Lieu(
            errors={
                "commune": _("Aucune commune ne correspond à « %(commune)s ». Vérifiez son nom.")
                % {"commune": commune}
            }
        )
    place = places[0]
    nom = place.label.replace(_(" (mairie)"), "")
    lat, lon = place.lat, place.lon
    if lieu_texte:
        try:
            found = address_search(f"{lieu_texte} {nom}", lat=lat, lon=lon)
        except AddressApiUnavailable:
            found = []
        same_commune = [p for p in found if not place.citycode or p.citycode == place.citycode]
        if same_commune:
            lat, lon = same_commune[0].lat, same_commune[0].lon
    return Lieu(lat, lon, _written(lieu_texte, nom)[:300], True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def question_field_name(offered: OfferedCategory, question: Question) -> str:
    return f"q_{offered.code}__{question.code}"


def _question_field(question: Question) -> forms.Field:
    options: dict[str, Any] = {
        "label": question.libelle,
        "help_text": question.aide,
        "required": False,
    }
    if question.kind == Question.Kind.CHOIX:
        choices = [("", _("— Choisir —"))] + [(str(k), str(v)) for k, v in question.choix]
        return forms.ChoiceField(choices=choices, **options)
    if question.kind == Question.Kind.OUI_NON:
        return forms.ChoiceField(
            choices=[("oui", _("Oui")), ("non", _("Non"))], widget=forms.RadioSelect, **options
        )
    if question.kind == Question.Kind.NOMBRE:
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **options
        )
    return forms.CharField(max_length=500, **options)


class SignalementForm(forms.Form):
    """Every field of the report; categories and their questions as offered at the point."""

    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)
    adresse = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    approchee = forms.CharField(required=False, widget=forms.HiddenInput)
    recherche = forms.CharField(
        label=gettext_lazy("Adresse"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Par exemple : 1 avenue Jean Jaurès 33600 Pessac"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    commune = forms.CharField(
        label=gettext_lazy("Commune"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Son nom ou son code INSEE."),
        widget=forms.TextInput(attrs={"list": "signaler-communes", "autocomplete": "off"}),
    )
    lieu = forms.CharField(
        label=gettext_lazy("Rue, numéro ou lieu"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Par exemple : devant le 12 rue Jean Jaurès, parc Razon…"),
    )
    categorie = forms.ChoiceField(
        label=gettext_lazy("Catégorie"), required=False, widget=forms.RadioSelect, choices=()
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=gettext_lazy(
            "Décrivez le problème et l’endroit exact (4 000 caractères au plus). "
            "N’y écrivez ni nom ni numéro de téléphone : la description est publique."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "data-compteur-max": DESCRIPTION_MAX}),
        error_messages={"max_length": gettext_lazy("%(limit_value)d caractères au plus.")},
    )
    photos = forms.FileField(
        label=gettext_lazy("Photos"),
        required=False,
        help_text=gettext_lazy(
            "Jusqu’à 3 photos (JPEG, PNG, WebP ou HEIC, 10 Mo chacune). Leurs métadonnées "
            "(position, appareil) sont effacées."
        ),
        widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse électronique"),
        required=False,
        max_length=254,
        help_text=gettext_lazy(
            "Pour confirmer le signalement et vous tenir informé. Elle n’est jamais publiée."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Cette adresse électronique n’est pas valide.")},
    )
    nom = forms.CharField(
        label=gettext_lazy("Votre nom (facultatif)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Il n’est jamais public : seuls les agents qui traitent le voient."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    telephone = forms.CharField(
        label=gettext_lazy("Votre téléphone (facultatif)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    site_web = forms.CharField(
        label=gettext_lazy("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        offered: list[OfferedCategory] | None = None,
        anonymous: bool = True,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.offered = offered or []
        self.anonymous = anonymous
        categorie = self.fields["categorie"]
        assert isinstance(categorie, forms.ChoiceField)
        categorie.choices = [(item.code, item.nom) for item in self.offered]
        # The questions of every category offered (the chosen one's are checked), so that what
        # was typed survives a change of mind.
        for item in self.offered:
            for question in item.questions:
                self.fields[question_field_name(item, question)] = _question_field(question)
        if not anonymous:
            for name in ("email", "nom", "telephone", HONEYPOT):
                del self.fields[name]

    def category_blocks(self) -> list[dict[str, Any]]:
        """Each category's radio button with its questions, for the template."""
        choices = list(self["categorie"])
        return [
            {
                "choice": choice,
                "item": item,
                "questions": [self[question_field_name(item, q)] for q in item.questions],
            }
            for choice, item in zip(choices, self.offered, strict=True)
        ]

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.anonymous and (self.data.get(HONEYPOT) or "").strip())

    def chosen(self) -> OfferedCategory | None:
        code = self.data.get("categorie", "") if self.is_bound else ""
        return next((item for item in self.offered if item.code == code), None)

    def raw_answers(self, offered: OfferedCategory) -> dict[str, str]:
        return {
            question.code: str(self.data.get(question_field_name(offered, question), ""))
            for question in offered.questions
        }

    def check_report(self, lieu: Lieu) -> None:
        """Add every problem of the final submit, all at once (call after is_valid())."""
        for name, message in lieu.errors.items():
            self.add_error(name, message)
        if lieu.known and not self.offered:
            self.add_error(
                "categorie", _("Aucune catégorie de signalement n’est proposée à cet endroit.")
            )
        chosen = self.chosen()
        if lieu.known and self.offered and chosen is None:
            self.add_error("categorie", _("Choisissez une catégorie."))
        if chosen is not None:
            try:
                answers_clean(chosen, self.raw_answers(chosen))
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    code = key.removeprefix("q_")
                    question = next(q for q in chosen.questions if q.code == code)
                    self.add_error(question_field_name(chosen, question), messages)
        if not (self.cleaned_data.get("description") or "").strip() and "description" not in (
            self.errors
        ):
            self.add_error("description", _("Décrivez le problème."))
        if self.anonymous and not self.cleaned_data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                _(
                    "Donnez votre adresse électronique : "
                    "nous vous écrirons pour confirmer le signalement."
                ),
            )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's errors on the fields they name (the rest above the form)."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        chosen = self.chosen()
        for key, messages in exc.message_dict.items():
            name = {"position": "commune"}.get(key, key)
            if key.startswith("q_") and chosen is not None:
                code = key.removeprefix("q_")
                question = next((q for q in chosen.questions if q.code == code), None)
                name = question_field_name(chosen, question) if question else ""
            self.add_error(name if name in self.fields else None, messages)


class SuivreForm(forms.Form):
    """« Moi aussi »: follow a report (an address, without an account)."""

    email = forms.EmailField(
        label=gettext_lazy("Votre adresse électronique"),
        max_length=254,
        help_text=gettext_lazy("Nous vous écrirons à chaque étape. Elle n’est jamais publiée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Donnez votre adresse électronique pour suivre."),
            "invalid": gettext_lazy("Cette adresse électronique n’est pas valide."),
        },
    )
    site_web = forms.CharField(
        label=gettext_lazy("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class FiltreForm(forms.Form):
    """The public list's filters."""

    commune = forms.CharField(
        label=gettext_lazy("Commune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "signaler-communes"}),
    )
    categorie = forms.ChoiceField(label=gettext_lazy("Catégorie"), required=False, choices=())
    statut = forms.ChoiceField(label=gettext_lazy("État"), required=False, choices=())

    def __init__(self, *args: Any, categories=(), statuts=(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        categorie = self.fields["categorie"]
        statut = self.fields["statut"]
        assert isinstance(categorie, forms.ChoiceField) and isinstance(statut, forms.ChoiceField)
        categorie.choices = [("", _("Toutes"))] + [(c.code, c.nom) for c in categories]
        statut.choices = [("", _("Tous")), ("ouverts", _("En cours de traitement"))] + list(statuts)
