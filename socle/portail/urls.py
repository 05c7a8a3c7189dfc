from django.urls import path

from socle.portail import views

app_name = "portail"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("comptes/espace/", views.espace, name="espace"),
    path("<slug:slug>/", views.membre, name="membre"),
]
