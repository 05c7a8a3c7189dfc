from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("socle.territoires.api_urls")),
    path("comptes/", include("socle.comptes.urls")),
    path("comptes/oidc/", include("socle.comptes.oidc_urls")),
    path("gestion/kit/", include("socle.core.urls")),
    # The personal-data journal's screens live in the back office, next to the member's pages.
    path("gestion/", include("socle.comptes.journal_urls")),
    path("gestion/", include("socle.territoires.admin_urls")),
    path("", include("socle.portail.urls")),
]
