"""The back-office page of data.gouv.fr: the member's account (organisation, API key) and the
state of its publications, with « Relancer » for those that failed.

Anyone with opendata.voir sees the states; changing the account or relaunching needs
opendata.datagouv. The key is never shown back, only its last four characters.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge, post_button
from socle.membres.decorators import membre_view
from socle.membres.views import membre_render
from socle.opendata import datagouv as dg
from socle.opendata.models import PublicationDataGouv

E = PublicationDataGouv.Etat
TONES: dict[str, str] = {
    E.EN_ATTENTE: "info",
    E.PUBLIE: "succes",
    E.ECHEC: "attention",
    E.ABANDON: "erreur",
}
SHOWN = 100


class CompteDataGouvForm(forms.Form):
    organisation = forms.CharField(
        label=_lazy("Identifiant de l’organisation sur data.gouv.fr"),
        max_length=40,
        help_text=_lazy(
            "24 caractères, par exemple 5bbb6d6cff66bd4dc17bfd5a : il figure dans l’adresse "
            "de l’API de l’organisation."
        ),
    )
    cle = forms.CharField(
        label=_lazy("Clé d’API"),
        max_length=dg.KEY_MAX,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_lazy(
            "Celle d’un membre de l’organisation, dans son profil sur data.gouv.fr. "
            "Elle est enregistrée chiffrée et ne sera plus affichée."
        ),
    )
    actif = forms.BooleanField(
        label=_lazy("Publier automatiquement chaque nouvelle version sur data.gouv.fr"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, cle_fin: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if cle_fin:
            self.fields["cle"].help_text = _(
                "Clé enregistrée …%(fin)s. Laissez vide pour la garder ; saisissez-en une "
                "autre pour la remplacer. Elle est enregistrée chiffrée et ne sera plus affichée."
            ) % {"fin": cle_fin}


def _module_on(membre) -> None:
    if "opendata" not in (membre.modules or []):
        raise Http404


def _when(value) -> str:
    return date_format(value, "DATETIME_FORMAT") if value else "—"


def _row(request, membre, publication: PublicationDataGouv, *, can_set: bool) -> list:
    version = publication.version
    if publication.etat == E.PUBLIE:
        when = _("Publiée le %(date)s") % {"date": _when(publication.publie_le)}
    elif publication.etat == E.ABANDON:
        when = "—"
    else:
        when = _("Prévue le %(date)s") % {"date": _when(publication.prochain_essai)}
    action: object = "—"
    if can_set and publication.etat in (E.ECHEC, E.ABANDON):
        action = post_button(
            request,
            reverse(
                "gestion:opendata:datagouv_relancer",
                kwargs={"slug": membre.slug, "pk": publication.pk},
            ),
            _("Relancer"),
            _("la publication de %(jeu)s, version %(n)s")
            % {"jeu": version.jeu.titre, "n": version.numero},
        )
    return [
        version.jeu.titre,
        version.numero,
        badge(publication.get_etat_display(), TONES.get(publication.etat, "neutre")),
        publication.tentatives,
        when,
        publication.derniere_erreur or "—",
        action,
    ]


@never_cache
@membre_view("opendata.voir")
def datagouv(request, membre):
    """The member's data.gouv.fr account and the state of its publications."""
    _module_on(membre)
    can_set = dg.datagouv_can_set(user=request.user, membre=membre)
    compte = dg.datagouv_compte_of(user=request.user, membre=membre)
    cle_fin = dg.cle_fin(compte) if compte is not None else ""
    initial = (
        {"organisation": compte.organisation, "actif": compte.actif} if compte else {"actif": True}
    )
    status = 200
    form = CompteDataGouvForm(initial=initial, cle_fin=cle_fin)
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        form = CompteDataGouvForm(request.POST, initial=initial, cle_fin=cle_fin)
        if form.is_valid():
            try:
                dg.datagouv_account_set(
                    acting_user=request.user,
                    membre=membre,
                    organisation=form.cleaned_data["organisation"],
                    cle=form.cleaned_data["cle"],
                    actif=form.cleaned_data["actif"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Les réglages data.gouv.fr sont enregistrés."))
                return redirect("gestion:opendata:datagouv", slug=membre.slug)
        status = 400
    publications = list(dg.datagouv_publications_for_user(user=request.user, membre=membre)[:SHOWN])
    return membre_render(
        request,
        membre,
        "opendata/datagouv/page.html",
        {
            "form": form if can_set else None,
            "compte": compte,
            "cle_fin": cle_fin,
            "can_set": can_set,
            "api_url": settings.DATAGOUV_API_URL,
            "columns": [
                _("Jeu de données"),
                _("Version"),
                _("État"),
                _("Essais"),
                _("Date"),
                _("Dernière erreur"),
                _("Action"),
            ],
            "rows": [_row(request, membre, p, can_set=can_set) for p in publications],
            "shown": SHOWN,
        },
        title=_("Publication sur data.gouv.fr"),
        crumbs=(_("Publication sur data.gouv.fr"),),
        status=status,
    )


@membre_view("opendata.datagouv", methods=["POST"])
def datagouv_relancer(request, membre, pk: int):
    """Relaunch a failed publication now."""
    _module_on(membre)
    publication = dg.get_datagouv_publication_for_user(user=request.user, membre=membre, pk=pk)
    try:
        dg.datagouv_retry(acting_user=request.user, publication=publication)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("La publication de « %(jeu)s » (version %(n)s) est relancée.")
            % {"jeu": publication.version.jeu.titre, "n": publication.version.numero},
        )
    return redirect("gestion:opendata:datagouv", slug=membre.slug)
