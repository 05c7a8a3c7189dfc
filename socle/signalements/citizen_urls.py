"""The citizen's pages for the whole structure: report, track, confirm, follow, unsubscribe."""

from django.urls import path, re_path

from socle.signalements import views_citizen as views

REFERENCE = r"(?P<reference>[0-9A-Z]{8})"

urlpatterns = [
    path("signaler/", views.signaler, name="signaler"),
    path("signalements/", views.liste, name="liste"),
    # The report page's script: categories and duplicates at a point, addresses.
    path("signalements/categories.json", views.categories_json, name="categories"),
    path("signalements/proches.json", views.proches_json, name="proches"),
    path("signalements/adresses.json", views.adresses_json, name="adresses"),
    path("signalements/confirmer/<str:jeton>/", views.confirmer, name="confirmer"),
    path("signalements/suivre/<str:jeton>/", views.suivre_confirmer, name="suivre_confirmer"),
    path("signalements/desabonner/<str:jeton>/", views.desabonner, name="desabonner"),
    path("signalements/photos/<int:pk>/<str:taille>.jpg", views.photo, name="photo"),
    re_path(rf"^signalements/{REFERENCE}/$", views.suivi, name="suivi"),
    re_path(rf"^signalements/{REFERENCE}/moi-aussi/$", views.suivre, name="suivre"),
]
