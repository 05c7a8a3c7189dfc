"""The test run's settings: the platform's own, plus the toy module of tests/toy_module."""

from socle.settings import *  # noqa: F403
from socle.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy_module"]
