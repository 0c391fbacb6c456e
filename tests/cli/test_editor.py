"""Editors really load the routine schema: the real YAML language server (the one VS Code, Neovim,
Helix and Zed use), offline, on a routine started by `voicecoach new`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lsp import LanguageServer

from voicecoach.cli import cli

SERVER = Path(sys.prefix) / "lsp" / "node_modules" / ".bin" / "yaml-language-server"
SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False},
                     "format": {"enable": False}}}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LanguageServer]:
    assert SERVER.exists(), f"{SERVER} is missing: scripts/install test installs it (npm)"
    ls = LanguageServer([str(SERVER), "--stdio"], SETTINGS)
    ls.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
        "workspace": {"configuration": True},
        "textDocument": {"completion": {"completionItem": {"snippetSupport": False}},
                         "publishDiagnostics": {}}}})
    ls.notify("initialized", {})
    ls.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    yield ls
    ls.close()


def new_routine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A routine written by `voicecoach new`, with the schema installed where it says."""
    monkeypatch.setenv("VOICECOACH_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "mine.yaml"
    result = CliRunner().invoke(cli, ["new", str(path)])
    assert result.exit_code == 0, result.output
    return path


def opened(ls: LanguageServer, path: Path, text: str) -> str:
    uri = path.as_uri()
    ls.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                        "text": text}})
    return uri


def test_a_new_routine_names_a_schema_file_that_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = new_routine(tmp_path, monkeypatch).read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema=file://"
    assert first.startswith(prefix)
    assert Path(first[len(prefix):]).read_text() == CliRunner().invoke(cli, ["schema"]).output


def test_completion_inside_an_exercise_offers_its_keys(server: LanguageServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = new_routine(tmp_path, monkeypatch)
    text = path.read_text().replace("  - name: Plank\n", "  - name: Rows\n    \n  - name: Plank\n")
    line = text.splitlines().index("  - name: Rows") + 1
    uri = opened(server, path, text)
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": {"line": line, "character": 4}})
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert {"sets", "reps", "tempo", "hold", "cues", "how"} <= labels, labels


def test_a_misspelt_key_gets_a_diagnostic_on_its_line(server: LanguageServer, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = new_routine(tmp_path, monkeypatch)
    text = path.read_text().replace("  - name: Lunges\n    sets: 3\n", "  - name: Lunges\n    stes: 3\n")
    line = text.splitlines().index("    stes: 3")
    uri = opened(server, path, text)
    published = server.wait_for_notification(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        and bool(m["params"]["diagnostics"]))
    found = [(d["range"]["start"]["line"], d["message"]) for d in published["params"]["diagnostics"]]
    assert any(at == line and "stes" in message for at, message in found), found


def test_the_unedited_new_routine_has_no_diagnostics(server: LanguageServer, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = new_routine(tmp_path, monkeypatch)
    # first a copy with a mistake, to know the schema is loaded and checked against
    wrong = path.with_name("wrong.yaml")
    wrong_uri = opened(server, wrong, path.read_text().replace("    reps: 10\n", "    reps: ten\n"))
    server.wait_for_notification(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                 and m["params"]["uri"] == wrong_uri and bool(m["params"]["diagnostics"]))
    uri = opened(server, path, path.read_text())
    published = server.wait_for_notification(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
    assert published["params"]["diagnostics"] == []
