from django.urls import path

from socle.portail import views

app_name = "portail"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("<slug:slug>/", views.membre, name="membre"),
]
