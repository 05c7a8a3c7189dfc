"""The back office of open data: a member's datasets, declaring one, uploading a new version
(published, or refused with the French report cell by cell), and the version history.

Views stay thin: `membre_view` resolves the member and checks the permission, reads go through
the selectors, writes through the services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge
from socle.membres.decorators import membre_view
from socle.membres.permissions import grants_for
from socle.membres.views import membre_render
from socle.opendata import selectors as sel
from socle.opendata import services
from socle.opendata.forms import DepotForm, JeuForm
from socle.opendata.models import Jeu, Version
from socle.opendata.reading import max_bytes, taille_lisible
from socle.opendata.schemas import schema_load
from socle.opendata.validation import Rapport

# Room for the form's other fields and the multipart envelope around the file.
BODY_MARGIN = 64 * 1024


def _module_on(membre) -> None:
    if "opendata" not in (membre.modules or []):
        raise Http404


def _schema_label(name: str) -> str:
    schema = schema_load(name) if name else None
    return schema.title if schema is not None else (name or _("Aucun"))


def version_url(jeu: Jeu, numero: int) -> str:
    """Return the public address of a version's CSV file (served by the public pages)."""
    owner = jeu.membre.slug if jeu.membre is not None else ""
    return f"/{owner}/donnees/{jeu.slug}/versions/{numero}.csv"


@membre_view("opendata.voir", methods=["GET", "HEAD"])
def jeux(request, membre):
    """The member's datasets, with their latest version, state and schema."""
    _module_on(membre)
    rows = []
    for jeu in sel.jeux_for_user(user=request.user, membre=membre):
        latest = sel.version_courante(jeu)
        url = reverse("gestion:opendata:jeu", args=[membre.slug, jeu.slug])
        rows.append(
            [
                format_html('<a href="{}">{}</a>', url, jeu.titre),
                _schema_label(jeu.schema),
                _("Version %(n)d du %(d)s")
                % {"n": latest.numero, "d": date_format(latest.publie_le, "j F Y")}
                if latest
                else "—",
                badge(_("Publié"), "succes") if latest else badge(_("Jamais publié"), "attention"),
                jeu.get_source_display(),
            ]
        )
    return membre_render(
        request,
        membre,
        "opendata/gestion/jeux.html",
        {
            "columns": [
                _("Jeu de données"),
                _("Schéma"),
                _("Dernière version"),
                _("État"),
                _("Source"),
            ],
            "rows": rows,
            "peut_publier": grants_for(request.user).has("opendata.publier", membre),
        },
        title=_("Données ouvertes"),
        crumbs=(_("Données ouvertes"),),
    )


@membre_view("opendata.publier")
def nouveau(request, membre):
    """Declare a dataset of the member."""
    _module_on(membre)
    form = JeuForm(request.POST) if request.method == "POST" else JeuForm()
    if request.method == "POST" and form.is_valid():
        try:
            jeu = services.jeu_create(acting_user=request.user, membre=membre, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Jeu de données « %(t)s » déclaré : déposez-en la première version.")
                % {"t": jeu.titre},
            )
            return redirect("gestion:opendata:deposer", slug=membre.slug, jeu=jeu.slug)
    return membre_render(
        request,
        membre,
        "opendata/gestion/nouveau.html",
        {"form": form},
        title=_("Déclarer un jeu de données"),
        crumbs=(_("Données ouvertes"), _("Nouveau jeu")),
        status=400 if form.errors else 200,
    )


def _versions_rows(jeu: Jeu, versions: list[Version]) -> list[list]:
    return [
        [
            _("Version %(n)d") % {"n": version.numero},
            date_format(version.publie_le, "j F Y à H:i"),
            version.nb_lignes,
            version.nom_origine or "—",
            format_html(
                '<a href="{}" download>{}</a>',
                version_url(jeu, version.numero),
                _("Télécharger la version %(n)d (CSV)") % {"n": version.numero},
            ),
        ]
        for version in versions
    ]


