"""The URL configuration: the platform's apps, then each module's public and API URLs."""

from django.urls import include, path

from socle.core import views as core_views
from socle.core.modules import registered_modules

module_api = [
    path(
        f"api/v1/{module.prefix}",
        include((module.api_urls, module.code), namespace=f"api-{module.code}"),
    )
    for module in registered_modules()
    # A module at the API's root (routage) is in socle.api.urls, namespace `api`.
    if module.api_urls and module.prefix
]
module_site = [
    path("", include((module.site_urls, f"{module.code}-site"), namespace=f"{module.code}-site"))
    for module in registered_modules()
    if module.site_urls
]
module_public = [
    path(
        f"<slug:slug>/{module.prefix}",
        include((module.public_urls, module.code), namespace=module.code),
    )
    for module in registered_modules()
    if module.public_urls
]

urlpatterns = [
    *module_api,
    path("api/v1/", include("socle.api.urls")),
    # Before the back office's /gestion/<slug>/: a module's structure-wide pages.
    *module_site,
    path("comptes/invitation/", include("socle.membres.invitation_urls")),
    path("comptes/", include("socle.comptes.urls")),
    path("comptes/oidc/", include("socle.comptes.oidc.urls")),
    path("gestion/kit/", include("socle.core.urls")),
    # A member's theme colours as a stylesheet (no inline style: Content-Security-Policy).
    path("theme/<str:colours>.css", core_views.theme_css, name="theme_css"),
    # The footer's pages (mentions légales, accessibilité…), before the members' <slug>.
    path("gestion/pages/", include("socle.portail.gestion_urls")),
    # The personal-data journal's screens live in the back office, next to the member's pages.
    path("gestion/", include("socle.journal.urls")),
    path("gestion/", include("socle.membres.urls")),
    path("qui-contacter/", include("socle.routage.contact_urls")),
    *module_public,
    path("", include("socle.portail.urls")),
]
