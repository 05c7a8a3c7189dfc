"""The instruction back office: a member's queue of filed dossiers (tabs, filters, bulk actions,
export), a dossier's page and its actions, and the downloads of its files.

Views stay thin: `membre_view("demarches.instruire")` resolves the member and checks the
permission; reads go through the selectors (a dossier always through
`get_dossier_for_agent`), writes through `instruction.py`, whose ValidationError comes back on
the form, in French, with a 400. Every page or file that shows a citizen's data is journaled.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from socle.citoyen.chiffrement import FichierIllisible, fichier_read
from socle.citoyen.selectors import franceconnect_identity
from socle.comptes.models import User
from socle.core.fichiers import bytes_response
from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge
from socle.core.uploads import upload_limited
from socle.demarches import forms_instruction as f
from socle.demarches import formulaire, instruction, services
from socle.demarches import selectors as sel
from socle.demarches import workflow as wf
from socle.demarches.documents import document_response
from socle.demarches.models import Dossier
from socle.demarches.selectors import demarches_on
from socle.demarches.services import role_kinds_for
from socle.membres.decorators import membre_view
from socle.membres.selectors import agents_of
from socle.membres.views import membre_render

PAGE_SIZE = 25
PERMISSION = "demarches.instruire"
# An action's body at most (a message with its attachments): refused as it arrives, kept in memory.
ACTION_UPLOAD_MAX = services.MESSAGE_FILES_MAX * services.ATTACHMENT_MAX_BYTES + 1024 * 1024
FINAL_TONES = {"accepte": "succes", "refuse": "erreur", "sans_suite": "neutre"}


def _module_on(membre) -> None:
    if not demarches_on(membre):
        raise Http404


def status_badge(dossier: Dossier, labels: dict[str, str] | None = None):
    """The badge of a dossier's status, in its own workflow's words."""
    workflow = dossier.version.workflow
    label = wf.status_label(workflow, dossier.statut)
    if labels and label == dossier.statut:
        label = labels.get(dossier.statut, label)
    tone = FINAL_TONES.get(
        dossier.statut, "neutre" if wf.is_final(workflow, dossier.statut) else "info"
    )
    return badge(label, tone)


def _journal(request, membre, dossier: Dossier, *, data: str, channel: str) -> None:
    """Journal an agent's sight of a citizen's data (nothing once the dossier is unlinked)."""
    services.dossier_read_journal(
        agent=request.user,
        membre=membre,
        dossier=dossier,
        data=data,
        channel=channel,
        request=request,
    )


# --- The queue ---------------------------------------------------------------------------------


def _filter_form(request, scope: sel.QueueScope):
    data = request.GET.copy()
    data.setdefault("statut", sel.A_TRAITER)
    return f.QueueFilterForm(
        data,
        statuts=list(scope.labels.items()),
        demarches=scope.demarches,
        services=scope.services,
        agents=scope.agents,
    )


def _queue(request, membre):
    """The request's scope (everything it reads once), its filter form, filters and dossiers."""
    scope = sel.QueueScope(user=request.user, membre=membre)
    form = _filter_form(request, scope)
    filters = form.filters()
    qs = sel.dossiers_queue(user=request.user, membre=membre, scope=scope, **filters)
    return scope, form, filters, qs


QUEUE_COLUMNS = (
    _lazy("Sélection"),
    _lazy("Référence"),
    _lazy("Démarche"),
    _lazy("Demandeur"),
    _lazy("Déposé le"),
    _lazy("Statut"),
    _lazy("Service"),
    _lazy("Attribué à"),
)


def _queue_rows(membre, dossiers, labels) -> list[SafeString]:
    """Each row of the table as one piece of HTML, as the kit's ``data_table`` renders it (its
    column's name in every cell's ``data-label``): one ``format_html`` a row instead of a
    template's loop over 8 cells (the page's largest template cost)."""
    url = reverse("gestion:demarches:dossier", args=[membre.slug, "D-0000-0000"])
    url_prefix = url[: url.index("D-0000-0000")]
    url_suffix = url[url.index("D-0000-0000") + len("D-0000-0000") :]
    names = [conditional_escape(str(column)) for column in QUEUE_COLUMNS]
    choose = _("Choisir le dossier %(ref)s")
    badges: dict[tuple[int, str], SafeString] = {}
    rows = []
    for dossier in dossiers:
        reference = dossier.reference
        key = (dossier.version_id, dossier.statut)
        if key not in badges:
            badges[key] = status_badge(dossier, labels)
        cells = (
            format_html(
                '<input type="checkbox" name="dossiers" value="{0}" id="choix-{0}">'
                '<label for="choix-{0}" class="visually-hidden">{1}</label>',
                reference,
                choose % {"ref": reference},
            ),
            format_html('<a href="{}{}{}">{}</a>', url_prefix, reference, url_suffix, reference),
            dossier.version.titre,
            dossier.usager_nom or "—",
            date_format(timezone.localtime(dossier.depose_le), "SHORT_DATETIME_FORMAT")
            if dossier.depose_le
            else "—",
            badges[key],
            dossier.service.nom if dossier.service else "—",
            (dossier.assigne_a.get_full_name() or dossier.assigne_a.email)
            if dossier.assigne_a
            else "—",
        )
        rows.append(
            mark_safe(  # noqa: S308 - every cell escaped above
                "<tr>"
                + "".join(
                    f'<td data-label="{name}">{conditional_escape(cell)}</td>'
                    for name, cell in zip(names, cells, strict=True)
                )
                + "</tr>"
            )
        )
    return rows


