from django.apps import AppConfig


class PortailConfig(AppConfig):
    name = "socle.portail"
    label = "portail"
    verbose_name = "Portail"
