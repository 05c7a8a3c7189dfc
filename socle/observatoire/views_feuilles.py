"""Placeholder: written by its owner."""

from django.http import Http404


def feuille(request, *args, **kwargs):
    raise Http404


def feuille_adopter(request, *args, **kwargs):
    raise Http404


def feuille_version(request, *args, **kwargs):
    raise Http404


def coherence(request, *args, **kwargs):
    raise Http404
