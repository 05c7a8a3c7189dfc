"""Helpers of the journal's tests: an access recorded with usual values, a journal page read."""

import html
import re

# The link from the citizen-support search to a citizen's account.
SUPPORT_LINK = re.compile(r'href="(/gestion/pessac/usagers/[^"/]+/)"')


def record_access(agent, citizen, membre, **extra):
    """`journal_record` with a front-desk access's data, channel and purpose unless given."""
    from socle.journal.services import journal_record

    return journal_record(
        agent=agent,
        citizen=citizen,
        membre=membre,
        data=extra.pop("data", "identité et coordonnées"),
        channel=extra.pop("channel", "back-office : assistance aux usagers"),
        purpose=extra.pop("purpose", "Demande d'assistance au guichet"),
        **extra,
    )


def journal_page(client, user, url: str, **params):
    """Open `url` (with query `params`) as `user`; return the response and its unescaped HTML."""
    client.force_login(user)
    response = client.get(url, params)
    return response, html.unescape(response.content.decode())
