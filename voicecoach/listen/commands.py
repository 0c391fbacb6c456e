"""PURE: the spoken commands, as words and as the keys they stand for.

"coach" then a command word; "yes" (or "stop" again) answers "Stop the workout?". What a
command does is decided where every key is decided (`session.handle_key`).

Imports: voicecoach.session.machine.
"""

from __future__ import annotations

from voicecoach.session.machine import Key

WAKE_WORD = "coach"

# what follows the wake word, and the key it presses (space, n, p, r, d, q on the keyboard)
COMMANDS: dict[str, Key] = {
    "pause": Key.HOLD,
    "resume": Key.PLAY,
    "go on": Key.PLAY,
    "continue": Key.PLAY,
    "next": Key.NEXT,
    "back": Key.BACK,
    "repeat": Key.REPEAT,
    "done": Key.DONE,
    "stop": Key.ASK_STOP,
}

# said alone: "yes" answers the question "Stop the workout?" (and does nothing otherwise); "stop"
# alone asks it, or answers it (the wake word is easily lost when "stop" follows it at once)
ANSWERS: dict[str, Key] = {"yes": Key.YES, "stop": Key.ASK_STOP}

HELP = 'say "coach" then: pause, resume (go on, continue), next, back, repeat, done, stop'


def grammar() -> str:
    """The JSGF grammar of everything that is listened for."""
    commands = " | ".join(COMMANDS)
    answers = " | ".join(ANSWERS)
    return ("#JSGF V1.0;\ngrammar voicecoach;\n"
            f"public <heard> = {WAKE_WORD} ( {commands} ) | {answers};\n")


def key_of(words: str) -> Key | None:
    """The key that words heard in the grammar stand for ("coach next" -> Key.NEXT)."""
    words = " ".join(words.split())
    wake, _, command = words.partition(" ")
    if wake == WAKE_WORD:
        return COMMANDS.get(command)
    return ANSWERS.get(words)
