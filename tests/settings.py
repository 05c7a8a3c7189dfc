"""The test run's settings: the platform's own, plus the toy module of tests/toy_module."""

import tempfile
from pathlib import Path

from socle.settings import *  # noqa: F403
from socle.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy_module"]

# Each run (SQLite and PostgreSQL runs go side by side in `make test`) keeps its encrypted files
# apart, so a test that looks at the folder sees only its own run's.
CITOYEN_FILES_DIR = Path(tempfile.mkdtemp(prefix="socle-test-chiffres-"))
