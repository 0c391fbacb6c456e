"""The commands about this computer: voices, devices, cache.

Imports: click, voicecoach.app.system, voicecoach.routine.model (the engines' names).
"""

from __future__ import annotations

import click

from voicecoach.app import system
from voicecoach.routine.model import ENGINES


@click.command()
@click.option("--engine", type=click.Choice(ENGINES), default="espeak", show_default=True,
              help="Whose voices: espeak-ng's, or piper's (the bundled one and those in the voices folder).")
def voices(engine: str) -> None:
    """List the voices of a speech engine, for --voice.

    Piper voices are the bundled en_US-joe-medium and any NAME.onnx (with its
    NAME.onnx.json) put in the voices folder shown at the end; --voice also takes a
    model file by path.

    \b
    Examples:
      voicecoach voices
      voicecoach voices --engine piper
    """
    found, more_in = system.voices(engine)
    for v in found:
        note = f"  ({v.note})" if v.note else ""
        click.echo(f"{v.id:<28} {v.name:<28} {','.join(v.languages)}{note}")
    if more_in is not None:
        click.echo(f"(more voices: put NAME.onnx and NAME.onnx.json in {more_in})")


@click.command()
def devices() -> None:
    """List the sound output devices, for --device, and the microphones, for --mic."""
    for kind, d in system.devices():
        mark = "*" if d.is_default else " "
        where = ", input: --mic" if kind == "input" else ""
        click.echo(f"{mark} {d.number:>3}  {d.name}  ({d.host_api}, {d.channels} ch{where})")


@click.group()
def cache() -> None:
    """Manage the cache of synthesized speech."""


@cache.command("clear")
def cache_clear() -> None:
    """Remove every synthesized phrase, every routine remembered as parsed and every command's kept
    first words from the cache."""
    click.echo(system.clear_cache())


@cache.command("path")
def cache_path() -> None:
    """Print where synthesized speech is cached."""
    click.echo(str(system.speech_cache_dir()))
