from django.urls import path

from socle.routage import views

urlpatterns = [
    path("competences/", views.competences, name="competences"),
    path(
        "competences/demandes/<int:pk>/",
        views.competence_request_decide,
        name="competence_demande",
    ),
]
