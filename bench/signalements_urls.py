"""The project's URLs plus `/bench/floor.json`: a bare Django JSON view, the benchmark's floor.

The floor goes through the same middleware, workers and database connection set-up as every
other page; it only skips what a real view does (queries, templates, serialisation).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def floor(request: HttpRequest) -> JsonResponse:
    """Answer a fixed JSON object."""
    return JsonResponse({"ok": True, "service": "floor"})


urlpatterns = [
    path("bench/floor.json", floor, name="bench-floor"),
    path("", include("socle.urls")),
]
