from django.urls import path

from tests.toy_module import views

urlpatterns = [path("", views.accueil, name="accueil")]
