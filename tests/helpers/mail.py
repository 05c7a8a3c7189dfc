"""Reading the mail the tests receive (tests/conftest.py's `smtp_server`)."""

import re


def path_in(message, pattern: str | re.Pattern) -> str:
    """The first group of `pattern` in the message's text: the path of the link it carries."""
    found = re.search(pattern, message.get_content())
    assert found, message.get_content()
    return found.group(1)
