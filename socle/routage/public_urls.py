"""A member's public pages of routing, mounted at /<member slug>/ (names routage:…)."""

from django.urls import path

from socle.routage import contact_views

urlpatterns = [
    path("qui-contacter/", contact_views.membre, name="qui-contacter"),
]
