"""The house's layout: voicecoach's modules import one another in one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

import voicecoach

PACKAGE = Path(voicecoach.__file__).parent


def name_of(path: Path) -> str:
    """A module's name below voicecoach: "timeline", "routine.reader"."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


MODULES = {name_of(p) for p in PACKAGE.rglob("*.py")
           if p.name not in ("__init__.py", "__main__.py") and "routines" not in p.parts}


def imports_of(module: str) -> set[str]:
    """Every voicecoach module `module` imports, at its top or inside a function."""
    path = PACKAGE / (module.replace(".", "/") + ".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name.removeprefix("voicecoach.") for name in found if name.startswith("voicecoach.")} & MODULES


GRAPH = {m: imports_of(m) - {m} for m in MODULES}


def a_circle() -> list[str] | None:
    """A path of imports that comes back to where it started, if there is one."""
    done: set[str] = set()

    def visit(m: str, path: list[str]) -> list[str] | None:
        if m in path:
            return path[path.index(m):] + [m]
        if m in done:
            return None
        for n in sorted(GRAPH[m]):
            circle = visit(n, [*path, m])
            if circle:
                return circle
        done.add(m)
        return None

    for m in sorted(MODULES):
        circle = visit(m, [])
        if circle:
            return circle
    return None


def test_no_module_imports_itself_back_even_lazily() -> None:
    assert a_circle() is None


def test_the_routine_values_know_nothing_of_yaml_or_files() -> None:
    assert GRAPH["routine.model"] <= {"routine.quantity", "errors"}


def test_the_entry_point_hands_off_to_the_cli_and_nothing_imports_it() -> None:
    assert "cli" in GRAPH["entry"]
    assert [m for m, deps in GRAPH.items() if "entry" in deps] == []