def _tabs(request, form, labels, counts: dict[str, int], finals) -> list[dict[str, Any]]:
    """The status tabs: « à traiter », « tous », then each status met; the other filters kept.
    A count that reached the cap reads « 10 000+ »."""
    current = form.cleaned_data.get("statut", sel.A_TRAITER) if form.is_valid() else sel.A_TRAITER
    params = request.GET.copy()
    params.pop("page", None)
    capped = {code for code, n in counts.items() if n >= sel.COUNT_CAP}
    entries = [
        (sel.A_TRAITER, _("À traiter"), [s for s in counts if s not in finals]),
        ("", _("Tous"), list(counts)),
    ] + [(code, label, [code]) for code, label in labels.items() if code in counts]
    tabs = []
    for code, label, codes in entries:
        params["statut"] = code
        tabs.append(
            {
                "label": label,
                "count": sum(counts[c] for c in codes),
                "plus": bool(capped & set(codes)),
                "url": "?" + params.urlencode(),
                "current": code == current,
            }
        )
    return tabs


@membre_view(PERMISSION, methods=["GET", "HEAD"])
def file(request, membre):
    """The dossiers to instruct, newest filed first: tabs by status, filters, bulk actions.

    Everything the page needs besides its dossiers is read once (``sel.QueueScope``): the
    procedures, their statuses, the agents, the user's services."""
    _module_on(membre)
    scope, form, filters, qs = _queue(request, membre)
    labels, finals = scope.labels, scope.finals
    # The tabs' counts, the other filters applied (each up to COUNT_CAP): the tab's count
    # is the list's.
    others = {k: v for k, v in filters.items() if k != "statut"}
    matches = None
    if filters.get("q"):
        # A search (a name, through its trigram index; a reference: one dossier at most) reads
        # its rows once, for the tabs and the page.
        matches = sel.queue_matches(
            sel.dossiers_queue(user=request.user, membre=membre, scope=scope, **others)
        )
        counts = dict(Counter(statut for statut, _pk in matches))
    else:
        counts = sel.queue_counts(
            user=request.user, membre=membre, statuts=list(labels), scope=scope, **others
        )
    statuts = sel.queue_statuses(filters["statut"], counts, finals)
    paginator = sel.QueuePaginator(
        qs,
        PAGE_SIZE,
        statuts=statuts,
        known_count=sum(counts.get(s, 0) for s in statuts),
        matches=matches,
    )
    page = paginator.get_page(request.GET.get("page"))
    bulk = f.BulkForm(agents=scope.agents, statuts=list(labels.items()), auto_id="id_lot_%s")
    return membre_render(
        request,
        membre,
        "demarches/instruction/file.html",
        {
            "form": form,
            "bulk": bulk,
            "page": page,
            "capped": paginator.capped,
            "columns": QUEUE_COLUMNS,
            "rows": _queue_rows(membre, list(page.object_list), labels),
            "tabs": _tabs(request, form, labels, counts, finals),
            "query": request.GET.urlencode(),
        },
        title=_("Dossiers à instruire"),
        crumbs=(_("Dossiers à instruire"),),
        status=400 if form.errors else 200,
    )


@membre_view(PERMISSION, methods=["POST"])
def lot(request, membre):
    """Run one action on the dossiers ticked in the queue; report each one that failed."""
    _module_on(membre)
    scope = sel.QueueScope(user=request.user, membre=membre)
    form = f.BulkForm(request.POST, agents=scope.agents, statuts=list(scope.labels.items()))
    back = reverse("gestion:demarches:file", args=[membre.slug])
    retour = request.POST.get("retour", "")
    if retour:
        # Only the queue's own filters come back: never an address from the form.
        back += "?" + urlencode(
            [(k, v) for k, v in _query_pairs(retour) if k in f.QueueFilterForm.base_fields]
        )
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label} : {error}" if label else str(error))
        return redirect(back)
    data = form.cleaned_data
    agent = _agent_in(scope.agents, data["agent"])
    try:
        report = instruction.dossiers_bulk(
            acting_user=request.user,
            membre=membre,
            references=data["dossiers"],
            action=data["action"],
            agent=agent,
            vers=data["vers"],
            motif=data["motif"],
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(back)
    if report.reussis:
        messages.success(
            request,
            _("Fait pour %(n)d dossier(s) : %(refs)s.")
            % {"n": len(report.reussis), "refs": ", ".join(report.reussis)},
        )
    for reference, reason in report.echecs:
        messages.error(request, f"{reference} : {reason}")
    return redirect(back)


def _agent_in(agents: list[User], pk: str) -> User | None:
    """Return the chosen agent among those the form offered (None for « Personne »)."""
    return next((user for user in agents if str(user.pk) == pk), None) if pk else None


def _query_pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query.lstrip("?"), keep_blank_values=False)[:20]


