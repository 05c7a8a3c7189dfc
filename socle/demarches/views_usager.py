"""The citizen's side: a member's catalogue of procedures, filling a form page by page (saved as a
draft, autosaved by saisie.js), the summary and filing, then the dossier's page (status, history,
documents, requested documents, messages).

Everything but the catalogue and a procedure's description needs a login; every dossier URL
goes through ``get_dossier_for_usager`` (another citizen gets a 404). Every page works without
JavaScript: adding a block's row, searching an address and attaching a document of the file
are submits of the page's form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socle.citoyen.chiffrement import FichierIllisible, fichier_read
from socle.citoyen.models import Piece
from socle.citoyen.selectors import get_piece_for_user, pieces_of
from socle.core.cartes import map_tiles_allowed
from socle.core.fichiers import bytes_response
from socle.core.markdown import markdown_to_html
from socle.core.uploads import upload_limited
from socle.demarches import depot, saisie, services
from socle.demarches import documents as documents_module
from socle.demarches import workflow as wf
from socle.demarches.formulaire import (
    MAX_REPETITIONS,
    Champ,
    Page,
    answers_display,
    pages,
)
from socle.demarches.models import BROUILLON, Demarche, Document, Dossier
from socle.demarches.selectors import (
    demarches_on,
    demarches_published,
    dossier_messages,
    dossiers_of_user,
    get_demande_for_agent,
    get_demarche_public,
    get_document_for_usager,
    get_dossier_for_usager,
    get_piece_jointe_for_usager,
    latest_versions,
)
from socle.membres.models import Membre
from socle.membres.selectors import membre_public
from socle.routage.adresse import AddressApiUnavailable, address_search

# A page's body at most: its files (each field checks its own limit) and the text around.
PAGE_UPLOAD_MAX = 60 * 1024 * 1024
# A message's or a requested document's body at most.
ATTACHMENTS_UPLOAD_MAX = services.MESSAGE_FILES_MAX * services.ATTACHMENT_MAX_BYTES + 1024 * 1024
ACTION_RE = re.compile(r"^(ajouter|retirer|joindre):([a-z0-9_.]+)(?::([0-9]{1,4}))?$")


# --- Helpers -------------------------------------------------------------------------------------


def _module_membre(slug: str) -> Membre:
    membre = membre_public(slug)
    if membre is None or not demarches_on(membre):
        raise Http404(
            _("Cette collectivité ne propose pas de démarches en ligne sur la plateforme.")
        )
    return membre


def _status(dossier: Dossier) -> str:
    return wf.status_label(dossier.version.workflow, dossier.statut)


# --- Catalogue -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """The procedures a member offers online."""
    membre = _module_membre(slug)
    return render(
        request,
        "demarches/usager/catalogue.html",
        {"membre": membre, "demarches": demarches_published(membre=membre)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def demarche(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A procedure's description, with « Commencer » (POST) or « Reprendre mon brouillon »."""
    membre = _module_membre(slug)
    found = get_demarche_public(membre=membre, code=code)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        try:
            dossier = depot.dossier_start(usager=request.user, demarche=found)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        return redirect("demarches-site:page", reference=dossier.reference, numero=dossier.page + 1)
    brouillon = None
    if request.user.is_authenticated:
        brouillon = dossiers_of_user(request.user).filter(demarche=found, statut=BROUILLON).first()
    return render(
        request,
        "demarches/usager/demarche.html",
        {
            "membre": membre,
            "demarche": found,
            "description_html": markdown_to_html(found.description),
            "brouillon": brouillon,
            "nb_pages": len(pages(_version_schema(found))),
        },
    )


def _version_schema(demarche_: Demarche) -> dict[str, Any]:
    version = latest_versions([demarche_]).get(demarche_.pk)
    return version.formulaire if version is not None else {}


@login_required
@require_http_methods(["GET", "HEAD"])
def mes_dossiers(request: HttpRequest) -> HttpResponse:
    """The citizen's dossiers and drafts."""
    dossiers = list(dossiers_of_user(request.user)[:200])
    return render(
        request,
        "demarches/usager/mes_dossiers.html",
        {"dossiers": [(d, _status(d)) for d in dossiers], "nav": "espace"},
    )


