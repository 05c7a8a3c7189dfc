"""The public verification of receipts and attestations (/verifier/): type the code printed on
a document (or scan its QR code) to learn that it is authentic — kind, title, issuer, date, not
revoked; never personal data nor the dossier's reference — and compare a PDF with the one
issued (SHA-256)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from socle.core.fichiers import DocumentRefused, document_check, size_label
from socle.core.uploads import upload_limited
from socle.demarches.codes import document_code_normalise
from socle.demarches.documents import (
    VERIFICATION_MAX_BYTES,
    document_for_code,
    document_matches,
    verification_allowed,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Il figure sous le QR code du document : 12 lettres et chiffres."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = document_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _(
                    "Un code de vérification compte 12 lettres et chiffres, "
                    "par exemple K7QF-93XM-2PLD."
                )
            )
        return code


class CopieForm(forms.Form):
    fichier = forms.FileField(
        label=_("Le fichier PDF à comparer"),
        help_text=_("Format PDF, %(taille)s au plus. Il n’est pas conservé.")
        % {"taille": size_label(VERIFICATION_MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def _trop(request: HttpRequest) -> HttpResponse:
    return render(request, "demarches/verifier/trop.html", status=429)


@require_http_methods(["GET", "HEAD"])
def verifier(request: HttpRequest) -> HttpResponse:
    """Type a code; a valid one leads to its page."""
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("demarches-site:verifier_code", code=form.cleaned_data["code"])
    return render(
        request,
        "demarches/verifier/index.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# The copy to compare, with the form around it: refused as it arrives, kept in memory.
COPIE_UPLOAD_MAX = VERIFICATION_MAX_BYTES + 1024 * 1024


@upload_limited(COPIE_UPLOAD_MAX)
@require_http_methods(["GET", "HEAD", "POST"])
def verifier_code(request: HttpRequest, code: str) -> HttpResponse:
    """A code's page: authentic or unknown; and the comparison of an uploaded copy."""
    normalised = document_code_normalise(code)
    if normalised and normalised != code:
        return redirect("demarches-site:verifier_code", code=normalised)
    if not verification_allowed(request=request):
        return _trop(request)
    document = document_for_code(normalised) if normalised else None
    if document is None:
        return render(request, "demarches/verifier/inconnu.html", {"code": code[:40]}, status=404)
    form = CopieForm()
    identique: bool | None = None
    if request.method == "POST":
        form = CopieForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                copie = document_check(
                    form.cleaned_data["fichier"], limit=VERIFICATION_MAX_BYTES, accepted=["pdf"]
                )
            except DocumentRefused as refused:
                form.add_error("fichier", refused.message)
            else:
                identique = document_matches(document, copie.content)
    return render(
        request,
        "demarches/verifier/document.html",
        {
            "document": document,
            "emis_le": document.genere_le or document.cree_le,
            "form": form,
            "identique": identique,
        },
        status=400 if form.errors else 200,
    )
