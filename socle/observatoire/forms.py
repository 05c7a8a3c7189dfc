"""Forms of the observatory's contribution and review screens.

They check the shape of the input, then ask the services' own checks (`projet_fields_clean`,
`acteur_identifiers_check`) so that every error shows in one round; the services decide again
when the form is saved, and their ValidationError comes back on the fields
(`socle.core.forms.add_service_errors`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socle.core import fichiers as documents
from socle.core.forms import add_service_errors
from socle.observatoire import services
from socle.observatoire.models import Acteur, Projet, ProjetActeur
from socle.observatoire.services import TEXT_MAX
from socle.observatoire.themes import THEME_CHOICES

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERROR = _lazy("Saisissez une date valide (jj/mm/aaaa).")
MAX_FINANCEMENTS = 20


def money_text(value: Any) -> str:
    """Write an amount in euros the way a French reader types it: « 12 500 », « 12 500,50 »."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value))
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return text.removesuffix(",00")


def money_input(value: str) -> str:
    """Normalise a typed amount for the services: spaces of any kind and « € » dropped."""
    return re.sub(r"[\s\u00a0\u202f€]", "", value or "")


def split_tags(value: str) -> list[str]:
    """Split « marchés publics, SIG ; animation » into its words."""
    return [part.strip() for part in re.split(r"[,;\n]", value or "") if part.strip()]