# --- The form's widgets --------------------------------------------------------------------------


@dataclass
class Widget:
    """One field as a page shows it (templates demarches/champs/<type>.html take it as ``w``)."""

    champ: Champ
    chemin: str
    nom: str
    valeur: str = ""
    valeurs: list[str] = field(default_factory=list)
    erreur: str = ""
    prerempli: bool = False
    verifie: bool = False
    condition_nom: str = ""
    condition_valeur: str = ""
    condition_libelle: str = ""
    parties: dict[str, str] = field(default_factory=dict)
    fichier: dict[str, Any] | None = None
    pieces: list[Piece] = field(default_factory=list)
    lignes: list[list[Widget]] = field(default_factory=list)
    peut_ajouter: bool = False
    peut_retirer: bool = False
    limite: str = ""
    formats: str = ""

    @property
    def html(self) -> str:
        """An explanatory text's Markdown, sanitised."""
        return markdown_to_html(str(self.champ.raw.get("texte") or ""))

    @property
    def template(self) -> str:
        return f"demarches/champs/{self.champ.type}.html"

    @property
    def type(self) -> str:
        return self.champ.type

    @property
    def libelle(self) -> str:
        return self.champ.libelle

    @property
    def aide(self) -> str:
        return self.champ.aide

    @property
    def obligatoire(self) -> bool:
        return self.champ.obligatoire

    @property
    def choix(self) -> list[tuple[str, str]]:
        return self.champ.choix

    @property
    def element(self) -> str:
        return str(self.champ.raw.get("libelle_element") or _("Élément"))

    @property
    def nombre_lignes(self) -> int:
        return len(self.lignes)

    @property
    def focus_id(self) -> str:
        """The id the error summary links to."""
        if self.type in ("choix_unique", "choix_multiple", "oui_non"):
            return f"{self.nom}-0"
        if self.type == "adresse":
            return f"{self.nom}-voie"
        return self.nom


@dataclass
class _Build:
    data: Any
    errors: dict[str, str]
    marks: dict[str, bool]
    pieces: list[Piece]
    fichiers: dict[int, dict]  # the files the dossier answers, by PieceJointe pk


def _widget(champ: Champ, path: str, build: _Build, siblings: list[str], row_prefix: str) -> Widget:
    name = saisie.field_name(path)
    widget = Widget(
        champ=champ,
        chemin=path,
        nom=name,
        erreur=build.errors.get(path, ""),
        prerempli=path in build.marks,
        verifie=build.marks.get(path, False),
    )
    condition = champ.condition
    if condition is not None:
        target = str(condition["champ"])
        target_path = f"{row_prefix}{target}" if target in siblings else target
        widget.condition_nom = saisie.field_name(target_path)
        widget.condition_valeur = str(condition.get("valeur", ""))
    data = build.data
    if champ.type == "bloc":
        rows = saisie.block_rows(champ, path, data)
        sub_names = [c.cle for c in champ.enfants]
        widget.lignes = [
            [
                _widget(sub, f"{path}.{index}.{sub.cle}", build, sub_names, f"{path}.{index}.")
                for sub in champ.enfants
            ]
            for index in range(rows)
        ]
        high = min(int(champ.raw.get("max_repetitions") or 10), MAX_REPETITIONS)
        widget.peut_ajouter = rows < high
        widget.peut_retirer = rows > int(champ.raw.get("min_repetitions") or 0)
        return widget
    widget.valeurs = data.getlist(name)
    widget.valeur = str(data.get(name) or "")
    if champ.type == "adresse":
        widget.parties = {
            part: str(data.get(saisie.field_name(path, part)) or "")
            for part in (*saisie.ADDRESS_PARTS, "lat", "lon", "recherche")
        }
    if champ.type == "fichier":
        garder = saisie.small_int(str(data.get(saisie.field_name(path, "garder")) or ""))
        widget.fichier = build.fichiers.get(garder) if garder is not None else None
        wanted = str(champ.raw.get("piece_type") or "")
        widget.pieces = sorted(build.pieces, key=lambda p: (p.type != wanted, p.expiree))
        widget.limite = saisie.file_limit_label(champ)
        widget.formats = ", ".join(str(f).upper() for f in champ.file_formats)
    return widget


