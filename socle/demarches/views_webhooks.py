"""A member's webhooks in the back office: list, add (the secret is shown once), delete, and each
webhook's deliveries with « Relancer » for the abandoned ones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge, post_button
from socle.demarches.forms_webhooks import WebhookForm
from socle.demarches.models import Livraison, Webhook
from socle.demarches.webhooks import (
    EVENEMENTS,
    get_livraison_for_user,
    get_webhook_for_user,
    livraison_retry,
    livraisons_of,
    webhook_create,
    webhook_delete,
    webhooks_of,
)
from socle.membres.decorators import membre_view
from socle.membres.views import membre_render

PERMISSION = "demarches.configurer"
TONES: dict[str, str] = {
    Livraison.Etat.EN_ATTENTE: "info",
    Livraison.Etat.LIVREE: "succes",
    Livraison.Etat.ECHEC: "erreur",
}


def _when(moment) -> str:
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else "—"


def _webhook_row(request, membre, hook: Webhook) -> list:
    kwargs = {"slug": membre.slug, "pk": hook.pk}
    events = (
        ", ".join(str(EVENEMENTS.get(name, name)) for name in hook.evenements)
        if hook.evenements
        else _("Tous")
    )
    return [
        format_html("<code>{}</code>", hook.url),
        events,
        _when(hook.cree_le),
        format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            reverse("gestion:demarches:webhook_livraisons", kwargs=kwargs),
            _("Livraisons"),
            hook.url,
        ),
        post_button(
            request,
            reverse("gestion:demarches:webhook_supprimer", kwargs=kwargs),
            _("Supprimer"),
            hook.url,
        ),
    ]


@never_cache
@membre_view(PERMISSION, methods=["GET", "HEAD", "POST"])
def webhooks(request, membre):
    """The member's webhooks; add one (its secret is shown on this response only)."""
    form = WebhookForm(request.POST if request.method == "POST" else None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                hook, secret = webhook_create(
                    acting_user=request.user,
                    membre=membre,
                    url=form.cleaned_data["url"],
                    evenements=form.cleaned_data["evenements"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                created = {"webhook": hook, "secret": secret}
                form = WebhookForm()
        if created is None:
            status = 400
    return membre_render(
        request,
        membre,
        "demarches/webhooks/liste.html",
        {
            "form": form,
            "created": created,
            "columns": [_("Adresse"), _("Événements"), _("Ajouté le"), _("Suivi"), _("Action")],
            "rows": [_webhook_row(request, membre, hook) for hook in webhooks_of(membre=membre)],
        },
        title=_("Webhooks"),
        crumbs=(_("Webhooks"),),
        status=status,
    )


@membre_view(PERMISSION, methods=["POST"])
def webhook_supprimer(request, membre, pk: int):
    """Delete one of the member's webhooks."""
    hook = get_webhook_for_user(user=request.user, membre=membre, pk=pk)
    webhook_delete(acting_user=request.user, webhook=hook)
    messages.success(request, _("Le webhook « %(url)s » est supprimé.") % {"url": hook.url})
    return redirect("gestion:demarches:webhooks", slug=membre.slug)


def _livraison_row(request, membre, hook: Webhook, livraison: Livraison) -> list:
    state = badge(livraison.get_etat_display(), TONES.get(livraison.etat, "neutre"))
    if livraison.derniere_reponse is not None:
        last = f"HTTP {livraison.derniere_reponse}"
        if livraison.derniere_erreur and not livraison.derniere_erreur.startswith("HTTP"):
            last = f"{last} — {livraison.derniere_erreur}"
    else:
        last = livraison.derniere_erreur or "—"
    action = "—"
    if livraison.etat == Livraison.Etat.ECHEC:
        action = post_button(
            request,
            reverse(
                "gestion:demarches:livraison_relancer",
                kwargs={"slug": membre.slug, "pk": hook.pk, "livraison": livraison.pk},
            ),
            _("Relancer"),
            livraison.uid,
        )
    return [
        _when(livraison.cree_le),
        livraison.evenement,
        livraison.dossier.reference if livraison.dossier is not None else "—",
        state,
        str(livraison.tentatives),
        last,
        _when(livraison.prochain_essai) if livraison.etat == Livraison.Etat.EN_ATTENTE else "—",
        action,
    ]


@never_cache
@membre_view(PERMISSION, methods=["GET", "HEAD"])
def livraisons(request, membre, pk: int):
    """A webhook's latest deliveries and their state."""
    hook = get_webhook_for_user(user=request.user, membre=membre, pk=pk)
    return membre_render(
        request,
        membre,
        "demarches/webhooks/livraisons.html",
        {
            "webhook": hook,
            "columns": [
                _("Créée le"),
                _("Événement"),
                _("Dossier"),
                _("État"),
                _("Tentatives"),
                _("Dernière réponse"),
                _("Prochain essai"),
                _("Action"),
            ],
            "rows": [
                _livraison_row(request, membre, hook, livraison)
                for livraison in livraisons_of(webhook=hook)
            ],
        },
        title=_("Livraisons du webhook"),
        crumbs=(_("Webhooks"), _("Livraisons")),
    )


@membre_view(PERMISSION, methods=["POST"])
def livraison_relancer(request, membre, pk: int, livraison: int):
    """Give an abandoned delivery a new series of attempts."""
    hook = get_webhook_for_user(user=request.user, membre=membre, pk=pk)
    found = get_livraison_for_user(user=request.user, webhook=hook, pk=livraison)
    try:
        livraison_retry(acting_user=request.user, livraison=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La livraison est relancée."))
    return redirect("gestion:demarches:webhook_livraisons", slug=membre.slug, pk=hook.pk)
