"""/api/v1/demarches/ (stub: the API brief fills it)."""

from django.http import Http404


def openapi() -> dict:
    return {"paths": {}, "schemas": {}}


def demarches_list(request):
    raise Http404


def dossiers_list(request):
    raise Http404


def dossier_detail(request, reference):
    raise Http404


def dossier_statut(request, reference):
    raise Http404


def dossier_piece(request, reference, pk):
    raise Http404
