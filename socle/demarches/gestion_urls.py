"""A member's back office of procedures: /gestion/<member>/demarches/… (`gestion:demarches:…`)."""

from django.urls import include, path

urlpatterns = [
    # Procedures: create, adopt a template, build the form and workflow, publish.
    path("", include("socle.demarches.urls_configuration")),
    # Instruction: the queue, a dossier, decisions, export.
    path("dossiers/", include("socle.demarches.urls_instruction")),
    # The member's webhooks.
    path("webhooks/", include("socle.demarches.urls_webhooks")),
]