class TexteField(forms.CharField):
    """A text field whose line breaks are « \\n », whatever the browser sent (« \\r\\n »): a
    text re-posted unchanged then compares equal to the stored one."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_ERROR},
    )


def _money_field(label, help_text) -> forms.CharField:
    return TexteField(
        label=label,
        required=False,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _url_field(label, help_text="") -> forms.CharField:
    return TexteField(
        label=label,
        required=False,
        max_length=500,
        help_text=help_text or _lazy("Adresse complète, commençant par https://"),
        widget=forms.URLInput(),
    )


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ProjetForm(forms.Form):
    """A project's page: what, when, how much, what was learnt, what may be reused."""

    titre = TexteField(
        label=_lazy("Titre"),
        max_length=200,
        error_messages={"required": _lazy("Indiquez le titre du projet.")},
    )
    resume = TexteField(
        label=_lazy("Résumé"),
        required=False,
        max_length=500,
        widget=_text_area(3),
        help_text=_lazy(
            "Deux ou trois phrases : ce que fait le projet et pour qui (500 caractères au "
            "plus). Nécessaire pour soumettre le projet."
        ),
    )
    description = TexteField(
        label=_lazy("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=_text_area(10),
        help_text=_lazy(
            "Mise en forme Markdown : **gras**, *italique*, une ligne commençant par « - » "
            "pour une liste, [texte du lien](https://…) pour un lien, ## pour un intertitre. "
            "Le bouton « Aperçu de la description » montre le rendu sans enregistrer."
        ),
    )
    themes = forms.MultipleChoiceField(
        label=_lazy("Thèmes"),
        required=False,
        choices=THEME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("Au moins un, pour soumettre le projet."),
    )
    statut = forms.ChoiceField(
        label=_lazy("Statut"), choices=Projet.Statut.choices, initial=Projet.Statut.IDEE
    )
    date_debut = _date_field(_lazy("Date de début"))
    date_fin = _date_field(_lazy("Date de fin (prévue ou réelle)"))
    budget_investissement = _money_field(
        _lazy("Budget d’investissement (€)"), _lazy("En euros, par exemple 12 500 ou 12 500,50.")
    )
    budget_fonctionnement = _money_field(
        _lazy("Coût de fonctionnement annuel (€)"), _lazy("En euros par an.")
    )
    savoir_faire = TexteField(
        label=_lazy("Compétences mobilisées"),
        required=False,
        max_length=2000,
        help_text=_lazy("Séparées par des virgules : marchés publics, SIG, animation de réseau…"),
    )
    resultats = TexteField(
        label=_lazy("Résultats"), required=False, max_length=TEXT_MAX, widget=_text_area(5)
    )
    enseignements = TexteField(
        label=_lazy("Enseignements"),
        required=False,
        max_length=TEXT_MAX,
        widget=_text_area(5),
        help_text=_lazy("Ce que vous referiez, ce que vous feriez autrement."),
    )
    reutilisation = TexteField(
        label=_lazy("Réutilisation"),
        required=False,
        max_length=TEXT_MAX,
        widget=_text_area(4),
        help_text=_lazy("Ce qu’une autre collectivité peut reprendre, et comment."),
    )
    open_source = forms.BooleanField(label=_lazy("Le code source est libre"), required=False)
    specifications_partageables = forms.BooleanField(
        label=_lazy("Les spécifications (cahier des charges…) peuvent être partagées"),
        required=False,
    )
    depot_code = _url_field(_lazy("Dépôt du code source"))
    site_web = _url_field(_lazy("Site web du projet"))

    def __init__(
        self,
        *args,
        financements: BaseFinancementFormSet | None = None,
        projet: Projet | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.financements = financements
        self.projet = projet
        self.project_data: dict[str, Any] = {}

    @staticmethod
    def initial_of(projet: Projet) -> dict[str, Any]:
        """The form's initial values from a project."""
        initial: dict[str, Any] = {
            name: getattr(projet, name)
            for name in (
                "titre",
                "resume",
                "description",
                "themes",
                "statut",
                "date_debut",
                "date_fin",
                "resultats",
                "enseignements",
                "reutilisation",
                "open_source",
                "specifications_partageables",
                "depot_code",
                "site_web",
            )
        }
        initial["budget_investissement"] = money_text(projet.budget_investissement)
        initial["budget_fonctionnement"] = money_text(projet.budget_fonctionnement)
        initial["savoir_faire"] = ", ".join(projet.savoir_faire or [])
        return initial

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        data: dict[str, Any] = {}
        for name in self.fields:
            if name in self.errors or name not in cleaned:
                continue
            value = cleaned[name]
            if name.startswith("budget_"):
                value = money_input(value)
            elif name == "savoir_faire":
                value = split_tags(value)
            elif (
                name == "themes"
                and self.projet is not None
                and set(value) == set(self.projet.themes)
            ):
                # The same themes in the order the page lists them are no change.
                value = list(self.projet.themes)
            data[name] = value
        if self.financements is not None and self.financements.is_valid():
            data["financements"] = self.financements.rows()
        try:
            self.project_data = services.projet_fields_clean(data)
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned


class FinancementForm(forms.Form):
    """One line of funding: who pays, how much."""

    source = TexteField(label=_lazy("Source"), required=False, max_length=200)
    montant = TexteField(
        label=_lazy("Montant (€)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        source = (cleaned.get("source") or "").strip()
        montant = money_input(cleaned.get("montant") or "")
        if not source and not montant:
            return cleaned
        if not source:
            self.add_error("source", _("Indiquez la source de ce financement."))
        if not montant:
            self.add_error("montant", _("Indiquez le montant de ce financement."))
        else:
            try:
                services.projet_fields_clean({"budget_investissement": montant})
            except ValidationError as error:
                self.add_error("montant", error.message_dict["budget_investissement"][0])
        cleaned["montant"] = montant
        return cleaned


class BaseFinancementFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, str]]:
        """The lines filled in, for the services."""
        return [
            {"source": form.cleaned_data["source"].strip(), "montant": form.cleaned_data["montant"]}
            for form in self.forms
            if form.cleaned_data.get("source") or form.cleaned_data.get("montant")
        ]


FinancementFormSet = forms.formset_factory(
    FinancementForm,
    formset=BaseFinancementFormSet,
    extra=2,
    max_num=MAX_FINANCEMENTS,
    validate_max=True,
)


def financements_initial(projet: Projet | None) -> list[dict[str, str]]:
    if projet is None:
        return []
    return [
        {"source": row.get("source", ""), "montant": money_text(row.get("montant"))}
        for row in projet.financements or []
    ]


class ContactForm(forms.Form):
    """A person to contact about the project; their consent is asked by mail, unless it is
    oneself, consenting here."""

    nom = TexteField(
        label=_lazy("Nom et prénom"),
        max_length=200,
        error_messages={"required": _lazy("Indiquez le nom de la personne.")},
    )
    fonction = TexteField(
        label=_lazy("Fonction"),
        required=False,
        max_length=200,
        help_text=_lazy("Par exemple : cheffe de projet numérique, DSI."),
    )
    email = forms.EmailField(
        label=_lazy("Adresse électronique"),
        max_length=254,
        error_messages={
            "required": _lazy("Indiquez l’adresse électronique de la personne."),
            "invalid": _lazy("Saisissez une adresse électronique valide (nom@exemple.fr)."),
        },
    )
    telephone = TexteField(
        label=_lazy("Téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    role = TexteField(
        label=_lazy("Rôle dans le projet"),
        required=False,
        max_length=200,
        help_text=_lazy("Ce que cette personne peut raconter : pilotage, technique, usages…"),
    )
    moi = forms.BooleanField(
        label=_lazy("C’est moi, et j’accepte d’apparaître comme contact"),
        required=False,
        help_text=services.CONSENT_TEXT,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        email = (cleaned.get("email") or "").strip().lower()
        own = (getattr(self.user, "email", "") or "").lower()
        if cleaned.get("moi") and email and email != own:
            self.add_error(
                "moi",
                _(
                    "Seule la personne elle-même peut donner son accord ici : avec une autre "
                    "adresse que la vôtre (%(email)s), décochez la case, un courriel lui "
                    "demandera son accord."
                )
                % {"email": own},
            )
        return cleaned


class DocumentForm(forms.Form):
    """Attach a file to a project."""

    fichier = forms.FileField(
        label=_lazy("Fichier"),
        error_messages={
            "required": _lazy("Choisissez un fichier."),
            "empty": _lazy("Ce fichier est vide."),
            "invalid": _lazy("Aucun fichier n’a été reçu : choisissez-en un."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.csv,.txt"}
        ),
    )
    public = forms.BooleanField(
        label=_lazy("Visible de tous sur la page publique du projet, une fois celui-ci publié"),
        required=False,
        initial=True,
        help_text=_lazy("Sinon, seuls les contributeurs du projet et la structure le voient."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = _(
            "Formats acceptés : %(formats)s. Taille maximale : %(taille)s."
        ) % {
            "formats": documents.accepted_labels(),
            "taille": documents.size_label(services.document_max_bytes()),
        }


class RenvoiForm(forms.Form):
    """Send a submitted project back to its contributors."""

    commentaire = TexteField(
        label=_lazy("Ce qui est à corriger"),
        widget=_text_area(5),
        max_length=5000,
        error_messages={"required": _lazy("Dites ce qui est à corriger.")},
        help_text=_lazy("Les contributeurs le liront sur la page du projet et par courriel."),
    )


class RevisionForm(forms.Form):
    """Accept or refuse a pending change."""

    commentaire = TexteField(
        label=_lazy("Commentaire (facultatif)"),
        required=False,
        max_length=5000,
        widget=_text_area(3),
        help_text=_lazy("Gardé dans l’historique du projet ; utile en cas de refus."),
    )


def _decimal_degrees(value: str, label: str, low: float, high: float) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(
            _("Saisissez la %(quoi)s en degrés décimaux (ex. 51,0344).") % {"quoi": label}
        ) from None
    if not low <= number <= high:
        raise ValidationError(
            _("La %(quoi)s est comprise entre %(min)s et %(max)s.")
            % {"quoi": label, "min": int(low), "max": int(high)}
        )
    return number


TYPE_COLLECTIVITE_CHOICES = [
    ("", _lazy("— (pas une collectivité)")),
    ("commune", _lazy("Commune")),
    ("epci", _lazy("Intercommunalité")),
    ("departement", _lazy("Département")),
    ("region", _lazy("Région")),
]


class ActeurForm(forms.Form):
    """Record an actor outside the loaded territory (a collectivité elsewhere, a company…)."""

    kind = forms.ChoiceField(label=_lazy("Type d’acteur"), choices=Acteur.Kind.choices)
    nom = TexteField(
        label=_lazy("Nom"),
        max_length=200,
        error_messages={"required": _lazy("Indiquez le nom de l’acteur.")},
    )
    description = TexteField(label=_lazy("Description"), required=False, widget=_text_area(3))
    siren = TexteField(
        label=_lazy("SIREN"),
        required=False,
        max_length=20,
        help_text=_lazy("9 chiffres (entreprises, collectivités, associations employeuses)."),
    )
    siret = TexteField(
        label=_lazy("SIRET"), required=False, max_length=25, help_text=_lazy("14 chiffres.")
    )
    rna = TexteField(
        label=_lazy("Numéro RNA"),
        required=False,
        max_length=12,
        help_text=_lazy("Associations : W suivi de 9 chiffres."),
    )
    type_collectivite = forms.ChoiceField(
        label=_lazy("Type de collectivité"), required=False, choices=TYPE_COLLECTIVITE_CHOICES
    )
    code_insee = TexteField(
        label=_lazy("Code INSEE (ou SIREN de l’intercommunalité)"), required=False, max_length=12
    )
    population = forms.IntegerField(
        label=_lazy("Population"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        error_messages={
            "invalid": _lazy("Saisissez un nombre d’habitants (chiffres seulement)."),
            "min_value": _lazy("La population ne peut pas être négative."),
            "max_value": _lazy("Une collectivité compte moins de 100 millions d’habitants."),
        },
    )
    departement_code = TexteField(
        label=_lazy("Code du département"),
        required=False,
        max_length=3,
        help_text=_lazy("Par exemple 59, 2A ou 974."),
    )
    region_code = TexteField(
        label=_lazy("Code de la région"),
        required=False,
        max_length=3,
        help_text=_lazy("Code INSEE de la région, par exemple 32 (Hauts-de-France)."),
    )
    latitude = TexteField(
        label=_lazy("Latitude"),
        required=False,
        max_length=20,
        help_text=_lazy("En degrés décimaux, par exemple 51,0344 (Dunkerque)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = TexteField(
        label=_lazy("Longitude"),
        required=False,
        max_length=20,
        help_text=_lazy("En degrés décimaux, par exemple 2,3768 (Dunkerque)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    site_web = forms.URLField(
        label=_lazy("Site web"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _lazy("Saisissez une adresse web complète (https://…).")},
    )
    email = forms.EmailField(
        label=_lazy("Adresse électronique générique"),
        required=False,
        help_text=_lazy("Une adresse d’accueil (contact@…), jamais celle d’une personne."),
        error_messages={"invalid": _lazy("Saisissez une adresse électronique valide.")},
    )

    def clean_latitude(self):
        return _decimal_degrees(self.cleaned_data.get("latitude", ""), _("latitude"), -90, 90)

    def clean_longitude(self):
        return _decimal_degrees(self.cleaned_data.get("longitude", ""), _("longitude"), -180, 180)

    def clean_departement_code(self):
        code = (self.cleaned_data.get("departement_code") or "").strip().upper()
        if code and not re.match(r"^(\d{2}|2[AB]|97\d)$", code):
            raise ValidationError(_("Un code de département s’écrit 33, 2A ou 974."))
        return code

    def clean_region_code(self):
        code = (self.cleaned_data.get("region_code") or "").strip()
        if code and not re.match(r"^\d{2}$", code):
            raise ValidationError(_("Un code de région s’écrit en deux chiffres (75, 32…)."))
        return code

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        errors = services.acteur_identifiers_check(
            siren=cleaned.get("siren", ""),
            siret=cleaned.get("siret", ""),
            rna=cleaned.get("rna", ""),
        )
        for name, message in errors.items():
            self.add_error(name, message)
        if cleaned.get("kind") == Acteur.Kind.COLLECTIVITE:
            required = {
                "type_collectivite": _("Indiquez le type de collectivité."),
                "population": _("Indiquez la population : elle sert aux comparaisons par taille."),
                "departement_code": _("Indiquez le département de la collectivité."),
                "latitude": _("Indiquez où se trouve la collectivité (latitude)."),
                "longitude": _("Indiquez où se trouve la collectivité (longitude)."),
            }
            for name, message in required.items():
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, message)
        return cleaned


class LogicielNouveauForm(forms.Form):
    nom = TexteField(
        label=_lazy("Nom du logiciel ou du service"),
        max_length=200,
        error_messages={"required": _lazy("Indiquez le nom du logiciel ou du service.")},
    )


class LogicielForm(forms.Form):
    """Describe a piece of software of the registry."""

    description = TexteField(label=_lazy("Description"), required=False, widget=_text_area(4))
    editeur = TexteField(label=_lazy("Éditeur"), required=False, max_length=200)
    site_web = _url_field(_lazy("Site web"))
    libre = forms.BooleanField(label=_lazy("Logiciel libre"), required=False)
    licence = TexteField(
        label=_lazy("Licence"),
        required=False,
        max_length=80,
        help_text=_lazy("Identifiant SPDX de préférence : AGPL-3.0, EUPL-1.2, MIT…"),
    )
    sill_id = TexteField(
        label=_lazy("Identifiant dans le SILL"),
        required=False,
        max_length=20,
        help_text=_lazy("Le numéro de sa fiche au Socle interministériel de logiciels libres."),
    )
    comptoir_url = _url_field(
        _lazy("Fiche du Comptoir du Libre"), _lazy("https://comptoir-du-libre.org/…")
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        valid = {name: value for name, value in cleaned.items() if name not in self.errors}
        try:
            services.logiciel_fields_clean(valid)
        except ValidationError as error:
            add_service_errors(self, error)
        return cleaned


class LogicielAjoutForm(forms.Form):
    """Name a piece of software a project uses (recorded in the registry if new)."""

    nom = TexteField(
        label=_lazy("Logiciel ou service utilisé"),
        max_length=200,
        help_text=_lazy("Choisissez dans la liste ou tapez un nouveau nom."),
        error_messages={"required": _lazy("Indiquez le nom du logiciel ou du service.")},
        widget=forms.TextInput(attrs={"list": "logiciels-connus", "autocomplete": "off"}),
    )
    referent = forms.BooleanField(
        label=_lazy("Nous en sommes référents (on peut nous poser des questions à son sujet)"),
        required=False,
    )


ROLE_CHOICES = ProjetActeur.Role.choices


class RechercheActeurForm(forms.Form):
    q = TexteField(
        label=_lazy("Chercher un acteur ou une collectivité"),
        required=False,
        max_length=100,
        help_text=_lazy("Nom, ou numéro SIREN ; les collectivités du territoire sont proposées."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
