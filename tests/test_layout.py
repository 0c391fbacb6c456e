"""The house's layout: wings by concern whose imports point one way, down to a pure core.

    cli -> app -> desktop, listen, log -> session -> sound -> plan -> routine -> base (errors, fileio, places, process)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import voicecoach

PACKAGE = Path(voicecoach.__file__).parent

# each wing, lowest first: a module may import its own wing and the wings below it
LAYERS: list[set[str]] = [
    {"errors", "fileio", "places", "process"},
    {"routine"},
    {"plan"},
    {"sound"},
    {"session"},
    {"desktop", "listen", "log"},
    {"app"},
    {"cli"},
    {"entry"},
]
LAYER_OF = {wing: i for i, layer in enumerate(LAYERS) for wing in layer}

# the libraries that reach a system outside the process: the pure wings never import them
OUTSIDE = ("sounddevice", "pyttsx3", "sqlite3", "click", "jeepney", "pulsectl", "pocketsphinx", "rich",
           "matplotlib", "soundfile", "piper", "onnxruntime", "webrtc_noise_gain", "termios", "tty", "subprocess")


def name_of(path: Path) -> str:
    """A module's name below voicecoach: "plan.timeline", "cli" (for cli/__init__.py)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def wing_of(module: str) -> str:
    return module.split(".")[0]


MODULES = {name_of(p) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py" and p != PACKAGE / "__init__.py"
           and "routines" not in p.relative_to(PACKAGE).parts}


def _tree(module: str) -> ast.Module:
    path = PACKAGE / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE / module.replace(".", "/") / "__init__.py"
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_names(module: str) -> set[str]:
    """Every name `module` imports, at its top or inside a function ("a.b" and "a.b.c" for `from a.b import c`)."""
    found: set[str] = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def imports_of(module: str) -> set[str]:
    """Every voicecoach module `module` imports."""
    return {n.removeprefix("voicecoach.") for n in imported_names(module) if n.startswith("voicecoach.")} & MODULES


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


def test_every_module_belongs_to_a_wing_of_the_layout() -> None:
    assert {wing_of(m) for m in MODULES} <= set(LAYER_OF)


def test_every_wing_says_what_it_holds_and_what_it_may_import() -> None:
    for wing in {wing_of(m) for m in MODULES if "." in m}:
        doc = ast.get_docstring(_tree(wing)) or ""
        assert "May import" in doc, wing
        assert all(leaf in doc for m in MODULES if m.startswith(f"{wing}.") for leaf in [m.split(".")[1]]), wing


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_or_within_the_wing(module: str) -> None:
    upward = {n for n in GRAPH[module] if LAYER_OF[wing_of(n)] > LAYER_OF[wing_of(module)]}
    sideways = {n for n in GRAPH[module] if LAYER_OF[wing_of(n)] == LAYER_OF[wing_of(module)] > 0
                and wing_of(n) != wing_of(module)}  # the base modules use one another
    assert upward == set() and sideways == set()


def test_the_routine_values_know_nothing_of_yaml_or_files() -> None:
    assert GRAPH["routine.model"] <= {"routine.quantity", "errors"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if wing_of(m) in ("routine", "plan")))
def test_the_routine_and_the_plan_reach_no_outside_system(module: str) -> None:
    reached = {n for n in imported_names(module) if n.split(".")[0] in OUTSIDE}
    assert reached == set()


def test_the_session_is_handed_its_backends_and_never_imports_them() -> None:
    backends = {"sound.speech", "sound.piper", "sound.engines", "sound.player", "sound.render"}
    for module in (m for m in MODULES if wing_of(m) == "session"):
        assert GRAPH[module] & backends == set(), module
        assert {wing_of(n) for n in GRAPH[module]} & {"desktop", "listen", "log"} == set(), module


def test_nothing_below_the_command_layer_imports_it() -> None:
    assert [m for m, deps in GRAPH.items() if wing_of(m) not in ("cli", "entry") and any(
        wing_of(d) == "cli" for d in deps)] == []


def test_the_entry_point_hands_off_to_the_cli_and_nothing_imports_it() -> None:
    assert "cli" in GRAPH["entry"]
    assert [m for m, deps in GRAPH.items() if "entry" in deps] == []


def test_no_command_is_longer_than_a_screen() -> None:
    """A command reads options, calls the app layer and reports: 40 lines at most, its help aside."""
    long: dict[str, int] = {}
    for module in (m for m in MODULES if wing_of(m) == "cli"):
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.FunctionDef) and any(
                    word in ast.unparse(d) for d in node.decorator_list for word in ("command", "group")):
                first = node.body[0]
                help_lines = first.end_lineno - first.lineno + 1 if ast.get_docstring(node) else 0  # type: ignore[operator]
                lines = node.end_lineno - node.lineno + 1 - help_lines  # type: ignore[operator]
                if lines > 40:
                    long[f"{module}.{node.name}"] = lines
    assert long == {}


def test_the_pure_core_imports_with_every_outside_system_missing() -> None:
    pure = sorted(m for m in MODULES if wing_of(m) in ("routine", "plan")) + [
        "session.machine", "session.view", "session.record", "sound.tones", "sound.mixer", "listen.commands"]
    code = (f"import sys\nfor name in {list(OUTSIDE)!r}:\n    sys.modules[name] = None\n"
            + "".join(f"import voicecoach.{m}\n" for m in pure) + "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
