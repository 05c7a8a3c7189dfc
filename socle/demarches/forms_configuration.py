"""Forms of the procedures' configuration: a procedure's and a template's presentation, a page,
a field (adapting to its type), a workflow status and transition."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socle.citoyen.models import Piece
from socle.citoyen.selectors import PREFILL_SOURCES
from socle.core.fichiers import TYPES as FILE_TYPES
from socle.demarches import formulaire as fm
from socle.demarches import workflow as wf
from socle.demarches.configuration import RETENTION_MAX
from socle.membres.models import Service
from socle.territoires.models import Competence


class DemarcheCreateForm(forms.Form):
    titre = forms.CharField(label=_lazy("Titre de la démarche"), max_length=200)
    competence: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_lazy("Compétence"),
        queryset=Competence.objects.order_by("nom"),
        help_text=_lazy("Elle oriente les dossiers vers la collectivité et le service compétents."),
    )
    resume = forms.CharField(
        label=_lazy("Résumé"),
        max_length=300,
        required=False,
        help_text=_lazy("Une phrase, montrée dans la liste des démarches."),
    )


class PresentationForm(forms.Form):
    """A procedure's (with ``services``) or a template's presentation."""

    titre = forms.CharField(label=_lazy("Titre"), max_length=200)
    resume = forms.CharField(label=_lazy("Résumé"), max_length=300, required=False)
    description = forms.CharField(
        label=_lazy("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_lazy("Montrée avant de commencer : ce qu’il faut préparer (Markdown)."),
    )
    competence: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_lazy("Compétence"), queryset=Competence.objects.order_by("nom")
    )
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_lazy("Service instructeur"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_lazy("Le service qui exerce la compétence"),
        help_text=_lazy("Laissez le choix par défaut pour orienter selon la compétence."),
    )
    retention_mois = forms.IntegerField(
        label=_lazy("Durée de conservation des dossiers clos (mois)"),
        min_value=1,
        max_value=RETENTION_MAX,
        help_text=_lazy("Passé ce délai, les données personnelles du dossier sont effacées."),
    )

    def __init__(self, *args: Any, services=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if services is None:
            del self.fields["service"]
        else:
            cast(forms.ModelChoiceField, self.fields["service"]).queryset = services


class ModeleCreateForm(forms.Form):
    titre = forms.CharField(label=_lazy("Titre du modèle"), max_length=200)
    code = forms.SlugField(
        label=_lazy("Code"),
        max_length=80,
        required=False,
        help_text=_lazy("Lettres, chiffres et tirets ; tiré du titre si vide."),
    )
    competence: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_lazy("Compétence"), queryset=Competence.objects.order_by("nom")
    )


class PublicationForm(forms.Form):
    note = forms.CharField(
        label=_lazy("Ce qui change, pour les collectivités qui l’ont adopté"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MiseAJourForm(forms.Form):
    """« Appliquer » a template update: the version and ``Plan.empreinte`` of the plan shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    empreinte = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PageForm(forms.Form):
    titre = forms.CharField(label=_lazy("Titre de la page"), max_length=200)
    texte = forms.CharField(
        label=_lazy("Texte d’introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Facultatif (Markdown)."),
    )


def type_choices(*, in_bloc: bool = False) -> list[tuple[str, str]]:
    """The field types the builder offers (no block inside a block)."""
    return [(k, str(v)) for k, v in fm.TYPES.items() if not (in_bloc and k == "bloc")]


