"""Placeholder until the pages land."""

from socle.opendata.datagouv_urls import urlpatterns as datagouv_urlpatterns

urlpatterns: list = [*datagouv_urlpatterns]
