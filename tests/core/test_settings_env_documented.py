"""`.env.example` documents every environment variable that socle/settings.py reads."""

import ast
import re
from pathlib import Path

import socle

SETTINGS = Path(socle.__file__).with_name("settings.py")
ENV_EXAMPLE = SETTINGS.parent.parent / ".env.example"
READERS = {"env", "env_bool", "env_list", "getenv"}


def _constant(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def variables_read(source: str) -> set[str]:
    """Names passed as literals to env(), env_bool(), env_list(), os.getenv(), os.environ."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            on_environ = (
                isinstance(func, ast.Attribute)
                and func.attr == "get"
                and ast.unparse(func.value) == "os.environ"
            )
            if called in READERS or on_environ:
                names.add(_constant(node.args[0]))
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(_constant(node.slice))
    return names - {None}


def documented(text: str) -> set[str]:
    """Variables of `.env.example`, set (NAME=…) or shown commented out (# NAME=…)."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_it_documents_every_variable_the_settings_read():
    read = variables_read(SETTINGS.read_text())
    assert {"SECRET_KEY", "DATABASE_URL", "FRANCECONNECT_ISSUER"} <= read
    assert sorted(read - documented(ENV_EXAMPLE.read_text())) == []


def test_it_documents_no_variable_the_settings_ignore():
    read = variables_read(SETTINGS.read_text())
    assert sorted(documented(ENV_EXAMPLE.read_text()) - read) == []


def test_it_finds_variables_however_they_are_read():
    source = 'import os\nA = env("ONE")\nB = env_bool("TWO", True)\nC = os.environ["THREE"]\n'
    source += 'D = os.environ.get("FOUR")\nE = os.getenv("FIVE", "")\nF = env_list("SIX")\n'
    assert variables_read(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"}
