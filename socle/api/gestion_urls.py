from django.urls import path

from socle.api import views

urlpatterns = [
    path("", views.cles, name="cles"),
    path("<int:pk>/revoquer/", views.cle_revoquer, name="cle_revoquer"),
]