class TypeForm(forms.Form):
    """The type of the field to add (a GET form leading to the field's form)."""

    type = forms.ChoiceField(label=_lazy("Type du champ"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = type_choices()


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _date_bound(value: str) -> str:
    value = (value or "").strip()
    if not value or value == "aujourdhui":
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(_("Une date AAAA-MM-JJ, ou « aujourdhui ».")) from None
    return value


def choices_parse(text: str) -> list[dict[str, str]]:
    """Read « valeur | libellé » lines (a line without « | » is a label, its value made from
    it)."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        value, _sep, label = line.partition("|")
        value, label = value.strip(), label.strip()
        if not _sep:
            label = value
            value = slugify(value).replace("-", "_")
        found.append({"valeur": value, "libelle": label or value})
    return found


def choices_text(choix: list[dict[str, Any]]) -> str:
    return "\n".join(f"{c.get('valeur')} | {c.get('libelle') or c.get('valeur')}" for c in choix)


def prefill_choices(kind: str, *, in_bloc: bool) -> list[tuple[str, str]]:
    """The sources a field of this type can be pre-filled from."""
    if kind in fm.LAYOUT_TYPES or kind == "fichier":
        return []
    if kind == "bloc":
        prefixes: tuple[str, ...] = ("foyer.",)
    elif in_bloc:
        prefixes = ("proche.",)
    else:
        prefixes = ("usager.", "adresse.")
    return [("", _("Aucun"))] + [
        (code, label) for code, label in PREFILL_SOURCES.items() if code.startswith(prefixes)
    ]


class ChampForm(forms.Form):
    """A field's definition; only the options of its type are offered."""

    cle = forms.RegexField(
        label=_lazy("Clé"),
        regex=fm.KEY_RE,
        max_length=50,
        help_text=_lazy(
            "Le nom technique de la réponse (exports, API) : lettres minuscules, chiffres et _, "
            "sans accent."
        ),
        error_messages={
            "invalid": _lazy(
                "La clé commence par une lettre minuscule, puis lettres minuscules, chiffres ou _."
            )
        },
    )
    libelle = forms.CharField(label=_lazy("Libellé"), max_length=300)
    aide = forms.CharField(
        label=_lazy("Aide"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Affichée sous le libellé."),
    )
    texte = forms.CharField(
        label=_lazy("Texte (Markdown)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    obligatoire = forms.BooleanField(label=_lazy("Réponse obligatoire"), required=False)
    choix = forms.CharField(
        label=_lazy("Choix"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy("Un choix par ligne : « valeur | libellé » (par exemple « cp | CP »)."),
    )
    min_choix = forms.IntegerField(
        label=_lazy("Cases à cocher au moins"), min_value=0, required=False
    )
    max_choix = forms.IntegerField(
        label=_lazy("Cases à cocher au plus"), min_value=1, required=False
    )
    longueur_max = forms.IntegerField(
        label=_lazy("Longueur maximale (caractères)"), min_value=1, max_value=20000, required=False
    )
    motif = forms.CharField(
        label=_lazy("Format attendu (expression régulière)"), max_length=200, required=False
    )
    motif_message = forms.CharField(
        label=_lazy("Message si le format n’est pas respecté"), max_length=200, required=False
    )
    min = forms.DecimalField(label=_lazy("Minimum"), required=False)
    max = forms.DecimalField(label=_lazy("Maximum"), required=False)
    decimales = forms.IntegerField(
        label=_lazy("Décimales"), min_value=0, max_value=4, required=False
    )
    date_min = forms.CharField(
        label=_lazy("Date au plus tôt"),
        required=False,
        help_text=_lazy("AAAA-MM-JJ, ou « aujourdhui »."),
    )
    date_max = forms.CharField(
        label=_lazy("Date au plus tard"),
        required=False,
        help_text=_lazy("AAAA-MM-JJ, ou « aujourdhui »."),
    )
    formats = forms.MultipleChoiceField(
        label=_lazy("Formats acceptés"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, str(t.label)) for code, t in FILE_TYPES.items()],
    )
    taille_max_mo = forms.IntegerField(
        label=_lazy("Taille maximale (Mo)"), min_value=1, max_value=50, required=False
    )
    piece_type = forms.ChoiceField(
        label=_lazy("Pièce du dossier citoyen proposée"),
        required=False,
        choices=[("", _lazy("Aucune")), *Piece.Type.choices],
        help_text=_lazy("L’usager la joint en un clic depuis son dossier citoyen."),
    )
    libelle_element = forms.CharField(
        label=_lazy("Nom d’un élément"),
        max_length=60,
        required=False,
        help_text=_lazy("Par exemple « Enfant » : « Ajouter un enfant »."),
    )
    min_repetitions = forms.TypedChoiceField(
        label=_lazy("Éléments au moins"),
        choices=[(0, "0"), (1, "1")],
        coerce=int,
        initial=0,
    )
    max_repetitions = forms.IntegerField(
        label=_lazy("Éléments au plus"), min_value=1, max_value=fm.MAX_REPETITIONS, initial=10
    )
    prerempli = forms.ChoiceField(
        label=_lazy("Pré-rempli depuis le dossier citoyen"), required=False, choices=()
    )
    condition_champ = forms.ChoiceField(
        label=_lazy("Afficher seulement si le champ"), required=False, choices=()
    )
    condition_valeur = forms.CharField(
        label=_lazy("a pour réponse"),
        required=False,
        max_length=200,
        help_text=_lazy("La valeur d’un choix, ou « oui » / « non »."),
    )

    BY_TYPE: dict[str, tuple[str, ...]] = {
        "texte": ("longueur_max", "motif", "motif_message"),
        "texte_long": ("longueur_max",),
        "nombre": ("min", "max", "decimales"),
        "date": ("date_min", "date_max"),
        "choix_unique": ("choix",),
        "liste": ("choix",),
        "choix_multiple": ("choix", "min_choix", "max_choix"),
        "fichier": ("formats", "taille_max_mo", "piece_type"),
        "bloc": ("libelle_element", "min_repetitions", "max_repetitions"),
        "texte_explicatif": ("texte",),
    }
    OPTIONAL = (
        "texte",
        "choix",
        "min_choix",
        "max_choix",
        "longueur_max",
        "motif",
        "motif_message",
        "min",
        "max",
        "decimales",
        "date_min",
        "date_max",
        "formats",
        "taille_max_mo",
        "piece_type",
        "libelle_element",
        "min_repetitions",
        "max_repetitions",
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        in_bloc: bool = False,
        condition_keys: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(self.BY_TYPE.get(kind, ()))
        for name in self.OPTIONAL:
            if name not in keep:
                del self.fields[name]
        if kind in fm.LAYOUT_TYPES:
            del self.fields["obligatoire"]
        if kind == "texte_explicatif":
            del self.fields["aide"]
            self.fields["libelle"].required = False
            self.fields["libelle"].help_text = _("Facultatif : un titre au-dessus du texte.")
        prefill = prefill_choices(kind, in_bloc=in_bloc)
        if prefill:
            cast(forms.ChoiceField, self.fields["prerempli"]).choices = prefill
        else:
            del self.fields["prerempli"]
        if condition_keys:
            cast(forms.ChoiceField, self.fields["condition_champ"]).choices = [
                ("", _("Toujours afficher")),
                *condition_keys,
            ]
        else:
            del self.fields["condition_champ"]
            del self.fields["condition_valeur"]

    @classmethod
    def initial_from(cls, champ: dict[str, Any]) -> dict[str, Any]:
        """Return the form's initial values for an existing field."""
        initial = {k: v for k, v in champ.items() if k not in ("choix", "condition", "min", "max")}
        if champ.get("type") == "date":
            initial["date_min"] = champ.get("min", "")
            initial["date_max"] = champ.get("max", "")
        else:
            initial["min"] = champ.get("min")
            initial["max"] = champ.get("max")
        if champ.get("choix"):
            initial["choix"] = choices_text(champ["choix"])
        condition = champ.get("condition") or {}
        initial["condition_champ"] = condition.get("champ", "")
        initial["condition_valeur"] = condition.get("valeur", "")
        return initial

    def clean_choix(self) -> list[dict[str, str]]:
        choix = choices_parse(self.cleaned_data.get("choix", ""))
        if not choix:
            raise forms.ValidationError(_("Donnez au moins un choix."))
        values = [c["valeur"] for c in choix]
        if any(not v for v in values):
            raise forms.ValidationError(_("Chaque choix a une valeur avant « | »."))
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("Deux choix ont la même valeur."))
        return choix

    def clean_motif(self) -> str:
        motif = self.cleaned_data.get("motif", "")
        if motif:
            try:
                re.compile(motif)
            except re.error:
                raise forms.ValidationError(_("Cette expression régulière est invalide.")) from None
        return motif

    def clean_date_min(self) -> str:
        return _date_bound(self.cleaned_data.get("date_min", ""))

    def clean_date_max(self) -> str:
        return _date_bound(self.cleaned_data.get("date_max", ""))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("condition_champ") and not (data.get("condition_valeur") or "").strip():
            self.add_error("condition_valeur", _("Donnez la réponse qui affiche ce champ."))
        if (
            data.get("min") is not None
            and data.get("max") is not None
            and data["min"] > data["max"]
        ):
            self.add_error("max", _("Le maximum est inférieur au minimum."))
        return data

    def champ(self) -> dict[str, Any]:
        """Return the field's definition (``configuration.champ_clean`` drops what is empty)."""
        data: dict[str, Any] = self.cleaned_data
        champ: dict[str, Any] = {
            "cle": data["cle"],
            "type": self.kind,
            "libelle": (data.get("libelle") or "").strip(),
            "aide": (data.get("aide") or "").strip(),
            "obligatoire": bool(data.get("obligatoire")),
            "prerempli": data.get("prerempli") or "",
        }
        if data.get("condition_champ"):
            champ["condition"] = {
                "champ": data["condition_champ"],
                "valeur": data["condition_valeur"].strip(),
            }
        for name in ("texte", "choix", "motif", "motif_message", "piece_type", "libelle_element"):
            if name in data:
                champ[name] = data[name]
        for name in (
            "longueur_max",
            "min_choix",
            "max_choix",
            "decimales",
            "taille_max_mo",
            "min_repetitions",
            "max_repetitions",
        ):
            if data.get(name) is not None:
                champ[name] = int(data[name])
        if self.kind == "nombre":
            champ["min"], champ["max"] = _number(data.get("min")), _number(data.get("max"))
        if self.kind == "date":
            champ["min"], champ["max"] = data.get("date_min", ""), data.get("date_max", "")
        if self.kind == "fichier":
            champ["formats"] = list(data.get("formats") or [])
        return champ


class StatutForm(forms.Form):
    libelle = forms.CharField(label=_lazy("Libellé du statut"), max_length=100)
    final = forms.BooleanField(
        label=_lazy("Statut final (le dossier est clos)"),
        required=False,
    )

    def __init__(self, *args: Any, built_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if built_in:
            del self.fields["final"]


class TransitionForm(forms.Form):
    de = forms.ChoiceField(label=_lazy("Depuis le statut"), choices=())
    vers = forms.ChoiceField(label=_lazy("Vers le statut"), choices=())
    libelle = forms.CharField(label=_lazy("Libellé du bouton"), max_length=100)
    roles = forms.MultipleChoiceField(
        label=_lazy("Qui peut le faire"),
        widget=forms.CheckboxSelectMultiple,
        choices=[("agent", _lazy("Les agents")), ("administrateur", _lazy("Les administrateurs"))],
    )
    motif = forms.ChoiceField(
        label=_lazy("Motif"),
        choices=[
            ("non", _lazy("Pas de motif")),
            ("facultatif", _lazy("Facultatif")),
            ("obligatoire", _lazy("Obligatoire")),
        ],
        help_text=_lazy("Le motif est envoyé à l’usager."),
    )
    courriel_objet = forms.CharField(
        label=_lazy("Objet du courriel à l’usager"),
        max_length=200,
        required=False,
        help_text=_lazy("Vide : pas de courriel."),
    )
    courriel_texte = forms.CharField(
        label=_lazy("Texte du courriel"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy(
            "Repères remplacés à l’envoi : {reference}, {demarche}, {statut}, {motif}, "
            "{collectivite}, {lien}."
        ),
    )
    document = forms.ChoiceField(
        label=_lazy("Document délivré"),
        required=False,
        choices=[("", _lazy("Aucun")), ("attestation", _lazy("L’attestation signée"))],
    )

    def __init__(
        self, *args: Any, workflow: dict[str, Any], fixed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        statuts = [
            (s["code"], s["libelle"]) for s in wf.statuses(workflow) if s["code"] != wf.BROUILLON
        ]
        cast(forms.ChoiceField, self.fields["de"]).choices = statuts
        cast(forms.ChoiceField, self.fields["vers"]).choices = statuts
        if fixed:
            self.fields["de"].widget = forms.HiddenInput()
            self.fields["vers"].widget = forms.HiddenInput()

    @staticmethod
    def initial_from(transition: wf.Transition) -> dict[str, Any]:
        return {
            "de": transition.de,
            "vers": transition.vers,
            "libelle": transition.libelle,
            "roles": list(transition.roles),
            "motif": transition.motif,
            "courriel_objet": transition.courriel_objet,
            "courriel_texte": transition.courriel_texte,
            "document": transition.document,
        }
