from django.urls import path

from socle.routage import views

urlpatterns = [
    path("competences/", views.competences, name="competences"),
]
