"""Back-office forms of open data: they check the shape of the input; the services decide
the rest (a file is read and validated by `version_publish`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.opendata.models import Jeu
from socle.opendata.schemas import schema_choices


class JeuForm(forms.Form):
    """Declare a dataset: what it is, the national schema its files follow, its licence."""

    titre = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que contient le jeu, d’où viennent les données, ce qu’elles couvrent."),
    )
    schema = forms.ChoiceField(
        label=_("Schéma national"),
        required=False,
        help_text=_("Les fichiers déposés seront validés contre ce schéma avant d’être publiés."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Jeu.Licence.choices, initial=Jeu.Licence.LO
    )
    frequence = forms.ChoiceField(
        label=_("Fréquence de mise à jour"),
        choices=Jeu.Frequence.choices,
        initial=Jeu.Frequence.INCONNUE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["schema"]).choices = [
            ("", _("Aucun schéma (fichier libre)")),
            *schema_choices(),
        ]


class DepotForm(forms.Form):
    """Upload a new version of a dataset."""

    fichier = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "CSV séparé par des points-virgules, des virgules ou des tabulations, en UTF-8 ou "
            "Windows-1252 ; ou classeur XLSX avec une seule feuille remplie."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    feuille = forms.CharField(
        label=_("Feuille à publier (classeur XLSX)"),
        required=False,
        max_length=100,
        help_text=_("Seulement si le classeur a plusieurs feuilles remplies."),
    )
