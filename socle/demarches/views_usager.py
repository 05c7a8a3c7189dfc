"""The citizen's side: catalogue, filling, filing, following (stub: the filing brief)."""

from django.http import Http404


def catalogue(request, slug):
    raise Http404


def demarche(request, slug, code):
    raise Http404
