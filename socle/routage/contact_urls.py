"""« Qui contacter ? » for the whole territory, mounted at /qui-contacter/ (names contact:…)."""

from django.urls import path

from socle.routage import contact_views

app_name = "contact"
urlpatterns = [
    path("", contact_views.territoire, name="territoire"),
]
