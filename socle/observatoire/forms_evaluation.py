"""Forms of the value analysis, its configuration and a project's follow-up.

They only give the pages their fields: every value is a text checked by the services
(`socle.observatoire.evaluation`), so that all the errors of a form come back in one round, in
French, on their fields (`socle.core.forms.add_service_errors`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from socle.observatoire.evaluation import questions_of
from socle.observatoire.models import EvalAxe, EvalQuestion, Evaluation, Indicateur, Jalon

# New answers offered at once when a question is written.
NEW_QUESTION_CHOICES = 4


def decimal_text(value: Any) -> str:
    """A stored number as a person types it: 12500,5 (no grouping, no useless decimals)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return number_format(number.normalize(), use_l10n=True, force_grouping=False)


def _amount(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _number(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _date(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EvaluationForm(forms.Form):
    """The questionnaire (a radio group per question, `reponse_<id>`), the yearly flows
    (`couts_<i>`, `gains_<i>`, i = 0 … horizon − 1) and a comment."""

    commentaire = forms.CharField(
        label=_("Commentaire"),
        required=False,
        help_text=_("Hypothèses retenues, sources des montants, points d’attention."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, data=None, *, axes: list[EvalAxe], horizon: int, evaluation: Evaluation | None
    ):
        initial: dict[str, Any] = {}
        if evaluation is not None:
            initial["commentaire"] = evaluation.commentaire
            for key, choice in (evaluation.reponses or {}).items():
                initial[f"reponse_{key}"] = str(choice)
            for index, row in enumerate(evaluation.flux or []):
                initial[f"couts_{index}"] = decimal_text(row.get("couts"))
                initial[f"gains_{index}"] = decimal_text(row.get("gains"))
        super().__init__(data, initial=initial)
        self.axes = axes
        self.horizon = horizon
        commentaire = self.fields.pop("commentaire")
        for axe in axes:
            if axe.financier:
                continue
            for question in questions_of(axe):
                # A CharField with radio buttons: the service tells a wrong choice, with the rest.
                self.fields[f"reponse_{question.pk}"] = forms.CharField(
                    label=question.texte,
                    required=False,
                    help_text=question.aide,
                    widget=forms.RadioSelect(
                        choices=[
                            *((str(c.pk), c.libelle) for c in question.choix.all()),
                            ("", _("Sans réponse")),
                        ]
                    ),
                )
                self.initial.setdefault(f"reponse_{question.pk}", "")
        for year in range(horizon):
            self.fields[f"couts_{year}"] = _amount(
                _("Coûts de l’année %(n)d, en euros") % {"n": year + 1}
            )
            self.fields[f"gains_{year}"] = _amount(
                _("Gains de l’année %(n)d, en euros") % {"n": year + 1}
            )
        self.fields["commentaire"] = commentaire  # last, after the flows

    def questionnaire(self) -> list[tuple[EvalAxe, list[forms.BoundField]]]:
        """The question axes, each with its questions' fields."""
        return [
            (axe, [self[f"reponse_{question.pk}"] for question in questions_of(axe)])
            for axe in self.axes
            if not axe.financier and questions_of(axe)
        ]

    def financier(self) -> EvalAxe | None:
        return next((axe for axe in self.axes if axe.financier), None)

    def flux_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(year number from 1, costs field, gains field) for each year of the horizon."""
        return [
            (year + 1, self[f"couts_{year}"], self[f"gains_{year}"]) for year in range(self.horizon)
        ]

    def reponses(self) -> dict[str, str]:
        return {
            name.removeprefix("reponse_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("reponse_")
        }

    def flux(self) -> list[dict[str, str]]:
        return [
            {"couts": self.cleaned_data[f"couts_{y}"], "gains": self.cleaned_data[f"gains_{y}"]}
            for y in range(self.horizon)
        ]


# --- Follow-up -----------------------------------------------------------------------------------


class AvancementForm(forms.Form):
    avancement = forms.CharField(
        label=_("Avancement du projet, en %"),
        max_length=5,
        required=False,
        help_text=_("Un nombre entier de 0 à 100."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class JalonForm(forms.Form):
    titre = forms.CharField(label=_("Jalon"), max_length=250, required=False)
    date_prevue = _date(_("Date prévue"))
    date_reelle = _date(_("Date à laquelle il a été atteint"), _("Vide tant qu’il ne l’est pas."))

    @classmethod
    def of(cls, jalon: Jalon, data=None) -> JalonForm:
        return cls(
            data,
            prefix=f"jalon-{jalon.pk}",
            initial={
                "titre": jalon.titre,
                "date_prevue": jalon.date_prevue.isoformat() if jalon.date_prevue else "",
                "date_reelle": jalon.date_reelle.isoformat() if jalon.date_reelle else "",
            },
        )


class IndicateurForm(forms.Form):
    nom = forms.CharField(label=_("Indicateur"), max_length=250, required=False)
    unite = forms.CharField(
        label=_("Unité"),
        max_length=60,
        required=False,
        help_text=_("Par exemple « demandes par mois », « % », « € »."),
    )
    cible = _number(_("Valeur prévue (cible)"))
    realise = _number(_("Valeur atteinte"))
    date_mesure = _date(_("Mesurée le"))

    @classmethod
    def of(cls, indicateur: Indicateur, data=None) -> IndicateurForm:
        return cls(
            data,
            prefix=f"indicateur-{indicateur.pk}",
            initial={
                "nom": indicateur.nom,
                "unite": indicateur.unite,
                "cible": decimal_text(indicateur.cible),
                "realise": decimal_text(indicateur.realise),
                "date_mesure": indicateur.date_mesure.isoformat() if indicateur.date_mesure else "",
            },
        )


# --- Configuration -------------------------------------------------------------------------------


class ReglagesForm(forms.Form):
    horizon_annees = forms.CharField(
        label=_("Horizon de l’analyse financière, en années"),
        max_length=5,
        required=False,
        help_text=_("De 1 à 30 ans : autant d’années de coûts et de gains sont demandées."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    taux_actualisation = _number(
        _("Taux d’actualisation, en % par an"),
        _(
            "De 0 à 20 ; 4,5 % par défaut, le taux du rapport Quinet (2013) pour l’investissement "
            "public."
        ),
    )


class AxesForm(forms.Form):
    """Every axis at once: `axe_<id>_nom`, `_description`, `_poids`, `_actif`."""

    def __init__(self, data=None, *, axes: list[EvalAxe]):
        super().__init__(data, prefix="axes")
        self.axes = axes
        for axe in axes:
            nom = {"nom": axe.nom}
            self.fields[f"axe_{axe.pk}_nom"] = forms.CharField(
                label=_("Nom de l’axe « %(nom)s »") % nom,
                max_length=250,
                required=False,
                initial=axe.nom,
            )
            self.fields[f"axe_{axe.pk}_description"] = forms.CharField(
                label=_("Description de l’axe « %(nom)s »") % nom,
                required=False,
                initial=axe.description,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"axe_{axe.pk}_poids"] = _number(
                _("Poids de l’axe « %(nom)s » dans la note d’ensemble") % nom,
                _("De 0 à 100 ; à 0, l’axe est affiché sans compter dans la note."),
            )
            self.initial[f"axe_{axe.pk}_poids"] = decimal_text(axe.poids)
            self.fields[f"axe_{axe.pk}_actif"] = forms.BooleanField(
                label=_("Évaluer l’axe « %(nom)s »") % nom, required=False, initial=axe.actif
            )

    def groups(self) -> list[tuple[EvalAxe, list[forms.BoundField]]]:
        return [
            (
                axe,
                [self[f"axe_{axe.pk}_{name}"] for name in ("nom", "description", "poids", "actif")],
            )
            for axe in self.axes
        ]

    def changes(self) -> dict[int, dict[str, Any]]:
        return {
            axe.pk: {
                name: self.cleaned_data[f"axe_{axe.pk}_{name}"]
                for name in ("nom", "description", "poids", "actif")
            }
            for axe in self.axes
        }


class AxeAjoutForm(forms.Form):
    nom = forms.CharField(label=_("Nom de l’axe"), max_length=250, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    poids = _number(_("Poids dans la note d’ensemble"), _("De 0 à 100."))

    def __init__(self, data=None):
        super().__init__(data, prefix="nouvel-axe", initial={"poids": "1"})


class QuestionForm(forms.Form):
    """A question and its answers: `texte`, `aide`, `poids`, `actif`, then
    `choix_<id>_libelle|points|supprimer` and one new answer `nouveau_0_libelle|points`."""

    texte = forms.CharField(label=_("Question"), max_length=600, required=False)
    aide = forms.CharField(
        label=_("Aide"),
        required=False,
        help_text=_("Affichée sous la question."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    poids = _number(_("Poids dans l’axe"), _("De 0 à 100."))
    actif = forms.BooleanField(label=_("Question posée"), required=False)

    def __init__(self, data=None, *, question: EvalQuestion):
        super().__init__(
            data,
            prefix=f"question-{question.pk}",
            initial={
                "texte": question.texte,
                "aide": question.aide,
                "poids": decimal_text(question.poids),
                "actif": question.actif,
            },
        )
        self.question = question
        self.choices = list(question.choix.all())
        for number, choice in enumerate(self.choices, start=1):
            self.fields[f"choix_{choice.pk}_libelle"] = forms.CharField(
                label=_("Réponse %(n)d") % {"n": number}, max_length=350, required=False
            )
            self.fields[f"choix_{choice.pk}_points"] = _number(
                _("Points de la réponse %(n)d (0 à 4)") % {"n": number}
            )
            self.fields[f"choix_{choice.pk}_supprimer"] = forms.BooleanField(
                label=_("Supprimer la réponse %(n)d") % {"n": number}, required=False
            )
            self.initial[f"choix_{choice.pk}_libelle"] = choice.libelle
            self.initial[f"choix_{choice.pk}_points"] = decimal_text(choice.points)
        self.fields["nouveau_0_libelle"] = forms.CharField(
            label=_("Nouvelle réponse"), max_length=350, required=False
        )
        self.fields["nouveau_0_points"] = _number(_("Points de la nouvelle réponse (0 à 4)"))

    def choice_rows(self) -> list[list[forms.BoundField]]:
        rows = [
            [self[f"choix_{c.pk}_{name}"] for name in ("libelle", "points", "supprimer")]
            for c in self.choices
        ]
        rows.append([self["nouveau_0_libelle"], self["nouveau_0_points"]])
        return rows

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "texte": data["texte"],
            "aide": data["aide"],
            "poids": data["poids"],
            "actif": data["actif"],
            "choix": [
                {
                    "id": c.pk,
                    "libelle": data[f"choix_{c.pk}_libelle"],
                    "points": data[f"choix_{c.pk}_points"],
                    "supprimer": data[f"choix_{c.pk}_supprimer"],
                }
                for c in self.choices
            ]
            + [{"libelle": data["nouveau_0_libelle"], "points": data["nouveau_0_points"]}],
        }


class QuestionAjoutForm(forms.Form):
    """A new question of an axis with up to four answers (`nouveau_<n>_libelle|points`)."""

    texte = forms.CharField(label=_("Question"), max_length=600, required=False)
    aide = forms.CharField(
        label=_("Aide"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    poids = _number(_("Poids dans l’axe"), _("De 0 à 100."))

    def __init__(self, data=None, *, axe: EvalAxe):
        super().__init__(data, prefix=f"axe-{axe.pk}-question", initial={"poids": "1"})
        self.axe = axe
        for n in range(NEW_QUESTION_CHOICES):
            self.fields[f"nouveau_{n}_libelle"] = forms.CharField(
                label=_("Réponse %(n)d") % {"n": n + 1}, max_length=350, required=False
            )
            self.fields[f"nouveau_{n}_points"] = _number(
                _("Points de la réponse %(n)d (0 à 4)") % {"n": n + 1}
            )

    def choice_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"nouveau_{n}_libelle"], self[f"nouveau_{n}_points"]]
            for n in range(NEW_QUESTION_CHOICES)
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "texte": data["texte"],
            "aide": data["aide"],
            "poids": data["poids"],
            "choix": [
                {"libelle": data[f"nouveau_{n}_libelle"], "points": data[f"nouveau_{n}_points"]}
                for n in range(NEW_QUESTION_CHOICES)
            ],
        }
