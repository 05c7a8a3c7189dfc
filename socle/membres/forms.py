"""Back-office forms: they check the shape of the input; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from socle.core.modules import module_choices
from socle.membres.models import Role, Service
from socle.membres.services import membre_fields_clean
from socle.territoires.models import Competence, alphabetical


def competence_choices():
    """The catalogue of competences, in alphabetical order."""
    competences = sorted(Competence.objects.all(), key=lambda c: alphabetical(c.nom))
    return [(competence.pk, competence.nom) for competence in competences]


class ColourInput(forms.TextInput):
    input_type = "color"


class CollectiviteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom de la collectivité, code INSEE ou SIREN"),
        max_length=100,
        required=False,
    )


class MembreSettingsForm(forms.Form):
    couleur = forms.CharField(
        label=_("Couleur principale"),
        max_length=7,
        widget=ColourInput,
        help_text=_("Utilisée pour le bandeau et les boutons du site public."),
    )
    modules = forms.MultipleChoiceField(
        label=_("Services en ligne activés"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hostname = forms.CharField(
        label=_("Nom d’hôte propre (facultatif)"),
        max_length=253,
        required=False,
        help_text=_("Par exemple services.macommune.fr, si la collectivité en a un."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        modules = self.fields["modules"]
        assert isinstance(modules, forms.MultipleChoiceField)
        # Only the modules installed on this platform can be switched on.
        modules.choices = module_choices()


class MembreOnboardForm(MembreSettingsForm):
    collectivite = forms.CharField(widget=forms.HiddenInput)
    slug = forms.CharField(
        label=_("Adresse sur la plateforme"),
        max_length=60,
        help_text=_("Lettres minuscules, chiffres et tirets ; par exemple « merignac »."),
    )
    admin_email = forms.EmailField(
        label=_("Adresse électronique de l’administrateur"),
        help_text=_("Cette personne reçoit une invitation pour créer son accès."),
    )

    field_order = ["collectivite", "slug", "admin_email", "couleur", "modules", "hostname"]

    def clean(self):
        """Check the address, colour, modules and host name with the rest, in one round."""
        cleaned = super().clean()
        try:
            membre_fields_clean(
                slug=(self.data.get("slug") or "").strip(),
                couleur=self.data.get("couleur") or "",
                modules=self.data.getlist("modules") if hasattr(self.data, "getlist") else [],
                hostname=self.data.get("hostname") or None,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field not in self.errors or message not in self.errors[field]:
                        self.add_error(field if field in self.fields else None, message)
        return cleaned

    def address_preview(self) -> str:
        """The member's public address in full, as the slug given makes it."""
        slug = (self.data.get("slug") if self.is_bound else self.initial.get("slug")) or ""
        return f"{settings.SITE_URL.rstrip('/')}/{slug.strip()}/"


class CompetenceCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, each option knowing its group (for the template's headings)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["held"] = getattr(value, "value", value) in self.held
        return option

    held: frozenset = frozenset()


class ServiceForm(forms.Form):
    """A service of a member. Competences the member does not hold stay choosable (a transfer
    may give them back, an old service keeps them) but apart, with a warning: routing never
    sends a request there."""

    nom = forms.CharField(label=_("Nom du service"), max_length=200)
    email = forms.EmailField(label=_("Adresse électronique du service"), required=False)
    telephone = forms.CharField(label=_("Téléphone"), max_length=50, required=False)
    competences = forms.ModelMultipleChoiceField(
        label=_("Compétences traitées"),
        queryset=Competence.objects.order_by("nom"),
        widget=CompetenceCheckboxes,
        required=False,
    )
    secteur_nom = forms.CharField(
        label=_("Nom du secteur (facultatif)"), max_length=200, required=False
    )
    secteur_geojson = forms.CharField(
        label=_("Secteur en GeoJSON (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Un polygone en coordonnées WGS 84 (longitude, latitude), si le service "
            "n’intervient que sur une partie du territoire : tracez-le sur la carte ou "
            "collez-le ici. Laissez vide pour tout le territoire."
        ),
    )

    def __init__(self, *args, held: set[int], **kwargs):
        """`held`: the ids of the competences the member holds (socle.territoires.holdings)."""
        super().__init__(*args, **kwargs)
        competences = self.fields["competences"]
        assert isinstance(competences, forms.ModelMultipleChoiceField)
        choices = competence_choices()
        competences.choices = [c for c in choices if c[0] in held] + [
            c for c in choices if c[0] not in held
        ]
        assert isinstance(competences.widget, CompetenceCheckboxes)
        competences.widget.held = frozenset(held)

    def competence_groups(self) -> list[dict]:
        """The competences' checkboxes: those the member holds, then the others."""
        boxes = list(self["competences"])
        return [
            group
            for group in (
                {"held": True, "boxes": [box for box in boxes if box.data["held"]]},
                {"held": False, "boxes": [box for box in boxes if not box.data["held"]]},
            )
            if group["boxes"]
        ]


ROLE_DESCRIPTIONS = {
    Role.Kind.AGENT: _(
        "Consulte la gestion de la collectivité et qui exerce chaque compétence, et aide les "
        "usagers à retrouver leur compte."
    ),
    Role.Kind.ADMINISTRATEUR: _(
        "Fait tout ce que fait un agent, et règle la collectivité : services, exceptions de "
        "compétences, invitations, clés d’API, historique. Un second facteur est exigé à la "
        "connexion."
    ),
    Role.Kind.ELU: _(
        "Consulte la gestion de la collectivité et qui exerce chaque compétence, sans rien "
        "modifier."
    ),
}


class RoleRadios(forms.RadioSelect):
    """Radio buttons whose each choice carries a sentence on what the role can do."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["description"] = ROLE_DESCRIPTIONS.get(value, "")
        if option["description"]:
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_aide"
        return option


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    kind = forms.ChoiceField(
        label=_("Rôle"),
        choices=[
            (Role.Kind.AGENT, Role.Kind.AGENT.label),
            (Role.Kind.ADMINISTRATEUR, Role.Kind.ADMINISTRATEUR.label),
            (Role.Kind.ELU, Role.Kind.ELU.label),
        ],
        widget=RoleRadios,
        initial=Role.Kind.AGENT,
    )
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Service (facultatif)"),
        queryset=None,
        required=False,
        empty_label=_("Aucun service en particulier"),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        service.queryset = services


class OverrideForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Competence.objects.order_by("nom")
    )
    holder = forms.ChoiceField(label=_("Qui l’exerce pour la commune"))

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        competence = self.fields["competence"]
        assert isinstance(competence, forms.ModelChoiceField)
        competence.choices = [
            ("", _("Choisissez une compétence")),
            *competence_choices(),
        ]
        self.candidates = {
            str(candidate.pk): candidate
            for candidate in [commune, commune.epci, commune.departement, commune.region]
            if candidate is not None
        }
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ChoiceField)
        holder.choices = [("", _("Règle générale (aucune exception)"))] + [
            (pk, f"{candidate.nom} ({candidate.get_kind_display().lower()})")
            for pk, candidate in self.candidates.items()
        ]
        holder.required = False

    def holder_collectivite(self):
        return self.candidates.get(self.cleaned_data.get("holder") or "")


class TransferForm(forms.Form):
    STATES = [
        ("loi", _("Selon la loi (règle par défaut)")),
        ("oui", _("Transférée à l’intercommunalité")),
        ("non", _("Exercée par les communes")),
    ]
    competence = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Competence.objects.order_by("nom")
    )
    state = forms.ChoiceField(label=_("Situation"), choices=STATES, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        competence = self.fields["competence"]
        assert isinstance(competence, forms.ModelChoiceField)
        competence.choices = [
            ("", _("Choisissez une compétence")),
            *competence_choices(),
        ]

    def transferred(self) -> bool | None:
        return {"loi": None, "oui": True, "non": False}[self.cleaned_data["state"]]
