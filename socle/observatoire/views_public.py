"""Placeholder: written by its owner."""

from django.http import Http404


def accueil(request, *args, **kwargs):
    raise Http404


def export(request, *args, **kwargs):
    raise Http404


def projet(request, *args, **kwargs):
    raise Http404


def acteur(request, *args, **kwargs):
    raise Http404


def logiciels(request, *args, **kwargs):
    raise Http404


def logiciel(request, *args, **kwargs):
    raise Http404


def pres(request, *args, **kwargs):
    raise Http404
