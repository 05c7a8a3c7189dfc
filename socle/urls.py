from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("socle.territoires.api_urls")),
    path("comptes/", include("socle.comptes.urls")),
    path("gestion/", include("socle.territoires.admin_urls")),
    path("", include("socle.portail.urls")),
]
