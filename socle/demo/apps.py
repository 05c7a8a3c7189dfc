from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its members and accounts, and the local fake FranceConnect and ProConnect."""

    name = "socle.demo"
    label = "demo"
    verbose_name = "Démonstration"
