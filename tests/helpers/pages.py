"""Helpers of the page tests."""

import re

INVITATION_PATH = re.compile(r"(/comptes/invitation/[A-Za-z0-9_-]+/)")


def invitation_path(message) -> str:
    """Return the path of the invitation link in a received email."""
    found = INVITATION_PATH.search(message.get_content())
    assert found, message.get_content()
    return found.group(1)
