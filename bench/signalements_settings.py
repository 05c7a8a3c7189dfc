"""Settings of bench/signalements.py's server: Socle's own, with a URLconf that adds the floor.

Importable once `bench/` is on the path (gunicorn --pythonpath bench): nothing of the benchmark
goes into the `socle` package.
"""

from socle.settings import *  # noqa: F403

ROOT_URLCONF = "signalements_urls"