@membre_view("opendata.voir", methods=["GET", "HEAD"])
def jeu(request, membre, jeu):
    """A dataset: what it is, and every version published."""
    _module_on(membre)
    found = sel.get_jeu_for_user(user=request.user, membre=membre, slug=jeu)
    versions = list(found.versions.order_by("-numero"))
    return membre_render(
        request,
        membre,
        "opendata/gestion/jeu.html",
        {
            "jeu": found,
            "schema_label": _schema_label(found.schema),
            "columns": [
                _("Version"),
                _("Publiée le"),
                _("Lignes"),
                _("Fichier déposé"),
                _("Fichier"),
            ],
            "rows": _versions_rows(found, versions),
            "depots": sel.depots_recents(found),
            "peut_publier": grants_for(request.user).has("opendata.publier", membre),
        },
        title=found.titre,
        crumbs=(_("Données ouvertes"), found.titre),
    )


def _trop_gros(request, membre, found: Jeu):
    return membre_render(
        request,
        membre,
        "opendata/gestion/trop_gros.html",
        {"jeu": found, "limite": taille_lisible(max_bytes())},
        title=_("Fichier trop volumineux"),
        crumbs=(_("Données ouvertes"), found.titre, _("Fichier trop volumineux")),
        status=413,
    )


@membre_view("opendata.publier")
def deposer(request, membre, jeu):
    """Upload a file as the dataset's next version: published, or refused with its report."""
    _module_on(membre)
    found = sel.get_jeu_for_user(user=request.user, membre=membre, slug=jeu)
    limit = max_bytes()
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > (
        limit + BODY_MARGIN
    ):
        return _trop_gros(request, membre, found)
    form = DepotForm(request.POST, request.FILES) if request.method == "POST" else DepotForm()
    rapport: Rapport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        if upload.size > limit:
            return _trop_gros(request, membre, found)
        if upload.size > settings.OPENDATA_SYNC_MAX_BYTES:
            services.depot_create(
                acting_user=request.user,
                jeu=found,
                contenu=upload.read(),
                nom=upload.name or "",
                feuille=form.cleaned_data["feuille"],
            )
            messages.success(
                request,
                _(
                    "Fichier reçu (%(taille)s) : sa validation est en cours. Le résultat "
                    "s’affiche sur cette page dans quelques minutes."
                )
                % {"taille": taille_lisible(upload.size)},
            )
            return redirect("gestion:opendata:jeu", slug=membre.slug, jeu=found.slug)
        try:
            version = services.version_publish(
                acting_user=request.user,
                jeu=found,
                contenu=upload.read(),
                nom=upload.name or "",
                feuille=form.cleaned_data["feuille"],
            )
        except services.PublicationRefusee as refused:
            rapport = refused.rapport
        else:
            messages.success(
                request,
                _("Version %(n)d publiée : %(l)d lignes.")
                % {"n": version.numero, "l": version.nb_lignes},
            )
            return redirect("gestion:opendata:jeu", slug=membre.slug, jeu=found.slug)
    return membre_render(
        request,
        membre,
        "opendata/gestion/deposer.html",
        {
            "jeu": found,
            "form": form,
            "schema_label": _schema_label(found.schema),
            "limite": taille_lisible(limit),
            "rapport": rapport,
            "columns": [_("Ligne"), _("Colonne"), _("Valeur"), _("Erreur")],
            "rows": [
                [
                    erreur.ligne or "—",
                    erreur.colonne or "—",
                    erreur.valeur or "—",
                    f"{erreur.titre} : {erreur.message}" if erreur.titre else erreur.message,
                ]
                for erreur in (rapport.erreurs if rapport else [])
            ],
        },
        title=_("Déposer une nouvelle version"),
        crumbs=(_("Données ouvertes"), found.titre, _("Nouvelle version")),
        status=400 if (rapport is not None or form.errors) else 200,
    )
