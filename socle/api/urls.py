"""/api/v1/: the OpenAPI document, then the modules mounted at the API's root (routage), which
share the `api` namespace (`api:routage`). Other modules' API URLs are mounted by socle.urls
under `/api/v1/<mount>/`, namespace `api-<code>`."""

from importlib import import_module

from django.urls import path

from socle.api import views
from socle.core.modules import registered_modules

app_name = "api"
urlpatterns = [path("openapi.json", views.openapi, name="openapi")]
for module in registered_modules():
    if module.api_urls and not module.prefix:
        urlpatterns += import_module(module.api_urls).urlpatterns
