"""Placeholder: written by its owner."""

from django.http import Http404


def projets(request, *args, **kwargs):
    raise Http404


def projet(request, *args, **kwargs):
    raise Http404
