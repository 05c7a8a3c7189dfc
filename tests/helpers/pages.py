"""Helpers of the page tests."""

import re

from tests.helpers.mail import path_in

INVITATION_PATH = re.compile(r"(/comptes/invitation/[A-Za-z0-9_-]+/)")


def invitation_path(message) -> str:
    """Return the path of the invitation link in a received email."""
    return path_in(message, INVITATION_PATH)
