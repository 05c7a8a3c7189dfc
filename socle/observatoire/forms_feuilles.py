"""Forms of the roadmap pages and of the coherence view: they check the shape of the input;
the services (`socle.observatoire.feuilles`) decide the rest."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.observatoire.models import Projet
from socle.observatoire.themes import THEME_CHOICES


class AmbitionForm(forms.Form):
    ambition = forms.CharField(
        label=_("Ambition"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Où la collectivité veut aller avec le numérique, en quelques phrases : ce qui "
            "guide les axes et les projets qui suivent."
        ),
    )


class AxeForm(forms.Form):
    titre = forms.CharField(label=_("Titre de l’axe"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"),
        required=False,
        choices=THEME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les thèmes du baromètre national que l’axe couvre."),
    )


class RattacherForm(forms.Form):
    projet = forms.ModelChoiceField(
        label=_("Projet de la collectivité"),
        queryset=Projet.objects.none(),
        empty_label=_("Choisissez un projet"),
        error_messages={"invalid_choice": _("Choisissez un projet de la collectivité.")},
    )

    def __init__(self, *args, projets=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["projet"])
        if projets is not None:
            field.queryset = projets


PLANNED_STATUTS = [
    (Projet.Statut.IDEE, Projet.Statut.IDEE.label),
    (Projet.Statut.EN_PROJET, Projet.Statut.EN_PROJET.label),
    (Projet.Statut.EN_COURS, Projet.Statut.EN_COURS.label),
]


class NouveauProjetForm(forms.Form):
    titre = forms.CharField(label=_("Titre du projet prévu"), max_length=200)
    theme = forms.ChoiceField(
        label=_("Thème"),
        required=False,
        choices=[("", _("Ceux de l’axe")), *THEME_CHOICES],
    )
    statut = forms.ChoiceField(
        label=_("Où il en est"), choices=PLANNED_STATUTS, initial=Projet.Statut.EN_PROJET
    )


class JalonForm(forms.Form):
    titre = forms.CharField(label=_("Jalon"), max_length=200)
    date = forms.DateField(
        label=_("Date prévue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    atteint = forms.BooleanField(label=_("Atteint"), required=False)


class AdoptionForm(forms.Form):
    instance = forms.CharField(
        label=_("Adoptée par"),
        max_length=300,
        help_text=_(
            "L’instance et la date de la décision : « Conseil municipal du 12 mars 2026 »."
        ),
    )


class ZoneForm(forms.Form):
    """The territory of the coherence view: a département or a région where members are."""

    zone = forms.ChoiceField(label=_("Territoire"))

    def __init__(self, *args, zones=None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = zones or {"departement": [], "region": []}
        cast(forms.ChoiceField, self.fields["zone"]).choices = [
            (
                _("Départements"),
                [(f"departement-{c.code}", f"{c.nom} ({c.code})") for c in zones["departement"]],
            ),
            (_("Régions"), [(f"region-{c.code}", c.nom) for c in zones["region"]]),
        ]
        self.fields["zone"].error_messages["invalid_choice"] = _(
            "Choisissez un département ou une région de la liste."
        )
