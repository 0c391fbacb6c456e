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

# listened for only while a set is in progress: a word more in the grammar at all times cost the
# other commands 2 of 108 over music and 6 of 108 in gym noise (scripts/bench_listen)
IN_SET: dict[str, Key] = {"failed": Key.FAILED}

# said alone: "yes" answers the question "Stop the workout?" (and does nothing otherwise); "stop"
# alone asks it, or answers it (the wake word is easily lost when "stop" follows it at once)
ANSWERS: dict[str, Key] = {"yes": Key.YES, "stop": Key.ASK_STOP}

HELP = ('say "coach" then: pause, resume (go on, continue), next, back, repeat, done, stop; during a set, failed; '
        'after an AMRAP set, the reps you did ("coach, twelve")')

# "coach, twelve": the reps of the last AMRAP set, 2 to 99 ("one" is left out: it sounds like "done")
UNITS = ("two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_VALUES = {w: i + 2 for i, w in enumerate(UNITS)} | {"one": 1} | {w: 10 + i for i, w in enumerate(TEENS)} | \
    {w: 20 + 10 * i for i, w in enumerate(TENS)}


def grammar(numbers: bool = False, in_set: bool = False) -> str:
    """The JSGF grammar of everything that is listened for; with `numbers`, the reps of an AMRAP set
    too ("coach twelve"): listened for only just after one, since a larger grammar fits other sounds
    better and costs the other commands recall (scripts/bench_listen); `in_set`: "coach failed" too."""
    commands = " | ".join([*COMMANDS, *(IN_SET if in_set else ())])
    answers = " | ".join(ANSWERS)
    if not numbers:
        return ("#JSGF V1.0;\ngrammar voicecoach;\n"
                f"public <heard> = {WAKE_WORD} ( {commands} ) | {answers};\n")
    units = " | ".join(("one", *UNITS))
    return ("#JSGF V1.0;\ngrammar voicecoach;\n"
            f"<number> = {' | '.join(UNITS)} | {' | '.join(TEENS)} | ( {' | '.join(TENS)} ) [ {units} ];\n"
            f"public <heard> = {WAKE_WORD} ( {commands} | <number> [ reps ] ) | {answers};\n")


def number_in(words: str) -> int | None:
    """The number said after the wake word ("coach twenty five" -> 25), if the words are one."""
    wake, _, rest = " ".join(words.split()).partition(" ")
    said = [w for w in rest.split() if w != "reps"]
    if wake != WAKE_WORD or not said or any(w not in _VALUES for w in said) or len(said) > 2:
        return None
    if len(said) == 2 and not (said[0] in TENS and _VALUES[said[1]] < 10):
        return None
    if said == ["one"]:
        return None
    return sum(_VALUES[w] for w in said)


def key_of(words: str) -> Key | None:
    """The key that words heard in the grammar stand for ("coach next" -> Key.NEXT, "coach twelve" ->
    Key.REPS)."""
    words = " ".join(words.split())
    wake, _, command = words.partition(" ")
    if wake == WAKE_WORD:
        return COMMANDS.get(command) or IN_SET.get(command) or (Key.REPS if number_in(words) is not None else None)
    return ANSWERS.get(words)
