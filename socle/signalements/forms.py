"""Back-office forms of reports: they check the shape of the input; the services decide the rest."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.signalements.models import DESCRIPTION_MAX, Question, Signalement
from socle.signalements.services import STATUS_TARGETS

STATUT_FILTER_CHOICES = [
    ("ouverts", _("Ouverts")),
    ("", _("Tous")),
    *Signalement.Statut.choices,
]
SORT_CHOICES = [
    ("recents", _("Les plus récents d’abord")),
    ("anciens", _("Les plus anciens d’abord")),
    ("priorite", _("Priorité la plus haute d’abord")),
]


class QueueFilterForm(forms.Form):
    """The queue's filters, in the URL (GET)."""

    statut = forms.ChoiceField(label=_("Statut"), choices=STATUT_FILTER_CHOICES, required=False)
    categorie = forms.ChoiceField(label=_("Catégorie"), choices=(), required=False)
    service = forms.ChoiceField(label=_("Service"), choices=(), required=False)
    depuis = forms.DateField(
        label=_("Reçus depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    jusqu_a = forms.DateField(
        label=_("Reçus jusqu’au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    texte = forms.CharField(
        label=_("Texte, adresse, commune ou référence"), max_length=200, required=False
    )
    tri = forms.ChoiceField(label=_("Trier"), choices=SORT_CHOICES, required=False)

    def __init__(self, data=None, *, categories=(), services=()):
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["categorie"]).choices = [("", _("Toutes"))] + sorted(
            {(c.code, c.nom) for c in categories}, key=lambda item: item[1]
        )
        cast(forms.ChoiceField, self.fields["service"]).choices = [("", _("Tous"))] + [
            (str(s.pk), s.nom) for s in services
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("depuis") and data.get("jusqu_a") and data["depuis"] > data["jusqu_a"]:
            self.add_error("jusqu_a", _("La date de fin précède la date de début."))
        return data

    def filters(self) -> dict:
        """The filters to give to selectors.queue_filter (open ones only when the form is wrong).

        Without a status in the URL, the open reports; an empty status means all of them.
        """
        if not self.is_valid():
            return {"statut": "ouverts"}
        data = self.cleaned_data
        return {
            "statut": data["statut"],
            "categorie": data["categorie"],
            "service": data["service"],
            "depuis": data["depuis"],
            "jusqu_a": data["jusqu_a"],
            "texte": data["texte"].strip(),
        }

    def ordering(self) -> list[str]:
        tri = self.cleaned_data.get("tri", "") if self.is_valid() else ""
        if tri == "anciens":
            return ["cree_le", "pk"]
        if tri == "priorite":
            return ["-priorite", "-cree_le", "-pk"]
        return ["-cree_le", "-pk"]


class PeriodForm(forms.Form):
    """The dashboard's period."""

    depuis = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    jusqu_a = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("depuis") and data.get("jusqu_a") and data["depuis"] > data["jusqu_a"]:
            self.add_error("jusqu_a", _("La date de fin précède la date de début."))
        return data


# --- Actions on a report -----------------------------------------------------------------------


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows})


class StatutForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=[(s, Signalement.Statut(s).label) for s in STATUS_TARGETS],
    )
    texte = forms.CharField(
        label=_("Message à l’auteur"),
        help_text=_("Obligatoire pour un rejet : il est envoyé aux personnes qui suivent."),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=_textarea(3),
    )


class ReponseForm(forms.Form):
    texte = forms.CharField(
        label=_("Réponse publique"),
        help_text=_("Publiée sur la page du signalement et envoyée aux personnes qui suivent."),
        max_length=DESCRIPTION_MAX,
        widget=_textarea(5),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note interne"),
        help_text=_("Visible des seuls agents ; jamais publiée ni envoyée."),
        max_length=DESCRIPTION_MAX,
        widget=_textarea(3),
    )


class AttribuerForm(forms.Form):
    agent = forms.ChoiceField(label=_("Attribuer à"), choices=(), required=False)

    def __init__(self, data=None, *, agents=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["agent"]).choices = [("", _("Personne"))] + [
            (str(u.pk), u.get_full_name() or u.email) for u in agents
        ]


