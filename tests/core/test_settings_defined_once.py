"""Every module-level name of socle/settings.py is assigned once, and no setting is changed in
place after its definition: each list and dict is written in full where it belongs."""

import ast
from collections import Counter
from pathlib import Path

import socle

SETTINGS = Path(socle.__file__).with_name("settings.py")
MUTATING_METHODS = {"append", "extend", "insert", "update", "setdefault", "pop", "remove", "clear"}


def _module_level(tree: ast.Module):
    """The statements run at import, inside if/try/with/for blocks but not in functions."""
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            pending.extend(getattr(node, field, []))


def _target_names(target: ast.expr):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _expressions(node: ast.stmt):
    """The expressions of one statement itself, not those of nested statements."""
    for _field, value in ast.iter_fields(node):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.expr):
                yield from ast.walk(item)


def bindings(source: str) -> Counter:
    """How many times each module-level name is bound (an augmented assignment counts too)."""
    found: Counter = Counter()
    for node in _module_level(ast.parse(source)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found.update(_target_names(target))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            if isinstance(node, ast.AugAssign) or node.value is not None:
                found.update(_target_names(node.target))
        elif isinstance(node, ast.For | ast.AsyncFor):
            found.update(_target_names(node.target))
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    found.update(_target_names(item.optional_vars))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found[node.name] += 1
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for expression in _expressions(node):
                if isinstance(expression, ast.NamedExpr):
                    found.update(_target_names(expression.target))
    return found


def in_place_changes(source: str) -> list[str]:
    """Module-level statements that change a value after it was bound."""
    changes = []
    for node in _module_level(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            changes.extend(
                ast.unparse(target)
                for target in targets
                if isinstance(target, ast.Subscript | ast.Attribute)
            )
        if isinstance(node, ast.Expr):
            call = node.value
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in MUTATING_METHODS
                and isinstance(call.func.value, ast.Name | ast.Subscript)
            ):
                changes.append(ast.unparse(call))
    return changes


def test_it_assigns_every_module_level_name_of_the_settings_once():
    twice = {name: n for name, n in bindings(SETTINGS.read_text()).items() if n > 1}
    assert twice == {}


def test_it_changes_no_setting_in_place_after_defining_it():
    assert in_place_changes(SETTINGS.read_text()) == []


def test_it_sees_the_re_bindings_it_forbids():
    source = """
import os
A = [1]
A = [*A, 2]
B = 1
B += 1
if os.sep:
    C = {}
else:
    C = {"x": 1}
D, (E, *F) = 1, (2, 3)
E = 4
for G in (): pass
def G(): pass
if (H := 1): H = 2
"""
    assert {name for name, n in bindings(source).items() if n > 1} == {"A", "B", "C", "E", "G", "H"}


def test_it_sees_the_in_place_changes_it_forbids():
    source = """
A = [1]
A.append(2)
B = {}
B["x"] = 1
B["y"].extend([2])
C = object()
C.attribute = 3
del B["x"]
"""
    assert in_place_changes(source) == [
        "A.append(2)",
        "B['x']",
        "B['y'].extend([2])",
        "C.attribute",
        "B['x']",
    ]
