"""Placeholder: written by its owner."""

from django.http import Http404


def evaluation(request, *args, **kwargs):
    raise Http404


def suivi(request, *args, **kwargs):
    raise Http404


def configuration(request, *args, **kwargs):
    raise Http404
