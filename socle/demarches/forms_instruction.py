"""The forms of the instruction back office: the queue's filters, bulk actions, and the
dossier page's actions (decision, assignment, message, request for a document)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from socle.demarches.selectors import A_TRAITER


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (checked by the service, all of them at once)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def _attrs_html(attrs: dict) -> str:
    """An element's attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select written in Python, byte for byte as Django's templates write it
    (django/forms/widgets/select.html, select_option.html, attrs.html).

    The queue's filters and bulk form list every procedure, status and agent: through the
    templates that is two includes an option, ~120 a page, the largest part of its rendering.
    Follow those templates if the project ever overrides them.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attrs_html(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attrs_html(option["attrs"])),  # noqa: S308 - escaped
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


class QueueFilterForm(forms.Form):
    """The queue's filters, in the URL (GET); the status is the tab."""

    statut = forms.ChoiceField(label=_("Statut"), choices=(), required=False, widget=PlainSelect)
    demarche = forms.ChoiceField(
        label=_("Démarche"), choices=(), required=False, widget=PlainSelect
    )
    service = forms.ChoiceField(label=_("Service"), choices=(), required=False, widget=PlainSelect)
    assigne = forms.ChoiceField(
        label=_("Attribué à"), choices=(), required=False, widget=PlainSelect
    )
    q = forms.CharField(label=_("Référence ou nom du demandeur"), max_length=100, required=False)
    depose_du = forms.DateField(
        label=_("Déposés depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    depose_au = forms.DateField(
        label=_("Déposés jusqu’au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, statuts=(), demarches=(), services=(), agents=()):
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["statut"]).choices = [
            (A_TRAITER, _("À traiter")),
            ("", _("Tous")),
            *statuts,
        ]
        cast(forms.ChoiceField, self.fields["demarche"]).choices = [("", _("Toutes"))] + [
            (str(d.pk), d.titre) for d in demarches
        ]
        cast(forms.ChoiceField, self.fields["service"]).choices = [("", _("Tous"))] + [
            (str(s.pk), s.nom) for s in services
        ]
        cast(forms.ChoiceField, self.fields["assigne"]).choices = [
            ("", _("Tout le monde")),
            ("moi", _("Moi")),
            ("personne", _("Personne")),
        ] + [(str(u.pk), u.get_full_name() or u.email) for u in agents]

    def clean(self):
        data = super().clean() or {}
        if (
            data.get("depose_du")
            and data.get("depose_au")
            and data["depose_du"] > data["depose_au"]
        ):
            self.add_error("depose_au", _("La date de fin précède la date de début."))
        return data

    def filters(self) -> dict:
        """The filters for selectors.dossiers_queue (« à traiter » alone when the form is
        wrong); without a status in the URL, the dossiers to handle."""
        if not self.is_valid():
            return {"statut": A_TRAITER}
        data = self.cleaned_data
        return {
            "statut": data["statut"],
            "demarche": int(data["demarche"]) if data["demarche"] else None,
            "service": int(data["service"]) if data["service"] else None,
            "assigne": data["assigne"] or None,
            "q": data["q"].strip(),
            "depose_du": data["depose_du"],
            "depose_au": data["depose_au"],
        }


class BulkForm(forms.Form):
    """An action on the dossiers ticked in the queue."""

    dossiers = forms.MultipleChoiceField(
        label=_("Dossiers"),
        choices=(),
        required=True,
        error_messages={"required": _("Cochez au moins un dossier.")},
        widget=forms.CheckboxSelectMultiple,
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=(
            ("", _("Choisir…")),
            ("attribuer", _("Attribuer à")),
            ("statut", _("Passer au statut")),
        ),
        widget=PlainSelect,
    )
    agent = forms.ChoiceField(
        label=_("Attribuer à"), choices=(), required=False, widget=PlainSelect
    )
    vers = forms.ChoiceField(
        label=_("Nouveau statut"), choices=(), required=False, widget=PlainSelect
    )
    motif = forms.CharField(
        label=_("Motif (envoyé aux usagers)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, agents=(), statuts=(), **kwargs):
        super().__init__(data, **kwargs)
        # Any reference may be posted: the service says which ones the user may not touch.
        posted = data.getlist("dossiers") if data is not None and hasattr(data, "getlist") else []
        cast(forms.MultipleChoiceField, self.fields["dossiers"]).choices = [
            (r, r) for r in dict.fromkeys(posted)
        ]
        cast(forms.ChoiceField, self.fields["agent"]).choices = [("", _("Personne"))] + [
            (str(u.pk), u.get_full_name() or u.email) for u in agents
        ]
        cast(forms.ChoiceField, self.fields["vers"]).choices = [("", _("Choisir…")), *statuts]

    def clean(self):
        data = super().clean() or {}
        if data.get("action") == "statut" and not data.get("vers"):
            self.add_error("vers", _("Choisissez le nouveau statut."))
        return data


class TransitionForm(forms.Form):
    """A decision: the move (a button per move) and its motif."""

    vers = forms.CharField(widget=forms.HiddenInput)
    motif = forms.CharField(
        label=_("Motif (envoyé à l’usager)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    agent = forms.ChoiceField(label=_("Attribuer à"), choices=(), required=False)

    def __init__(self, data=None, *, agents=(), **kwargs):
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["agent"]).choices = [("", _("Personne"))] + [
            (str(u.pk), u.get_full_name() or u.email) for u in agents
        ]


class MessageForm(forms.Form):
    texte = forms.CharField(
        label=_("Votre message à l’usager"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Écrivez votre message.")},
    )
    fichiers = MultipleFileField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_("5 fichiers au plus : PDF, JPEG, PNG, ODT ou DOCX, 10 Mo chacun."),
    )


class DemandePieceForm(forms.Form):
    libelle = forms.CharField(
        label=_("Pièce demandée"),
        max_length=200,
        error_messages={"required": _("Nommez la pièce demandée.")},
    )
    explication = forms.CharField(
        label=_("Précisions pour l’usager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DemandeCancelForm(forms.Form):
    demande = forms.IntegerField(widget=forms.HiddenInput)
