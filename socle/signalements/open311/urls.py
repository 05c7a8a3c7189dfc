"""Open311 GeoReport v2 endpoints, each in .json and .xml (an unknown suffix is a 404 in the
specification's error shape)."""

from django.urls import re_path

from socle.signalements.open311 import views

V2 = "open311/v2/"
FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
SEGMENT = r"[^/.]+"

urlpatterns = [
    re_path(rf"^{V2}discovery{FORMAT}", views.discovery, name="open311_discovery"),
    re_path(rf"^{V2}services{FORMAT}", views.services, name="open311_services"),
    re_path(
        rf"^{V2}services/(?P<service_code>{SEGMENT}){FORMAT}",
        views.service_definition,
        name="open311_service",
    ),
    re_path(rf"^{V2}requests{FORMAT}", views.requests, name="open311_requests"),
    re_path(
        rf"^{V2}requests/(?P<service_request_id>{SEGMENT}){FORMAT}",
        views.request_detail,
        name="open311_request",
    ),
    re_path(rf"^{V2}tokens/(?P<token>{SEGMENT}){FORMAT}", views.token_detail, name="open311_token"),
    re_path(
        rf"^{V2}servicerequestupdates{FORMAT}",
        views.servicerequestupdates,
        name="open311_updates",
    ),
]
