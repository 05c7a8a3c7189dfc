"""The footer's pages in the back office: /gestion/pages/ (an opérateur's)."""

from django.urls import path

from socle.portail import views

app_name = "pages"
urlpatterns = [
    path("", views.pages_gestion, name="liste"),
    path("<slug:code>/", views.page_modifier, name="modifier"),
]