@membre_view(PERMISSION, methods=["GET", "HEAD"])
def export(request, membre):
    """The filtered queue as CSV or XLSX, with the answers; journaled per citizen."""
    _module_on(membre)
    fmt = request.GET.get("format", "csv")
    if fmt not in instruction.EXPORT_FORMATS:
        raise Http404
    _scope, form, _filters, qs = _queue(request, membre)
    if form.errors:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    content = instruction.dossiers_export(
        acting_user=request.user, membre=membre, dossiers=qs, fmt=fmt, request=request
    )
    stamp = timezone.localdate().isoformat()
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"dossiers-{membre.slug}-{stamp}.{fmt}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- A dossier ---------------------------------------------------------------------------------


def _transitions(request, dossier: Dossier) -> list:
    workflow = dossier.version.workflow
    return wf.transitions_from(workflow, dossier.statut, role_kinds_for(request.user, dossier))


def _prefilled(lines, preremplis: set[str]):
    """Mark the answers that came from the citizen's file."""
    marked = []
    for line in lines:
        rows = [_prefilled(row, preremplis) for row in line.lignes]
        marked.append({"ligne": line, "prerempli": line.chemin in preremplis, "lignes": rows})
    return marked


def _dossier_page(request, membre, dossier: Dossier, *, failed=None, status=200, agents=None):
    """The dossier's page; ``failed`` is (action name, bound form with errors[, vers]);
    ``agents``: the member's, when the request already read them."""
    if agents is None:
        agents = agents_of(membre=membre)
    forms: dict[str, Any] = {
        "attribuer": f.AssignForm(
            agents=agents,
            initial={"agent": str(dossier.assigne_a_id or "")},
            auto_id="id_attribuer_%s",
        ),
        "message": f.MessageForm(auto_id="id_message_%s"),
        "demande": f.DemandePieceForm(auto_id="id_demande_%s"),
    }
    failed_vers = ""
    if failed is not None:
        if failed[0] == "decision":
            failed_vers = failed[2]
        else:
            forms[failed[0]] = failed[1]
    decisions = []
    for transition in _transitions(request, dossier):
        form = (
            failed[1]
            if failed is not None and failed[0] == "decision" and failed_vers == transition.vers
            else f.TransitionForm(
                initial={"vers": transition.vers}, auto_id=f"id_decision_{transition.vers}_%s"
            )
        )
        decisions.append({"transition": transition, "form": form})
    version = dossier.version
    identity = franceconnect_identity(dossier.usager) if dossier.usager_id else None
    answers = [
        (page, _prefilled(lines, set(dossier.preremplis or [])))
        for page, lines in formulaire.answers_display(version.formulaire, dossier.donnees)
    ]
    workflow = version.workflow
    _journal(
        request,
        membre,
        dossier,
        data=_("dossier de démarche : identité, réponses, pièces, messages"),
        channel=_("gestion : page du dossier"),
    )
    return membre_render(
        request,
        membre,
        "demarches/instruction/dossier.html",
        {
            "dossier": dossier,
            "badge": status_badge(dossier),
            "answers": answers,
            "identity": identity,
            "evenements": [
                (
                    e,
                    wf.status_label(workflow, e.statut_avant) if e.statut_avant else "",
                    wf.status_label(workflow, e.statut_apres) if e.statut_apres else "",
                )
                for e in sel.dossier_evenements(dossier)
            ],
            "messages_fil": sel.dossier_messages(dossier),
            "demandes": sel.dossier_demandes(dossier),
            "documents": sel.dossier_documents(dossier),
            "decisions": decisions,
            "forms": forms,
            "failed": failed[0] if failed else "",
            "form": failed[1] if failed else None,
            "closed": wf.is_final(workflow, dossier.statut),
        },
        title=_("Dossier %(ref)s") % {"ref": dossier.reference},
        crumbs=(_("Dossier %(ref)s") % {"ref": dossier.reference},),
        status=status,
    )


