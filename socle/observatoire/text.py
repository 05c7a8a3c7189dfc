"""French words for search: accents folded, lower case, stop words dropped, stemmed.

The same function makes the search document of a project and the words of a query, so
"écoles", "ECOLE" and "école" all find one another, on SQLite and on PostgreSQL alike. Stems
come from the Snowball French stemmer (`snowballstemmer`, backed by `PyStemmer`'s C code).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")

# Short and frequent French words that carry no meaning for search.
_STOP = (
    "a au aux avec ce ces cet cette dans de des du elle en et est il ils je la le les leur "
    "leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui "
    "sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre "
    "avoir ont sont plus tres tout tous toute toutes afin ainsi entre sans sous chez dont"
)
STOP_WORDS = frozenset(_STOP.split())

_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Return the text in lower case without accents (œ and æ spelt out)."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Return the stemmed search words of a text, in order (stop words dropped)."""
    return [_stem(word) for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


def document(*parts: str) -> str:
    """Return the search document of several texts: their stemmed words, space-separated."""
    return " ".join(word for part in parts for word in words(part))
