"""The public verification of documents: /verifier/ (views_verifier.py)."""

from django.urls import path

from socle.demarches import views_verifier

urlpatterns = [
    path("", views_verifier.verifier, name="verifier"),
    path("<str:code>/", views_verifier.verifier_code, name="verifier_code"),
]
