"""Helpers of the evaluation tests: the default grid written again (a transactional test
flushes what the migrations seeded), answers to it, yearly flows."""

from socle.observatoire.defaults import defaults_ensure


def default_grid_ensure() -> None:
    """Write the default grid and settings unless they exist (the migration's own function)."""
    defaults_ensure()


def question_axes(axes):
    return [axe for axe in axes if not axe.financier]


def answers(axes, pick="best") -> dict[str, int]:
    """Answer every question: with its best choice, its worst, or its first."""
    chosen = {}
    for axe in question_axes(axes):
        for question in axe.questions_grille:
            choices = list(question.choix.all())
            if pick == "best":
                choice = max(choices, key=lambda c: c.points)
            elif pick == "worst":
                choice = min(choices, key=lambda c: c.points)
            else:
                choice = choices[0]
            chosen[str(question.pk)] = choice.pk
    return chosen


def choice_worth(question, points) -> int:
    """The id of the question's choice worth these points."""
    return next(c.pk for c in question.choix.all() if c.points == points)


# Invest 1 000 €, then save 700 € and spend 200 € a year: net −1 000, +500, +500, +500, +500.
FLUX = [
    {"couts": "1000", "gains": "0"},
    {"couts": "200", "gains": "700"},
    {"couts": "200", "gains": "700"},
    {"couts": "200", "gains": "700"},
    {"couts": "200", "gains": "700"},
]


def evaluation_url(projet, kind="ex-ante", slug="pessac") -> str:
    return f"/gestion/{slug}/observatoire/projets/{projet.pk}/evaluation/{kind}/"


def suivi_url(projet, slug="pessac") -> str:
    return f"/gestion/{slug}/observatoire/projets/{projet.pk}/suivi/"


CONFIGURATION_URL = "/gestion/observatoire/evaluation/"


def evaluation_post(reponses: dict, flux: list[dict], commentaire: str = "") -> dict[str, str]:
    """The evaluation page's POST data for these answers and flows."""
    data = {f"reponse_{question}": str(choice) for question, choice in reponses.items()}
    for year, row in enumerate(flux):
        data[f"couts_{year}"] = row["couts"]
        data[f"gains_{year}"] = row["gains"]
    data["commentaire"] = commentaire
    return data
