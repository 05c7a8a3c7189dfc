"""Fixtures of the page tests; a test module imports the ones it needs by name.

The autouse ones below should move to conftest.py once the lead agrees (see the report).
"""

import re

import pytest


@pytest.fixture(autouse=True)
def plain_static(settings):
    """Find static files in socle/static/ and serve them without the collectstatic manifest."""
    settings.STATICFILES_DIRS = [settings.BASE_DIR / "static"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs a quarter of a second per persona: tests hash with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


INVITATION_PATH = re.compile(r"(/comptes/invitation/[A-Za-z0-9_-]+/)")


def invitation_path(message) -> str:
    """Return the path of the invitation link in a received email."""
    found = INVITATION_PATH.search(message.get_content())
    assert found, message.get_content()
    return found.group(1)
