"""« Mon espace » pages of the citizen's file: profile, household, addresses, documents.

Every page is the logged-in citizen's own; a row is fetched through a `get_…_for_user`
selector (someone else's answers 404). Forms check every field in one round.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from socle.citoyen import services
from socle.citoyen.chiffrement import FichierIllisible, fichier_read
from socle.citoyen.forms import (
    AS_TYPED,
    AdresseForm,
    PieceForm,
    ProcheForm,
    ProfilForm,
    place_parts,
)
from socle.citoyen.models import Adresse
from socle.citoyen.selectors import (
    adresses_of,
    franceconnect_identity,
    get_adresse_for_user,
    get_piece_for_user,
    get_proche_for_user,
    pieces_of,
    proches_of,
    profil_of,
)
from socle.core.fichiers import bytes_response
from socle.core.forms import add_service_errors
from socle.core.uploads import upload_limited
from socle.routage.adresse import AddressApiUnavailable, Place, address_search

logger = logging.getLogger(__name__)
GET_POST = ["GET", "HEAD", "POST"]


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Mon espace"), reverse("portail:espace")), *trail]


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    return render(request, f"citoyen/{template}", {"nav": "espace", **context}, status=status)


# --- Profile -----------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def profil(request: HttpRequest) -> HttpResponse:
    """My profile: the identity FranceConnect verified (read-only), my phone, my birthdate."""
    user = request.user
    identity = franceconnect_identity(user)
    verified = identity is not None and identity.birthdate is not None
    current = profil_of(user)
    initial = {
        "telephone": current.telephone if current else "",
        "date_naissance": current.date_naissance if current else None,
    }
    form = ProfilForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        birthdate_verified=verified,
    )
    if form.is_bound and form.is_valid():
        try:
            services.profil_update(
                usager=user,
                telephone=form.cleaned_data["telephone"],
                date_naissance=form.cleaned_data.get("date_naissance"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Votre profil a été enregistré."))
            return redirect("citoyen-site:profil")
    return _page(
        request,
        "profil.html",
        {"form": form, "identity": identity, "breadcrumbs": _crumbs((_("Mon profil"), ""))},
        status=400 if form.errors else 200,
    )


# --- Household ---------------------------------------------------------------------------------


def _proche_fields(form: ProcheForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "lien": data["lien"],
        "prenom": data["prenom"],
        "nom": data["nom"],
        "date_naissance": data.get("date_naissance"),
    }


@login_required
@require_http_methods(GET_POST)
def foyer(request: HttpRequest) -> HttpResponse:
    """My household, and the form to add someone to it."""
    form = ProcheForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            proche = services.proche_create(usager=request.user, **_proche_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(prenom)s a été ajouté(e) à votre foyer.") % {"prenom": proche.prenom}
            )
            return redirect("citoyen-site:foyer")
    return _page(
        request,
        "foyer.html",
        {
            "form": form,
            "proches": list(proches_of(request.user)),
            "breadcrumbs": _crumbs((_("Mon foyer"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(GET_POST)
def proche_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person of my household."""
    proche = get_proche_for_user(user=request.user, pk=pk)
    initial = {
        "lien": proche.lien,
        "prenom": proche.prenom,
        "nom": proche.nom,
        "date_naissance": proche.date_naissance,
    }
    form = ProcheForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.proche_update(usager=request.user, proche=proche, **_proche_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les informations ont été enregistrées."))
            return redirect("citoyen-site:foyer")
    return _page(
        request,
        "proche.html",
        {
            "form": form,
            "proche": proche,
            "breadcrumbs": _crumbs(
                (_("Mon foyer"), reverse("citoyen-site:foyer")), (str(proche), "")
            ),
        },
        status=400 if form.errors else 200,
    )


def _confirm_delete(
    request: HttpRequest, *, question: str, back: str, crumbs: list[tuple[str, str]]
) -> HttpResponse:
    return _page(
        request, "supprimer.html", {"question": question, "back": back, "breadcrumbs": crumbs}
    )


@login_required
@require_http_methods(GET_POST)
def proche_supprimer(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a person from my household (confirmed)."""
    proche = get_proche_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.proche_delete(usager=request.user, proche=proche)
        messages.success(
            request, _("%(nom)s a été retiré(e) de votre foyer.") % {"nom": str(proche)}
        )
        return redirect("citoyen-site:foyer")
    return _confirm_delete(
        request,
        question=_("Retirer %(nom)s de votre foyer ?") % {"nom": str(proche)},
        back=reverse("citoyen-site:foyer"),
        crumbs=_crumbs((_("Mon foyer"), reverse("citoyen-site:foyer")), (_("Retirer"), "")),
    )


# --- Addresses ---------------------------------------------------------------------------------


@login_required
@require_safe
def adresses(request: HttpRequest) -> HttpResponse:
    """My addresses, home first."""
    return _page(
        request,
        "adresses.html",
        {
            "adresses": list(adresses_of(request.user)),
            "breadcrumbs": _crumbs((_("Mes adresses"), "")),
        },
    )


def _adresse_form(request: HttpRequest, adresse: Adresse | None) -> HttpResponse:
    """Add or change an address in two rounds: what the citizen typed, then the suggestion of
    the national address base he or she picks (or the address as typed)."""
    initial: dict[str, Any] = {"principale": adresse is None or adresse.principale}
    if adresse is not None:
        initial.update(
            {
                key: getattr(adresse, key)
                for key in ("libelle", "voie", "complement", "code_postal", "commune_nom")
            }
        )
    form = AdresseForm(request.POST if request.method == "POST" else None, initial=initial)
    notice = ""
    if form.is_bound and form.is_valid():
        fields = {
            key: form.cleaned_data[key]
            for key in ("libelle", "voie", "complement", "code_postal", "commune_nom")
        }
        chosen = form.cleaned_data["lieu"]
        lieu: Place | None = None
        search = chosen is None and not (
            adresse is not None
            and all(
                getattr(adresse, key) == fields[key]
                for key in ("voie", "code_postal", "commune_nom")
            )
        )
        if isinstance(chosen, Place):
            lieu = chosen
            fields.update(place_parts(chosen))
        elif search:
            try:
                places = address_search(form.query())
            except AddressApiUnavailable:
                # Kept as typed: the search cannot tell more now.
                messages.warning(
                    request,
                    _(
                        "La recherche d’adresses ne répond pas : l’adresse est enregistrée telle "
                        "que vous l’avez saisie."
                    ),
                )
            else:
                form.offer(places)
                notice = (
                    _("Choisissez votre adresse parmi celles de la Base adresse nationale.")
                    if places
                    else _(
                        "Nous n’avons pas trouvé cette adresse dans la Base adresse nationale. "
                        "Vérifiez-la, ou gardez-la telle que vous l’avez saisie."
                    )
                )
        if not form.offered:
            try:
                if adresse is None:
                    services.adresse_create(
                        usager=request.user,
                        principale=form.cleaned_data["principale"],
                        lieu=lieu,
                        **fields,
                    )
                else:
                    services.adresse_update(
                        usager=request.user,
                        adresse=adresse,
                        principale=form.cleaned_data["principale"],
                        lieu=lieu,
                        **fields,
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("L’adresse a été enregistrée."))
                return redirect("citoyen-site:adresses")
    elif form.is_bound and form.choosing and form.has_error("lieu"):
        # The choice was missing or tampered with: show the suggestions again.
        try:
            form.offer(address_search(form.query()) if _typed(form) else [])
        except AddressApiUnavailable:
            form.offer([])
    title = _("Ajouter une adresse") if adresse is None else _("Modifier l’adresse")
    return _page(
        request,
        "adresse.html",
        {
            "form": form,
            "adresse": adresse,
            "notice": notice,
            "title": title,
            "as_typed": AS_TYPED,
            "breadcrumbs": _crumbs(
                (_("Mes adresses"), reverse("citoyen-site:adresses")), (title, "")
            ),
        },
        status=400 if form.errors else 200,
    )


def _typed(form: AdresseForm) -> bool:
    return all(key in form.cleaned_data for key in ("voie", "code_postal", "commune_nom"))


@login_required
@require_http_methods(GET_POST)
def adresse_ajouter(request: HttpRequest) -> HttpResponse:
    """Add an address."""
    return _adresse_form(request, None)


@login_required
@require_http_methods(GET_POST)
def adresse_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one of my addresses."""
    return _adresse_form(request, get_adresse_for_user(user=request.user, pk=pk))


@login_required
@require_http_methods(GET_POST)
def adresse_supprimer(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of my addresses (confirmed)."""
    adresse = get_adresse_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.adresse_delete(usager=request.user, adresse=adresse)
        messages.success(request, _("L’adresse a été supprimée."))
        return redirect("citoyen-site:adresses")
    return _confirm_delete(
        request,
        question=_("Supprimer l’adresse « %(adresse)s » ?") % {"adresse": str(adresse)},
        back=reverse("citoyen-site:adresses"),
        crumbs=_crumbs((_("Mes adresses"), reverse("citoyen-site:adresses")), (_("Supprimer"), "")),
    )


# --- Documents ---------------------------------------------------------------------------------


# A document with the form around it: refused as it arrives, kept in memory (never in clear on
# disk before it is encrypted).
PIECE_UPLOAD_MAX = settings.CITOYEN_DOCUMENT_MAX_BYTES + 1024 * 1024


@login_required
@upload_limited(PIECE_UPLOAD_MAX)
@require_http_methods(GET_POST)
def pieces(request: HttpRequest) -> HttpResponse:
    """My documents with their validity (expired ones flagged), and the form to add one."""
    limit = settings.CITOYEN_DOCUMENT_MAX_BYTES
    form = PieceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        limit=limit,
    )
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
        fields = {
            "usager": request.user,
            "type": data.get("type", ""),
            "libelle": data.get("libelle", ""),
            "upload": request.FILES.get("fichier"),
            "date_document": data.get("date_document"),
            "valide_jusqu_au": data.get("valide_jusqu_au"),
        }
        try:
            if form.errors:
                # The file is checked too, though another field is wrong: one round.
                services.piece_check(**fields)
            else:
                piece = services.piece_add(**fields)
                messages.success(
                    request, _("Le document « %(nom)s » a été ajouté.") % {"nom": str(piece)}
                )
                return redirect("citoyen-site:pieces")
        except ValidationError as error:
            add_service_errors(form, error)
    return _page(
        request,
        "pieces.html",
        {
            "form": form,
            "pieces": list(pieces_of(request.user)),
            "breadcrumbs": _crumbs((_("Mes documents"), "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def piece_telecharger(request: HttpRequest, pk: int) -> HttpResponse:
    """Download one of my documents, decrypted (for its owner only)."""
    piece = get_piece_for_user(user=request.user, pk=pk)
    try:
        content = fichier_read(piece.fichier)
    except FichierIllisible:
        logger.exception("citizen document %s cannot be decrypted", piece.fichier_id)
        messages.error(
            request,
            _(
                "Ce document ne peut plus être ouvert. Supprimez-le et ajoutez-le de nouveau ; "
                "si cela se reproduit, écrivez-nous."
            ),
        )
        return redirect("citoyen-site:pieces")
    return bytes_response(content, name=piece.fichier.nom, type_mime=piece.fichier.type_mime)


@login_required
@require_http_methods(GET_POST)
def piece_supprimer(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of my documents (confirmed)."""
    piece = get_piece_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.piece_delete(usager=request.user, piece=piece)
        messages.success(request, _("Le document a été supprimé."))
        return redirect("citoyen-site:pieces")
    return _confirm_delete(
        request,
        question=_("Supprimer le document « %(nom)s » ?") % {"nom": str(piece)},
        back=reverse("citoyen-site:pieces"),
        crumbs=_crumbs((_("Mes documents"), reverse("citoyen-site:pieces")), (_("Supprimer"), "")),
    )
