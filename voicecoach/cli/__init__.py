"""The `voicecoach` command: a thin layer that reads options, calls one function of the app layer,
and reports. The only place that prints for a command or exits; errors become one line on stderr
and an exit status here (2 a user's mistake, 1 the system's, 130 Ctrl-C).

- `playing`: play, resume
- `routines`: plan, render, check, routines, new, schema
- `log`: history, show, stats
- `system`: voices, devices, cache
- `options`: the options several commands share, shell completion, the reporter of a session

May import: click, `voicecoach.app` and, for what a command prints, the types of the wings below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from voicecoach.cli.log import history_cmd, log_cmd, max_cmd, show, stats
from voicecoach.cli.playing import play, resume
from voicecoach.cli.routines import check, new, plan, render, routines, schema
from voicecoach.cli.system import cache, devices, voices
from voicecoach.errors import VoicecoachError


class _Group(click.Group):
    """Maps voicecoach errors to one line on stderr and an exit status (2 user mistake, 1 system, 130 Ctrl-C)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoicecoachError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("voicecoach: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="voicecoach", prog_name="voicecoach")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), envvar="VOICECOACH_DB", metavar="PATH",
              help="The history database (default: history.sqlite3 in the data directory; env VOICECOACH_DB).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, db_path: Path | None) -> None:
    """voicecoach: a voice-guided, hands-free workout player.

    Put your headphones on, run `voicecoach play`, and be coached through a whole
    strength session by voice: what comes next and how to do it, reps counted to a
    tempo, sets counted, rest timed, a summary at the end.

    \b
    Examples:
      voicecoach play                      # the bundled legs-and-back routine
      voicecoach play tabata               # another bundled routine
      voicecoach plan mine.yaml            # what will be said, and when
      voicecoach check mine.yaml           # find mistakes in a routine
    """
    ctx.meta["debug"] = debug
    ctx.meta["db"] = db_path


for command in (plan, play, resume, history_cmd, show, stats, max_cmd, log_cmd, render, voices, devices, cache,
                check, routines, new, schema):
    cli.add_command(command)

main = cli
