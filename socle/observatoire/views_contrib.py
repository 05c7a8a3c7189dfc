"""Placeholder: written by its owner."""

from django.http import Http404


def projets(request, *args, **kwargs):
    raise Http404


def projet_nouveau(request, *args, **kwargs):
    raise Http404


def projet(request, *args, **kwargs):
    raise Http404


def projet_modifier(request, *args, **kwargs):
    raise Http404


def projet_soumettre(request, *args, **kwargs):
    raise Http404


def projet_retirer(request, *args, **kwargs):
    raise Http404


def projet_acteurs(request, *args, **kwargs):
    raise Http404


def projet_logiciels(request, *args, **kwargs):
    raise Http404


def projet_contacts(request, *args, **kwargs):
    raise Http404


def projet_documents(request, *args, **kwargs):
    raise Http404


def projet_document_supprimer(request, *args, **kwargs):
    raise Http404


def projet_historique(request, *args, **kwargs):
    raise Http404


def document(request, *args, **kwargs):
    raise Http404


def contact_accord(request, *args, **kwargs):
    raise Http404


def contact_retrait(request, *args, **kwargs):
    raise Http404


def relecture(request, *args, **kwargs):
    raise Http404


def relecture_projet(request, *args, **kwargs):
    raise Http404


def relecture_revision(request, *args, **kwargs):
    raise Http404


def acteurs(request, *args, **kwargs):
    raise Http404


def logiciels_gestion(request, *args, **kwargs):
    raise Http404
