"""Screens of the personal-data journal.

- citizen support (agents, administrators, DPO of a member, opérateurs): find a citizen by
  email, give the reason, see the account; each opening writes one journal entry;
- the journal of a member (its DPO, the ethics committee) and of every member (the ethics
  committee), filtered, paginated, exported as CSV, with the chain's status;
- « Qui a consulté mes données » for the logged-in citizen.
"""

from __future__ import annotations

import csv
import json
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from socle.journal.models import PersonalDataAccess
from socle.journal.selectors import (
    JournalFilters,
    JournalScope,
    citizen_access_entries,
    citizen_accesses,
    citizen_by_email,
    citizen_identities,
    citizen_searches,
    get_citizen_for_support,
    get_journal_scope_for_user,
    get_support_membre_for_user,
    journal_agents,
    journal_csv_rows,
    journal_data_kinds,
    journal_entries,
    journal_membres,
    latest_published_checkpoint,
    published_checkpoints,
    readable,
    support_link_token,
)
from socle.journal.services import (
    CITIZEN_SEARCH_LIMIT,
    CITIZEN_SEARCH_WINDOW,
    SearchRateExceeded,
    checkpoint_as_dict,
    citizen_search_record,
    journal_record,
    journal_verify_recent,
)
from socle.membres.models import Membre
from socle.membres.selectors import membres_privacy_contacts
from socle.membres.views import membre_menu, membre_render

SUPPORT_DATA = gettext_lazy("identité et coordonnées")
SUPPORT_CHANNEL = gettext_lazy("back-office : assistance aux usagers")
PAGE_SIZE = 50
# The dates a filter accepts: the journal cannot hold older entries, and later ones would only
# overflow the date arithmetic (9999-12-31 + one day).
FILTER_FIRST_DAY = date(2000, 1, 1)
FILTER_LAST_DAY = date(2999, 12, 31)


# Forms: they check the shape of the input; the journal's functions decide the rest.


class CitizenSearchForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique de l’usager"),
        help_text=gettext_lazy("L’adresse exacte : aucune recherche approchée n’est faite."),
        required=False,
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=gettext_lazy("Motif de la consultation"),
        max_length=300,
        help_text=gettext_lazy(
            "Par exemple : « Demande d’assistance au guichet ». Le motif est enregistré dans le "
            "journal des accès, que l’usager et le délégué à la protection des données consultent."
        ),
        error_messages={"required": gettext_lazy("Indiquez le motif de la consultation.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class JournalFilterForm(forms.Form):
    membre: forms.ModelChoiceField[Membre] = forms.ModelChoiceField(
        label=gettext_lazy("Collectivité"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Toutes"),
    )
    agent = AgentChoiceField(
        label=gettext_lazy("Agent"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tous"),
    )
    usager = forms.EmailField(label=gettext_lazy("Adresse de l’usager"), required=False)
    du = forms.DateField(label=gettext_lazy("Du"), required=False, widget=DateInput)
    au = forms.DateField(label=gettext_lazy("Au"), required=False, widget=DateInput)
    donnees = forms.ChoiceField(label=gettext_lazy("Données"), required=False)

    def __init__(self, data, *, scope: JournalScope):
        super().__init__(data)
        agent = self.fields["agent"]
        assert isinstance(agent, AgentChoiceField)
        agent.queryset = journal_agents(scope=scope)
        donnees = self.fields["donnees"]
        assert isinstance(donnees, forms.ChoiceField)
        donnees.choices = [("", _("Toutes"))] + [
            (kind, kind) for kind in journal_data_kinds(scope=scope)
        ]
        if scope.structure_wide:
            membre = self.fields["membre"]
            assert isinstance(membre, forms.ModelChoiceField)
            membre.queryset = journal_membres(scope=scope)
        else:
            del self.fields["membre"]

    def _clean_day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not (FILTER_FIRST_DAY <= day <= FILTER_LAST_DAY):
            raise ValidationError(
                _("Saisissez une date entre le %(first)s et le %(last)s.")
                % {
                    "first": date_format(FILTER_FIRST_DAY, "j F Y"),
                    "last": date_format(FILTER_LAST_DAY, "j F Y"),
                }
            )
        return day

    def clean_du(self):
        return self._clean_day("du")

    def clean_au(self):
        return self._clean_day("au")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        since, until = cleaned.get("du"), cleaned.get("au")
        if since and until and since > until:
            self.add_error("au", _("La date de fin précède la date de début."))
        return cleaned

    def filters(self) -> JournalFilters:
        data = self.cleaned_data
        return JournalFilters(
            agent=data.get("agent"),
            citizen_email=data.get("usager") or "",
            since=data.get("du"),
            until=data.get("au"),
            data=data.get("donnees") or "",
            membre=data.get("membre"),
        )


def _posted(request):
    """The submitted data on POST (even empty, so the form is bound), None otherwise."""
    return request.POST if request.method == "POST" else None


def _crumbs(*pages) -> list[tuple[str, str]]:
    return [(_("Gestion"), reverse("gestion:tableau")), *pages]


# Citizen support.


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def usagers(request, slug):
    """Find a citizen by exact email address, to open his or her account.

    The search is a POST: the address stays out of URLs, access logs and browser history, and a
    prefetch or a reload does not count as a search.
    """
    membre = get_support_membre_for_user(user=request.user, slug=slug)
    form = CitizenSearchForm(request.POST if request.method == "POST" else None)
    searched = False
    link = None
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["email"]:
            email = form.cleaned_data["email"]
            citizen = citizen_by_email(email=email)
            try:
                citizen_search_record(
                    acting_user=request.user,
                    membre=membre,
                    email=email,
                    citizen=citizen,
                    request=request,
                )
            except SearchRateExceeded:
                # Nothing of the result: not even whether the address has an account.
                citizen = None
                status = 429
                form.add_error(
                    "email",
                    _(
                        "Vous avez fait %(limit)d recherches en moins de %(minutes)d minutes : "
                        "attendez quelques minutes avant de chercher une autre adresse."
                    )
                    % {
                        "limit": CITIZEN_SEARCH_LIMIT,
                        "minutes": int(CITIZEN_SEARCH_WINDOW.total_seconds() // 60),
                    },
                )
            else:
                searched = True
            if citizen is not None:
                token = support_link_token(citizen=citizen, membre=membre)
                link = reverse("journal:usager", args=[membre.slug, token])
        elif form.is_valid():
            form.add_error("email", _("Saisissez l’adresse électronique de l’usager."))
            status = 400
        else:
            status = 400
    return membre_render(
        request,
        membre,
        "journal/usagers.html",
        {"form": form, "searched": searched, "link": link},
        title=_("Assistance aux usagers"),
        crumbs=(_("Assistance aux usagers"),),
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def usager(request, slug, token):
    """Ask why, then show a citizen's account and record the access in the journal."""
    membre = get_support_membre_for_user(user=request.user, slug=slug)
    citizen = get_citizen_for_support(membre=membre, token=token)
    form = PurposeForm(_posted(request))
    crumbs = _crumbs(
        (_("Assistance aux usagers"), reverse("journal:usagers", args=[membre.slug])),
        (_("Compte d’un usager"), ""),
    )
    if form.is_bound and form.is_valid():
        try:
            entry = journal_record(
                agent=request.user,
                citizen=citizen,
                membre=membre,
                data=str(SUPPORT_DATA),
                channel=str(SUPPORT_CHANNEL),
                purpose=form.cleaned_data["purpose"],
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("purpose", message)
        else:
            return render(
                request,
                "journal/usager_compte.html",
                {
                    "nav": "gestion",
                    "breadcrumbs": crumbs,
                    "membre": membre,
                    "citizen": citizen,
                    "identities": citizen_identities(citizen=citizen),
                    "entry": entry,
                },
            )
    return render(
        request,
        "journal/usager_motif.html",
        {
            "nav": "gestion",
            "breadcrumbs": crumbs,
            "membre": membre,
            "citizen_email": citizen.email,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


# The journal, for the DPO and the ethics committee.


def _filter_form(request, scope: JournalScope) -> JournalFilterForm:
    filter_keys = {"membre", "agent", "usager", "du", "au", "donnees"}
    data = request.GET if filter_keys & set(request.GET) else None
    return JournalFilterForm(data, scope=scope)


def _filtered_entries(form: JournalFilterForm, scope: JournalScope):
    if not form.is_bound:
        return journal_entries(scope=scope)
    if form.is_valid():
        return journal_entries(scope=scope, filters=form.filters())
    return PersonalDataAccess.objects.none()


# How many of the latest citizen searches the journal page lists.
SEARCHES_SHOWN = 20


def _filtered_searches(form: JournalFilterForm, scope: JournalScope):
    if not form.is_bound:
        return citizen_searches(scope=scope)
    if form.is_valid():
        return citizen_searches(scope=scope, filters=form.filters())
    return citizen_searches(scope=scope).none()


def _filter_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _journal_page(request, scope: JournalScope):
    form = _filter_form(request, scope)
    entries = _filtered_entries(form, scope)
    searches = _filtered_searches(form, scope)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    membre = scope.membre
    title = (
        _("Journal des accès aux données personnelles")
        if membre is None
        else _("Journal des accès aux données — %(nom)s") % {"nom": membre.collectivite.nom}
    )
    export_url = (
        reverse("journal:structure_export")
        if membre is None
        else reverse("journal:membre_export", args=[membre.slug])
    )
    return render(
        request,
        "journal/journal.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs((title, "")),
            "title": title,
            "menu": membre_menu(request, membre) if membre is not None else [],
            "membre": membre,
            "scope": scope,
            "form": form,
            "page": page,
            "entries": list(readable(page.object_list)),
            "searches": searches[:SEARCHES_SHOWN],
            "search_count": searches.count(),
            "report": journal_verify_recent(),
            "export_url": export_url,
            "checkpoint": latest_published_checkpoint() if scope.structure_wide else None,
            "query": _filter_query(request) if form.is_bound else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming a CSV."""

    def write(self, value):
        return value


def _csv_response(request, scope: JournalScope):
    form = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        return _journal_page(request, scope)
    entries = _filtered_entries(form, scope).iterator(chunk_size=1000)
    writer = csv.writer(_Echo())
    where = scope.membre.slug if scope.membre else "tous-membres"
    filename = f"journal-acces-{where}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in journal_csv_rows(entries)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
@never_cache
def journal_membre(request, slug):
    """A member's journal: its DPO and the ethics committee read it."""
    return _journal_page(request, get_journal_scope_for_user(user=request.user, slug=slug))


@login_required
@require_safe
def journal_membre_export(request, slug):
    """A member's journal, filtered, as CSV."""
    return _csv_response(request, get_journal_scope_for_user(user=request.user, slug=slug))


@login_required
@require_safe
@never_cache
def journal_structure(request):
    """Every member's journal: the ethics committee reads it."""
    return _journal_page(request, get_journal_scope_for_user(user=request.user))


@login_required
@require_safe
def journal_structure_export(request):
    """Every member's journal, filtered, as CSV."""
    return _csv_response(request, get_journal_scope_for_user(user=request.user))


@login_required
@require_safe
def journal_checkpoints(request):
    """The published checkpoints, signed, as JSON: the ethics committee keeps a copy."""
    get_journal_scope_for_user(user=request.user)
    body = json.dumps(
        [checkpoint_as_dict(checkpoint) for checkpoint in published_checkpoints()],
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"journal-points-de-controle-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# The citizen's side.


@login_required
@require_safe
@never_cache
def mes_acces(request):
    """« Qui a consulté mes données » : the accesses to the logged-in person's data."""
    entries = citizen_access_entries(citizen=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    # Every member that accessed the data (not only this page's), with whom to ask about it.
    membre_ids = entries.order_by().values_list("membre_id", flat=True).distinct()
    return render(
        request,
        "journal/mes_acces.html",
        {
            "contacts": membres_privacy_contacts(membre_ids=[pk for pk in membre_ids if pk]),
            "nav": "espace",
            "breadcrumbs": [
                (_("Mon espace"), reverse("portail:espace")),
                (_("Qui a consulté mes données"), ""),
            ],
            "page": page,
            "accesses": citizen_accesses(citizen=request.user, entries=page.object_list),
        },
    )
