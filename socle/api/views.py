"""The API's own endpoint (its OpenAPI document) and the back-office page of API keys."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from socle.api.forms import ApiKeyForm
from socle.api.http import json_response, public_endpoint
from socle.api.models import ApiKey
from socle.api.openapi import openapi_document
from socle.api.scopes import api_scopes
from socle.api.selectors import get_api_key_for_user, membre_api_keys
from socle.api.services import api_key_create, api_key_revoke
from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge, post_button
from socle.membres.decorators import membre_view
from socle.membres.views import membre_render


def _when(moment) -> str:
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else "—"


def _key_row(request, membre, key: ApiKey) -> list:
    """One row of the keys' table: what the key is, opens and did, and its revoke button."""
    labels = api_scopes()
    name = f"{key.name} — {key.application}" if key.application else key.name
    action: str
    if key.revoked_at is None:
        state = badge(_("Active"), "succes")
        action = post_button(
            request,
            reverse("gestion:api:cle_revoquer", kwargs={"slug": membre.slug, "pk": key.pk}),
            _("Révoquer"),
            key.name,
        )
    else:
        state = badge(_("Révoquée le %(date)s") % {"date": _when(key.revoked_at)}, "erreur")
        action = "—"
    return [
        name,
        format_html("<code>{}…</code>", key.prefix),
        ", ".join(str(labels.get(scope, scope)) for scope in key.scopes),
        _("%(rate)s / min") % {"rate": key.rate_per_minute},
        _when(key.created_at),
        _when(key.last_used_at),
        state,
        action,
    ]


@public_endpoint
def openapi(request: HttpRequest) -> HttpResponse:
    """Describe the whole API in OpenAPI 3.1."""
    return json_response(openapi_document())


@never_cache
@membre_view("cles_api.gerer", methods=["GET", "HEAD", "POST"])
def cles(request, membre):
    """The member's API keys; create one (its key is shown once, on this response only)."""
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                key, plaintext = api_key_create(
                    acting_user=request.user,
                    membre=membre,
                    name=form.cleaned_data["name"],
                    application=form.cleaned_data["application"],
                    scopes=form.cleaned_data["scopes"],
                    rate_per_minute=form.cleaned_data["rate_per_minute"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                created = {"key": key, "plaintext": plaintext}
                form = ApiKeyForm()
        if created is None:
            status = 400
    keys = membre_api_keys(membre=membre)
    return membre_render(
        request,
        membre,
        "api/cles.html",
        {
            "form": form,
            "created": created,
            "columns": [
                _("Nom"),
                _("Préfixe"),
                _("Portées"),
                _("Limite"),
                _("Créée le"),
                _("Dernier usage"),
                _("État"),
                _("Action"),
            ],
            "rows": [_key_row(request, membre, key) for key in keys],
        },
        title=_("Clés d'API"),
        crumbs=(_("Clés d'API"),),
        status=status,
    )


@membre_view("cles_api.gerer", methods=["POST"])
def cle_revoquer(request, membre, pk: int):
    """Revoke one of the member's keys."""
    key = get_api_key_for_user(user=request.user, membre=membre, pk=pk)
    api_key_revoke(acting_user=request.user, key=key)
    messages.success(request, _("La clé « %(nom)s » est révoquée.") % {"nom": key.name})
    return redirect("gestion:api:cles", slug=membre.slug)