def _widgets(page: Page, build: _Build, schema: dict[str, Any]) -> list[Widget]:
    top_names = [c.cle for c in page.champs]
    widgets = [_widget(champ, champ.cle, build, top_names, "") for champ in page.champs]
    labels = {saisie.field_name(c.cle): c.libelle for p in pages(schema) for c in p.champs}
    for widget in _flatten(widgets):
        labels[widget.nom] = widget.libelle
    for widget in _flatten(widgets):
        if widget.condition_nom:
            widget.condition_libelle = labels.get(widget.condition_nom, "")
    return widgets


def _flatten(widgets: list[Widget]) -> list[Widget]:
    found = []
    for widget in widgets:
        found.append(widget)
        for row in widget.lignes:
            found.extend(_flatten(row))
    return found


def _page_context(
    request: HttpRequest, dossier: Dossier, numero: int, data, errors: dict[str, str]
) -> dict[str, Any]:
    schema = dossier.version.formulaire
    all_pages = pages(schema)
    page = all_pages[numero]
    build = _Build(
        data=data,
        errors=errors,
        marks=depot.prefill_marks(dossier),
        # The citizen's documents are offered only by file fields.
        pieces=list(pieces_of(request.user)) if _has_file_field(page.champs) else [],
        fichiers=saisie.files_answered(dossier.donnees),
    )
    widgets = _widgets(page, build, schema)
    in_error = [w for w in _flatten(widgets) if w.erreur]
    return {
        "dossier": dossier,
        "demarche": dossier.demarche,
        "membre": dossier.demarche.membre,
        "page": page,
        "pages": all_pages,
        "numero": numero,
        "numero_humain": numero + 1,
        "derniere": numero == len(all_pages) - 1,
        "widgets": widgets,
        "texte_html": markdown_to_html(page.texte) if page.texte else "",
        "erreurs": in_error,
        "tuiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def _has_file_field(champs: tuple[Champ, ...]) -> bool:
    return any(c.type == "fichier" or _has_file_field(c.enfants) for c in champs)


def _render_page(
    request: HttpRequest, dossier: Dossier, index: int, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    """Render a page of the form filled with the dossier's saved answers."""
    shown = saisie.FormData(saisie.answers_as_data(dossier.version.formulaire, dossier.donnees))
    context = _page_context(request, dossier, index, shown, errors)
    return map_tiles_allowed(render(request, "demarches/usager/page.html", context, status=status))


def _shift_rows(data, files, path: str, removed: int):
    """Return the POST without one row of a block (later rows moved up)."""
    base = saisie.field_name(path) + "-"
    pattern = re.compile(re.escape(base) + r"(\d+)-(.+)$")
    new_data = saisie.FormData()
    for key in data:
        values = data.getlist(key)
        match = pattern.match(key)
        if match:
            index = int(match.group(1))
            if index == removed:
                continue
            if index > removed:
                key = f"{base}{index - 1}-{match.group(2)}"
        new_data[key] = values
    count = saisie.block_rows_raw(data, path)
    new_data[saisie.field_name(path, "lignes")] = [str(max(count - 1, 0))]
    new_files = {}
    for key in files or {}:
        match = pattern.match(key)
        if match:
            index = int(match.group(1))
            if index == removed:
                continue
            if index > removed:
                new_files[f"{base}{index - 1}-{match.group(2)}"] = files[key]
                continue
        new_files[key] = files[key]
    return new_data, new_files


def _with_rows(data, path: str, count: int):
    new_data = saisie.FormData({key: data.getlist(key) for key in data})
    new_data[saisie.field_name(path, "lignes")] = [str(count)]
    return new_data


# --- Filling -------------------------------------------------------------------------------------


@login_required
@upload_limited(PAGE_UPLOAD_MAX)
@require_http_methods(["GET", "HEAD", "POST"])
def page(request: HttpRequest, reference: str, numero: int) -> HttpResponse:
    """One page of the form: « Précédent », « Suivant » (this page validated), a block's rows
    added and removed, a document of the file attached."""
    dossier = get_dossier_for_usager(user=request.user, reference=reference)
    if dossier.statut != BROUILLON:
        return redirect("demarches-site:dossier", reference=reference)
    count = len(pages(dossier.version.formulaire))
    index = numero - 1
    if not 0 <= index < count:
        raise Http404
    if request.method != "POST":
        return _render_page(request, dossier, index, {})
    action = request.POST.get("action", "suivant")
    data: Any = request.POST
    files: Any = request.FILES
    match = ACTION_RE.match(action)
    after = None
    if match and match.group(1) == "ajouter":
        path = match.group(2)
        data = _with_rows(data, path, saisie.block_rows_raw(data, path) + 1)
        after = f"#{saisie.field_name(path)}"
    elif match and match.group(1) == "retirer" and match.group(3) is not None:
        path = match.group(2)
        data, files = _shift_rows(data, files, path, int(match.group(3)))
        after = f"#{saisie.field_name(path)}"
    saved = depot.dossier_draft_save(
        usager=request.user,  # type: ignore[arg-type]
        dossier=dossier,
        page=index,
        data=data,
        files=files,
    )
    dossier = saved.dossier
    here = reverse("demarches-site:page", kwargs={"reference": reference, "numero": numero})
    if match and match.group(1) == "joindre":
        path = match.group(2)
        choice = saisie.small_int(request.POST.get(saisie.field_name(path, "piece"), ""))
        if choice is not None:
            try:
                depot.dossier_attach_from_file(
                    usager=request.user,  # type: ignore[arg-type]
                    dossier=dossier,
                    chemin=path,
                    piece=get_piece_for_user(user=request.user, pk=choice),
                )
            except ValidationError as error:
                # The failed attach rolled back on its own locked copy: ``dossier`` is as saved.
                errors = {path: " ".join(error.messages)}
                return _render_page(request, dossier, index, errors, status=400)
            messages.success(request, _("Le document de votre dossier citoyen est joint."))
        return redirect(f"{here}#{saisie.field_name(path)}")
    if after is not None:
        return redirect(f"{here}{after}")
    if action == "precedent":
        return redirect("demarches-site:page", reference=reference, numero=max(numero - 1, 1))
    if action == "enregistrer":
        messages.success(request, _("Votre brouillon est enregistré."))
        return redirect(here)
    if saved.errors:
        return _render_page(request, dossier, index, saved.errors, status=400)
    if numero < count:
        return redirect("demarches-site:page", reference=reference, numero=numero + 1)
    return redirect("demarches-site:recapitulatif", reference=reference)


@login_required
@require_POST
def brouillon(request: HttpRequest, reference: str) -> HttpResponse:
    """Autosave (saisie.js): the page as typed, no files; answers the time it was saved."""
    dossier = get_dossier_for_usager(user=request.user, reference=reference)
    if dossier.statut != BROUILLON:
        return JsonResponse({"erreur": _("Ce dossier est déjà déposé.")}, status=409)
    numero = saisie.small_int(request.POST.get("page", ""), 4)
    if numero is None:
        return JsonResponse({"erreur": _("Page inconnue.")}, status=400)
    saved = depot.dossier_draft_save(
        usager=request.user,  # type: ignore[arg-type]
        dossier=dossier,
        page=numero,
        data=request.POST,
        files=None,
    )
    at = timezone.localtime(saved.dossier.modifie_le).strftime("%H:%M")
    return JsonResponse(
        {
            "enregistre_a": at,
            "message": _("Brouillon enregistré à %(heure)s") % {"heure": at},
            "erreurs": len(saved.errors),
        }
    )


@require_GET
def adresses(request: HttpRequest) -> HttpResponse:
    """Addresses matching a text (the address field's suggestions), through the national API."""
    if not request.user.is_authenticated:
        return JsonResponse({"resultats": []}, status=403)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if len(query) < 3:
        return JsonResponse({"resultats": []})
    try:
        places = address_search(query)
    except AddressApiUnavailable:
        return JsonResponse(
            {
                "resultats": [],
                "erreur": _(
                    "La recherche d’adresses ne répond pas : saisissez la voie, le code postal "
                    "et la commune."
                ),
            },
            status=503,
        )
    found = []
    for place in places:
        parts = saisie.address_from_label(place.label)
        found.append(
            {
                "label": place.label,
                **parts,
                "commune_code": place.citycode,
                "lat": place.lat,
                "lon": place.lon,
            }
        )
    return JsonResponse({"resultats": found})


# --- Summary and filing --------------------------------------------------------------------------


def _error_links(dossier: Dossier, errors: dict[str, str]) -> list[dict[str, str]]:
    schema = dossier.version.formulaire
    where = {c.cle: (p.numero, c.libelle) for p in pages(schema) for c in p.champs}
    links = []
    for path, message in errors.items():
        top = path.split(".")[0]
        numero, libelle = where.get(top, (0, top))
        url = reverse(
            "demarches-site:page", kwargs={"reference": dossier.reference, "numero": numero + 1}
        )
        links.append(
            {"url": f"{url}#{saisie.field_name(path)}", "libelle": libelle, "message": message}
        )
    return links


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recapitulatif(request: HttpRequest, reference: str) -> HttpResponse:
    """Every answer, « Modifier » per page, and « Déposer » (a one-time token)."""
    status = 200
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            filed = depot.dossier_file(
                usager=request.user,  # type: ignore[arg-type]
                reference=reference,
                jeton=request.POST.get("jeton", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {key: " ".join(msgs) for key, msgs in error.message_dict.items()}
            else:
                messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(
                request,
                _(
                    "Votre dossier %(reference)s est déposé. "
                    "Vous recevez un courriel de confirmation."
                )
                % {"reference": filed.reference},
            )
            return redirect("demarches-site:dossier", reference=filed.reference)
    dossier = get_dossier_for_usager(user=request.user, reference=reference)
    if dossier.statut != BROUILLON:
        return redirect("demarches-site:dossier", reference=reference)
    if not errors and request.method != "POST":
        _donnees, errors = depot.answers_check(dossier)
    schema = dossier.version.formulaire
    return render(
        request,
        "demarches/usager/recapitulatif.html",
        {
            "dossier": dossier,
            "membre": dossier.demarche.membre,
            "demarche": dossier.demarche,
            "reponses": answers_display(schema, dossier.donnees),
            "pages": pages(schema),
            "erreurs": _error_links(dossier, errors),
            "jeton": depot.token_new(),
        },
        status=status,
    )


@login_required
@require_POST
def supprimer(request: HttpRequest, reference: str) -> HttpResponse:
    """Delete a draft."""
    dossier = get_dossier_for_usager(user=request.user, reference=reference)
    slug, code = dossier.demarche.membre.slug, dossier.demarche.slug
    try:
        depot.dossier_draft_delete(usager=request.user, dossier=dossier)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("demarches-site:dossier", reference=reference)
    messages.success(request, _("Votre brouillon est supprimé."))
    return redirect("demarches:demarche", slug=slug, code=code)


# --- The dossier ---------------------------------------------------------------------------------


def _dossier_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    workflow = dossier.version.workflow
    evenements = [
        {
            "date": event.cree_le,
            "titre": (
                _("Statut : %(statut)s") % {"statut": wf.status_label(workflow, event.statut_apres)}
                if event.statut_apres
                else event.get_kind_display()
            ),
            "texte": event.texte,
        }
        for event in dossier.evenements.filter(visible_usager=True).order_by("cree_le", "pk")
    ]
    documents = {doc.kind: doc for doc in dossier.documents.filter(revoque_le=None)}
    if dossier.depose_le is not None and dossier.depot_traite_le is None:
        # Filed a moment ago: the worker has not queued the receipt yet, but it is coming.
        documents.setdefault(Document.Kind.RECEPISSE, Document(kind=Document.Kind.RECEPISSE))
    schema = dossier.version.formulaire
    demandes = [d for d in dossier.demandes.all() if d.en_attente]
    return {
        "dossier": dossier,
        "membre": dossier.demarche.membre,
        "demarche": dossier.demarche,
        "statut": _status(dossier),
        "final": wf.is_final(workflow, dossier.statut),
        "evenements": evenements,
        "documents": [
            {"kind": kind, "libelle": label, "document": documents[kind]}
            for kind, label in Document.Kind.choices
            if kind in documents
        ],
        "demandes": demandes,
        "messages_dossier": list(dossier_messages(dossier)),
        # The citizen's documents are offered only to answer a pending request.
        "pieces_citoyen": list(pieces_of(request.user)) if demandes else [],
        "reponses": answers_display(schema, dossier.donnees),
        "pieces_jointes": list(
            dossier.pieces_jointes.filter(message=None).select_related("fichier", "demande")
        ),
        "message_texte": "",
        "message_erreurs": {},
        "demande_erreur_pk": None,
        "demande_erreurs": [],
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def dossier(request: HttpRequest, reference: str) -> HttpResponse:
    """The dossier: status, history, documents, requested documents, messages, answers."""
    found = get_dossier_for_usager(user=request.user, reference=reference)
    return render(request, "demarches/usager/dossier.html", _dossier_context(request, found))


@login_required
@upload_limited(ATTACHMENTS_UPLOAD_MAX)
@require_POST
def message(request: HttpRequest, reference: str) -> HttpResponse:
    """Write to the service, with attachments."""
    found = get_dossier_for_usager(user=request.user, reference=reference)
    texte = request.POST.get("texte", "")
    try:
        depot.dossier_message_from_usager(
            usager=request.user,  # type: ignore[arg-type]
            dossier=found,
            texte=texte,
            files=request.FILES.getlist("fichiers"),
        )
    except ValidationError as error:
        errs = error.message_dict if hasattr(error, "error_dict") else {"texte": error.messages}
        context = _dossier_context(request, found, message_texte=texte, message_erreurs=errs)
        return render(request, "demarches/usager/dossier.html", context, status=400)
    messages.success(request, _("Votre message est envoyé au service."))
    return redirect(
        f"{reverse('demarches-site:dossier', kwargs={'reference': reference})}#messages"
    )


@login_required
@upload_limited(ATTACHMENTS_UPLOAD_MAX)
@require_POST
def demande(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Provide a requested document: an upload, or one of the citizen's file."""
    found = get_dossier_for_usager(user=request.user, reference=reference)
    # The agents' selector, but only a request of the citizen's own dossier.
    requested = get_demande_for_agent(dossier=found, pk=pk)
    choice = saisie.small_int(request.POST.get("piece", ""))
    piece = get_piece_for_user(user=request.user, pk=choice) if choice is not None else None
    try:
        depot.demande_piece_fulfil(
            usager=request.user,  # type: ignore[arg-type]
            dossier=found,
            demande=requested,
            upload=request.FILES.get("fichier"),
            piece=piece,
        )
    except ValidationError as error:
        errs = error.message_dict if hasattr(error, "error_dict") else {"fichier": error.messages}
        context = _dossier_context(
            request,
            found,
            demande_erreur_pk=requested.pk,
            demande_erreurs=[m for msgs in errs.values() for m in msgs],
        )
        return render(request, "demarches/usager/dossier.html", context, status=400)
    messages.success(request, _("Merci : le document est transmis au service."))
    return redirect("demarches-site:dossier", reference=reference)


def _serve_fichier(fichier) -> HttpResponse:
    try:
        content = fichier_read(fichier)
    except (FichierIllisible, OSError) as error:
        raise Http404 from error
    return bytes_response(content, name=fichier.nom, type_mime=fichier.type_mime)


@login_required
@require_http_methods(["GET", "HEAD"])
def document(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """The dossier's receipt or attestation, once generated."""
    doc = get_document_for_usager(user=request.user, reference=reference, kind=kind)
    try:
        return documents_module.document_response(doc)
    except FichierIllisible as error:
        raise Http404 from error


@login_required
@require_http_methods(["GET", "HEAD"])
def piece(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """One of the dossier's files (the citizen's own answers and messages' attachments)."""
    jointe = get_piece_jointe_for_usager(user=request.user, reference=reference, pk=pk)
    return _serve_fichier(jointe.fichier)
