"""The back office of reports (placeholder until the pages land)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


hors_membres = file = carte = tableau = export_csv = reglages = detail = coordonnees = action = (
    _missing
)
