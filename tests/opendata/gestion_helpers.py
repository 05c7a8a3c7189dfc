"""Files of the open data back-office tests: the official subventions examples."""

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas" / "subventions"
VALIDE = (EXAMPLES / "exemple_valide.csv").read_bytes()
INVALIDE = (EXAMPLES / "exemple_invalide_erreurs_cellules.csv").read_bytes()
