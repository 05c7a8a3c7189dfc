"""Forms of the maturity diagnostic and of its questionnaire's configuration: they check the
shape of the input; the services (`socle.observatoire.maturite`) decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socle.observatoire.maturite import NIVEAUX, NON_CONCERNE, field_name
from socle.observatoire.models import Diagnostic, MaturiteEnonce
from socle.observatoire.themes import THEME_CHOICES, THEMES, theme_label

SCALE = [
    *((str(level), f"{level} — {label}") for level, label in NIVEAUX),
    (NON_CONCERNE, _("Non concerné")),
]


class DiagnosticForm(forms.Form):
    """One radio scale (0–5, or « non concerné ») per active statement, grouped by theme."""

    def __init__(self, *args, enonces: list[MaturiteEnonce], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, str, list[str]]] = []
        by_theme: dict[str, list[str]] = {}
        for enonce in enonces:
            name = field_name(enonce.pk)
            self.fields[name] = forms.ChoiceField(
                label=enonce.texte,
                help_text=enonce.aide,
                choices=SCALE,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez un niveau de 0 à 5, ou « Non concerné »."),
                    "invalid_choice": _(
                        "Le niveau est compris entre 0 et 5 ; sinon, choisissez « Non concerné »."
                    ),
                },
            )
            by_theme.setdefault(enonce.theme, []).append(name)
        self.groups = [
            (code, theme_label(code), by_theme[code]) for code in THEMES if code in by_theme
        ]

    @property
    def theme_fields(self):
        """[(code, label, [bound fields])] for the template."""
        return [(code, label, [self[name] for name in names]) for code, label, names in self.groups]

    def reponses(self) -> dict[str, str]:
        """The answers as the service takes them: {statement id: "0"…"5" or "nc"}."""
        return {
            name.removeprefix("enonce_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("enonce_")
        }


def initial_from(diagnostic: Diagnostic | None) -> dict[str, str]:
    """The questionnaire pre-filled with a former diagnostic's answers."""
    if diagnostic is None:
        return {}
    return {
        field_name(key): NON_CONCERNE if level is None else str(level)
        for key, level in (diagnostic.reponses or {}).items()
    }


class EnonceForm(forms.Form):
    """A statement of the questionnaire."""

    theme = forms.ChoiceField(label=_("Thème"), choices=THEME_CHOICES)
    texte = forms.CharField(
        label=_("Énoncé"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une affirmation sur laquelle la collectivité se place de 0 à 5."),
    )
    aide = forms.CharField(
        label=_("Aide"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui distingue les niveaux élevés, montré sous l’énoncé."),
    )
    ordre = forms.IntegerField(
        label=_("Ordre dans le thème"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Laissez vide pour le placer en dernier."),
    )
    actif = forms.BooleanField(
        label=_("Dans le questionnaire"),
        required=False,
        initial=True,
        help_text=_(
            "Décochez pour le retirer des prochains diagnostics ; les diagnostics passés "
            "gardent leurs réponses."
        ),
    )
