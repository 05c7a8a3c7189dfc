"""Placeholder: written by its owner."""

from django.http import Http404


def diagnostics(request, *args, **kwargs):
    raise Http404


def diagnostic_nouveau(request, *args, **kwargs):
    raise Http404


def diagnostic(request, *args, **kwargs):
    raise Http404


def configuration(request, *args, **kwargs):
    raise Http404
