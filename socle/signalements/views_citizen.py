"""The citizen's pages (placeholder until the pages land)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


signaler = liste = confirmer = suivre_confirmer = desabonner = photo = suivi = suivre = _missing
membre_liste = membre_signaler = _missing