@membre_view(PERMISSION, methods=["GET", "HEAD"])
def dossier(request, membre, reference):
    """Everything about one dossier: the applicant, the answers, the files, the history, the
    messages, the requests for documents, and the moves open to this agent."""
    _module_on(membre)
    found = sel.get_dossier_for_agent(user=request.user, membre=membre, reference=reference)
    return _dossier_page(request, membre, found)


def _bind(request, action: str, agents: list[User]):
    """Return the action's form bound to the POST."""
    if action == "decision":
        vers = request.POST.get("vers", "")
        return f.TransitionForm(request.POST, auto_id=f"id_decision_{vers}_%s")
    if action == "attribuer":
        return f.AssignForm(request.POST, agents=agents, auto_id="id_attribuer_%s")
    if action == "message":
        return f.MessageForm(request.POST, request.FILES, auto_id="id_message_%s")
    if action == "demande":
        return f.DemandePieceForm(request.POST, auto_id="id_demande_%s")
    return f.DemandeCancelForm(request.POST)


def _apply(request, dossier: Dossier, action: str, data: dict, agents: list[User]) -> str:
    """Run the action's service with its form's data; return the message to show."""
    user = request.user
    if action == "decision":
        instruction.dossier_transition(
            acting_user=user, dossier=dossier, vers=data["vers"], motif=data["motif"]
        )
        return _("Le dossier a changé de statut.")
    if action == "attribuer":
        agent = _agent_in(agents, data["agent"])
        instruction.dossier_assign(acting_user=user, dossier=dossier, agent=agent)
        return _("L’attribution a été enregistrée.")
    if action == "message":
        instruction.dossier_message_from_agent(
            acting_user=user,
            dossier=dossier,
            texte=data["texte"],
            files=request.FILES.getlist("fichiers"),
        )
        return _("Le message a été envoyé ; l’usager en est averti par courriel.")
    if action == "demande":
        instruction.demande_piece_create(
            acting_user=user,
            dossier=dossier,
            libelle=data["libelle"],
            explication=data["explication"],
        )
        return _("La pièce a été demandée ; l’usager en est averti par courriel.")
    demande = sel.get_demande_for_agent(dossier=dossier, pk=data["demande"])
    instruction.demande_piece_cancel(acting_user=user, demande=demande)
    return _("La demande de pièce est annulée.")


ACTIONS = ("decision", "attribuer", "message", "demande", "annuler-demande")


@membre_view(PERMISSION, methods=["POST"])
@upload_limited(ACTION_UPLOAD_MAX)
def action(request, membre, reference, action):
    """Run one action on a dossier (POST/redirect/GET); its errors on the dossier's page."""
    _module_on(membre)
    if action not in ACTIONS:
        raise Http404
    found = sel.get_dossier_for_agent(user=request.user, membre=membre, reference=reference)
    # Read once for the assignment's form, its service call and its page again.
    agents = agents_of(membre=membre) if action == "attribuer" else None
    form = _bind(request, action, agents or [])
    if form.is_valid():
        try:
            done = _apply(request, found, action, form.cleaned_data, agents or [])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(
                "gestion:demarches:dossier", slug=membre.slug, reference=found.reference
            )
    if action == "annuler-demande":
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("gestion:demarches:dossier", slug=membre.slug, reference=found.reference)
    # The page again, with this form's errors: ``found`` is as read (every service changes
    # its own copy, locked, and rolled back).
    return _dossier_page(
        request,
        membre,
        found,
        failed=(action, form, request.POST.get("vers", "")),
        status=400,
        agents=agents,
    )


@membre_view(PERMISSION, methods=["GET", "HEAD"])
def piece(request, membre, reference, pk):
    """Download one of the dossier's files (decrypted), journaled."""
    _module_on(membre)
    found = sel.get_piece_jointe_for_agent(
        user=request.user, membre=membre, reference=reference, pk=pk
    )
    try:
        content = fichier_read(found.fichier)
    except FichierIllisible as error:
        raise Http404 from error
    _journal(
        request,
        membre,
        found.dossier,
        data=_("pièce du dossier : %(nom)s") % {"nom": found.fichier.nom},
        channel=_("gestion : téléchargement d’une pièce"),
    )
    return bytes_response(content, name=found.fichier.nom, type_mime=found.fichier.type_mime)


@membre_view(PERMISSION, methods=["GET", "HEAD"])
def document(request, membre, reference, pk):
    """Download a document issued for the dossier (receipt, attestation), journaled."""
    _module_on(membre)
    found = sel.get_document_for_agent(user=request.user, membre=membre, reference=reference, pk=pk)
    _journal(
        request,
        membre,
        found.dossier,
        data=_("document délivré : %(kind)s") % {"kind": found.get_kind_display()},
        channel=_("gestion : téléchargement d’un document"),
    )
    try:
        return document_response(found, attachment=True)
    except FichierIllisible as error:
        raise Http404 from error
