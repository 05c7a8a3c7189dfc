"""`socle demo` loads the seed and gives Pessac and Bordeaux a roadmap each, both planning the
same software (demo data), once."""

from io import StringIO

from django.core.management import call_command

from socle.observatoire.models import FeuilleAxe, FeuilleDeRoute, FeuilleJalon, Projet, Revision


def _software_planned(membre_slug: str) -> set[str]:
    feuille = FeuilleDeRoute.objects.get(membre__slug=membre_slug)
    return {
        nom
        for axe in feuille.axes.all()
        for projet in axe.projets.all()
        for nom in projet.logiciels.values_list("nom", flat=True)
    }


def test_it_gives_pessac_and_bordeaux_roadmaps_planning_the_same_software(db, gironde):
    out = StringIO()
    call_command("demo", no_static=True, stdout=out)

    assert Projet.objects.get(slug="dkcl-dunkerque").etat == Projet.Etat.PUBLIE
    assert "observatoire" in out.getvalue()
    shared = _software_planned("pessac") & _software_planned("bordeaux")
    assert shared == {"Publik"}
    for slug in ("pessac", "bordeaux"):
        feuille = FeuilleDeRoute.objects.get(membre__slug=slug)
        assert feuille.ambition
        axe = feuille.axes.get()
        projet = axe.projets.get()
        # A plan: the member's own draft, not a published page.
        assert projet.membre == feuille.membre
        assert projet.etat == Projet.Etat.BROUILLON
        assert projet.statut == Projet.Statut.EN_PROJET
        assert projet.porteur.membre == feuille.membre
        assert feuille.jalons.exists()


def test_it_leaves_the_observatory_alone_the_second_time(db, gironde):
    call_command("demo", no_static=True, stdout=StringIO())
    counts = [
        model.objects.count()
        for model in (FeuilleDeRoute, FeuilleAxe, FeuilleJalon, Projet, Revision)
    ]

    call_command("demo", no_static=True, stdout=StringIO())
    assert [
        model.objects.count()
        for model in (FeuilleDeRoute, FeuilleAxe, FeuilleJalon, Projet, Revision)
    ] == counts
