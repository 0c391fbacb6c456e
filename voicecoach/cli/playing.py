"""The commands that play: `play` and `resume`.

Imports: click, voicecoach.cli.options, voicecoach.app.playing.
"""

from __future__ import annotations

import click

from voicecoach.app import playing
from voicecoach.app.choices import Speech
from voicecoach.cli.options import (
    chosen_db,
    complete_device,
    complete_routine,
    day_options,
    desktop_options,
    listen_options,
    reporter,
    voice_options,
)


@click.command()
@click.argument("routine", required=False, shell_complete=complete_routine)
@click.option("--device", metavar="NAME|INDEX", shell_complete=complete_device,
              help="Output device (see `voicecoach devices`; default: the system's).")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]", help="Start at this position, e.g. 'Deadlifts:2'.")
@click.option("--device-wait", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait, paused, for an output that disappeared before giving up.")
@day_options
@voice_options
@desktop_options
@listen_options
def play(routine: str | None, device: str | None, start: str | None, device_wait: float, day: str | None,
         week: int | None, engine: str | None, voice: str | None, rate: int | None, volume: float | None,
         inhibit: bool | None, duck_db: float | None, listen: bool | None, mic: str | None) -> None:
    """Play a whole session through the speakers or headphones.

    ROUTINE is a routine file or a bundled routine's name (default: legs-and-back).
    No key is needed: the whole session runs hands-free. In a terminal, a live screen
    shows the exercise, set, count, rest, what is next and the progress, and keys help
    when life interrupts:

    \b
      space  pause / resume         n, right  skip: set -> rest -> next set's countdown
      N  skip the rest of this exercise
      p, left  back to the start of the set (press again: the set before)
      r  repeat the last phrase     e  15 s more rest      + / -  volume
      d  AMRAP set done             f  failed set    q  quit (twice during a set)   ?  keys

    Without a terminal (a pipe, a log), each event is printed as it is heard
    ("00:12 Next up: Squats."). At the end: how long was played and the number of
    audio underruns (the target is none). If the output disappears, the session
    pauses until it comes back.

    On a desktop it is a media player (MPRIS2): media keys, a headset's buttons and
    `playerctl -p voicecoach` pause, skip and stop it. The computer stays awake and
    the screen unlocked while it plays (--no-inhibit), and other sound (your music)
    is lowered while the coach speaks (--duck DB, 0 never).

    With --listen it obeys spoken commands, offline: "coach" then pause, resume (go
    on, continue), next, back, repeat, done, failed (in a set) or stop ("Stop the workout?": say yes);
    after an AMRAP set, "coach" then the reps you did ("coach, twelve"). A soft tone
    says a command was heard; the coach's own voice is never taken for one.

    \b
    Examples:
      voicecoach play
      voicecoach play tabata --voice gmw/en-gb-x-rp --rate 160
      voicecoach play mine.yaml --device pulse
      voicecoach play --duck 18            # music 18 dB down while the coach speaks
      voicecoach play --listen             # "coach, pause" with both hands on the bar
    """
    request = playing.Request(routine, device, start, Speech(engine, voice, rate, volume), device_wait, inhibit,
                              duck_db, listen, mic, chosen_db(), day, week)
    click.echo(playing.play(request, reporter()).summary())


@click.command()
@click.option("--device", metavar="NAME|INDEX", shell_complete=complete_device,
              help="Output device (see `voicecoach devices`).")
@click.option("--device-wait", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait, paused, for an output that disappeared before giving up.")
@voice_options
@desktop_options
@listen_options
def resume(device: str | None, device_wait: float, engine: str | None, voice: str | None, rate: int | None,
           volume: float | None, inhibit: bool | None, duck_db: float | None, listen: bool | None,
           mic: str | None) -> None:
    """Continue the last interrupted session from the start of the set it stopped in.

    A session is interrupted when it ends without finishing or quitting: Ctrl-C, a
    killed process, a power cut. The routine is taken as it was then, from the history.

    \b
    Example:
      voicecoach resume
    """
    request = playing.Request(None, device, None, Speech(engine, voice, rate, volume), device_wait, inhibit,
                              duck_db, listen, mic, chosen_db())
    click.echo(playing.resume_last(request, reporter()).summary())