class PrioriteForm(forms.Form):
    priorite = forms.TypedChoiceField(
        label=_("Priorité"), choices=Signalement.Priorite.choices, coerce=int
    )


class ReorienterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service destinataire"), choices=())
    motif = forms.CharField(label=_("Motif de la réorientation"), max_length=500)

    def __init__(self, data=None, *, services=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["service"]).choices = [
            ("", _("Choisissez un service"))
        ] + [(str(s.pk), f"{s.membre.collectivite.nom} — {s.nom}") for s in services]


class DoublonForm(forms.Form):
    original = forms.CharField(
        label=_("Référence du signalement d’origine"),
        help_text=_("Huit caractères, par exemple 7KQ2M9TX."),
        max_length=12,
    )


class MasquerForm(forms.Form):
    motif = forms.CharField(label=_("Motif du masquage"), max_length=300)


class PhotoForm(forms.Form):
    photo = forms.IntegerField(widget=forms.HiddenInput)


class EnvoiForm(forms.Form):
    envoi = forms.IntegerField(widget=forms.HiddenInput)


class ExpurgerForm(forms.Form):
    description = forms.CharField(
        label=_("Description publiée"),
        help_text=_(
            "Retirez les données personnelles (nom, téléphone, plaque…) : "
            "le texte d’origine reste conservé, sans être publié."
        ),
        max_length=DESCRIPTION_MAX,
        widget=_textarea(5),
    )


class PositionForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class EmptyForm(forms.Form):
    pass


# --- Settings ----------------------------------------------------------------------------------


class ReglagesForm(forms.Form):
    moderation_prealable = forms.BooleanField(
        label=_("Relire chaque signalement avant de le publier"), required=False
    )
    retention_mois = forms.IntegerField(
        label=_("Durée de conservation des coordonnées des auteurs (mois après la clôture)"),
        min_value=1,
        max_value=120,
    )


class CategorieReglageForm(forms.Form):
    categorie = forms.IntegerField(widget=forms.HiddenInput)
    active = forms.BooleanField(label=_("Proposée aux habitants"), required=False)
    nom = forms.CharField(
        label=_("Nom affiché"),
        help_text=_("Laissez vide pour garder le nom de la plateforme."),
        max_length=120,
        required=False,
    )


def _formulaire(name: str):
    """The hidden field that tells the settings page which of its forms was sent."""
    return forms.CharField(widget=forms.HiddenInput, initial=name, required=False)


class CategoriePropreForm(forms.Form):
    formulaire = _formulaire("propre")
    nom = forms.CharField(label=_("Nom de la catégorie"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    competence = forms.ChoiceField(label=_("Compétence"), choices=())

    def __init__(self, data=None, *, competences=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["competence"]).choices = [
            ("", _("Choisissez une compétence"))
        ] + [(str(c.pk), c.nom) for c in competences]


class QuestionForm(forms.Form):
    formulaire = _formulaire("question")
    categorie = forms.ChoiceField(label=_("Catégorie"), choices=())
    libelle = forms.CharField(label=_("Question"), max_length=200)
    aide = forms.CharField(label=_("Aide"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Type de réponse"), choices=Question.Kind.choices)
    choix = forms.CharField(
        label=_("Réponses possibles"),
        help_text=_("Pour un choix dans une liste : une réponse par ligne."),
        required=False,
        max_length=2000,
        widget=_textarea(3),
    )
    obligatoire = forms.BooleanField(label=_("Réponse obligatoire"), required=False)

    def __init__(self, data=None, *, categories=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["categorie"]).choices = [
            ("", _("Choisissez une catégorie"))
        ] + [(str(item.categorie.pk), item.nom) for item in categories]


class ModeleReponseForm(forms.Form):
    formulaire = _formulaire("modele")
    titre = forms.CharField(label=_("Titre du modèle"), max_length=120)
    texte = forms.CharField(
        label=_("Texte de la réponse"), max_length=DESCRIPTION_MAX, widget=_textarea(4)
    )


class SuppressionForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput)
