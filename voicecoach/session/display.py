"""Draws a `View` on the terminal with rich; never decides anything.

Fits 80x24, redraws in place without flicker (rich Live), follows a resize, and is only used
when stdout is a terminal (otherwise the caller prints plain lines).
Imports: rich, voicecoach.session.view, voicecoach.session.machine (the keys' help text).
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from voicecoach.session.machine import HELP
from voicecoach.session.view import View

_DIGITS = {
    "0": ["███", "█ █", "█ █", "█ █", "███"], "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███", "  █", "███", "█  ", "███"], "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"], "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"], "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"], "9": ["███", "█ █", "███", "  █", "███"],
}


def big_number(text: str) -> str:
    """`text` (digits) in 5-row block letters."""
    digits = [d for d in text if d in _DIGITS][:4]
    if not digits:
        return "\n" * 4
    return "\n".join("  ".join(_DIGITS[d][row] for d in digits) for row in range(5))


def _clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60:d}:{s % 60:02d}"


def render_view(view: View, width: int = 80) -> RenderableType:
    """The whole screen for `view`, at most 80 columns and 22 rows."""
    width = max(40, min(width, 80))
    head = Table.grid(expand=True)
    head.add_column(ratio=3)
    head.add_column(justify="right", ratio=2)
    title = Text(view.exercise or view.routine, style="bold")
    if view.side:
        title.append(f"  ({view.side})", style="cyan")
    state = "PAUSED" if view.paused else view.phase
    head.add_row(title, Text(f"{state}  {view.set_label}", style="bold yellow" if view.paused else "bold"))
    body = Table.grid(expand=True)
    body.add_column(width=22)
    body.add_column(ratio=1)
    count = Text(big_number(view.count), style="bold green" if view.phase == "Work" else "bold blue")
    info = Text()
    info.append(f"{view.count_label}\n", style="dim")
    if view.how:
        info.append(f"{view.how}\n", style="italic")
    info.append("Next: ", style="dim")
    info.append(f"{view.next_up}\n")
    info.append("Coach: ", style="dim")
    info.append(f"\u201c{view.last_phrase}\u201d" if view.last_phrase else "")
    body.add_row(count, info)
    bar = ProgressBar(total=1.0, completed=view.fraction, width=width - 28)
    foot = Table.grid(expand=True)
    foot.add_column(width=width - 26)
    foot.add_column(justify="right")
    foot.add_row(bar, Text(f"{_clock(view.elapsed_s)} done, {_clock(view.remaining_s)} left"))
    status = Text(view.notice or f"volume {round(view.volume * 100)}%   ? keys", style="dim")
    if view.listening and not view.notice:
        status.append(f"   mic: {view.listening}", style="dim")
    parts: list[RenderableType] = [head, Text(""), body, Text(""), foot, status]
    if view.show_help:
        parts.append(Text(HELP, style="cyan"))
    return Panel(Group(*parts), title=f"voicecoach - {view.routine}", width=width, height=None)


class Display:
    """A live screen: `update(view)` redraws in place; the cursor and screen are restored on `close`."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._live: Live | None = None

    def open(self) -> None:
        self._live = Live(console=self.console, auto_refresh=False, transient=False, redirect_stdout=False,
                          redirect_stderr=False)
        self._live.start()

    def update(self, view: View) -> None:
        if self._live is not None:
            self._live.update(render_view(view, self.console.size.width), refresh=True)

    def close(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    def __enter__(self) -> Display:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
