"""Spoken commands heard by pocketsphinx: offline, its English model ships in its wheel.

The microphone's 16 kHz samples are cleaned by WebRTC's noise suppression, then go through
pocketsphinx's endpointer (voice activity); each stretch of speech is decoded twice: once against
the small grammar of commands (`listen.commands.grammar`), once as free phones. A command is
accepted only when the grammar's words explain the sound nearly as well as the best phones do (an
acoustic likelihood ratio per frame), over the whole command and over the wake word alone: words
that are not a command, and noise, fit the grammar badly, and are dropped.

While a stretch goes on, the grammar follows it frame by frame: once it holds a whole command
after the wake word, then nothing but silence or noise for EARLY_TRAIL_S, the stretch is judged
at once rather than when the voice activity ends (noise can keep that going for a second).

Stretches the player marks as its own speech (`gated`) are never decoded: the coach cannot
command itself.

Imports: voicecoach.listen.commands, voicecoach.session.machine (pocketsphinx lazily).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from voicecoach.session.machine import Key
from voicecoach.listen.commands import WAKE_WORD, grammar, key_of

RATE_HZ = 16_000
# accepted when the grammar's acoustic score per frame is at most this far below the free phones'
# (pocketsphinx log units) over the whole command, and over the wake word alone; measured on piper's
# commands and 34 minutes of gym noise (scripts/bench_listen): what noise made of "coach done" fits
# the grammar as well as real commands do over all, but its "coach" fits far worse (-38,000 at best,
# real ones -18,000 to -35,000 mostly)
MIN_MATCH = -34_000
MIN_WAKE_MATCH = -36_000
# a bare answer ("yes") is one short word, easily matched by a piece of any sentence: it must fit
# better (answers -14,000 to -23,700; "Next up: Squats." heard as "stop" at -31,400)
ANSWER_MIN_MATCH = -27_000
# measured (scripts/bench_listen): voice activity at aggressiveness 1 of 0-3 after WebRTC's noise
# suppression at its strongest (3) keeps commands said in noise; mode 3 drops most of them
VAD_MODE = 1
DENOISE = 3
MIN_SPEECH_S = 0.35
MAX_SPEECH_S = 3.5            # longer is talk or music, not a command
PAD_S = 0.2                   # silence around a stretch, as the decoder expects
# a stretch is judged before the voice activity ends when the grammar, following it as it comes,
# already holds a whole command (wake word first) followed by this much that is not a word: in
# noise the voice activity can run on for a second after the command (scripts/bench_listen)
EARLY_TRAIL_S = 0.3
# pronunciations the dictionary lacks, heard from real and neural voices alike
EXTRA_PRONUNCIATIONS = {"done(2)": "D AA N"}
_NOT_WORDS = ("<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]")
_PAD = bytes(int(PAD_S * RATE_HZ) * 2)


def _is_word(word: str) -> bool:
    """A decoded segment that is a word, not silence, noise or a filler ("+BREATH+")."""
    return word not in _NOT_WORDS and not word.startswith("+")


def require_pocketsphinx() -> Any:
    """The pocketsphinx module; ImportError with how to install it."""
    try:
        import pocketsphinx
    except ImportError as e:
        raise ImportError("listening needs pocketsphinx; install it with: "
                          "pip install 'voicecoach[listen]'") from e
    return pocketsphinx


@dataclass(frozen=True, slots=True)
class Heard:
    """A stretch of speech as decoded: its words, how well they fit, the key (None: rejected)."""

    words: str
    match: float
    key: Key | None
    wake_match: float | None = None   # the same over the wake word alone (None: no wake word)


def accepted(heard: Heard, min_match: float = MIN_MATCH, min_wake: float = MIN_WAKE_MATCH) -> bool:
    """Whether what was heard is a command: words of the grammar that fit the sound well enough, the
    wake word on its own too; a bare answer ("yes") must fit better (see ANSWER_MIN_MATCH)."""
    if key_of(heard.words) is None:
        return False
    if heard.wake_match is None:
        return heard.match >= max(min_match, ANSWER_MIN_MATCH)
    return heard.match >= min_match and heard.wake_match >= min_wake


def _overlapping(phones: list[tuple[str, int, int, float]], first: int, last: int) -> float:
    """The free phones' score over frames first..last (a phone partly inside counts in proportion)."""
    total = 0.0
    for _, a, b, score in phones:
        inside = min(b, last) - max(a, first) + 1
        if inside > 0:
            total += score * inside / (b - a + 1)
    return total


class CommandRecognizer:
    """Feed it 16 kHz mono int16 bytes; it returns what it heard at the end of each stretch."""

    def __init__(self, *, vad_mode: int = VAD_MODE, min_match: float = MIN_MATCH, min_wake: float = MIN_WAKE_MATCH,
                 denoise: int = DENOISE) -> None:
        ps = require_pocketsphinx()
        self.decoder = self._grammar_decoder(ps)
        self.decoder.add_allphone_file("phones", ps.get_model_path("en-us/en-us-phone.lm.bin"))
        # follows stretches as they come; a decoder of its own, so that judging stays as measured
        # (what a decoder heard before shifts its feature normalisation)
        self.follower = self._grammar_decoder(ps)
        self.logmath = self.decoder.get_logmath()
        self.endpointer = ps.Endpointer(vad_mode=vad_mode, sample_rate=RATE_HZ)
        self.frame_bytes: int = self.endpointer.frame_bytes
        self.min_match = min_match
        self.min_wake = min_wake
        self._pending = b""
        self._speech: list[bytes] = []
        self._tainted = False
        self._silence = bytes(self.frame_bytes)
        self.gated_s = 0.0
        self._cleaner: Any = None
        self._following = False   # the grammar's utterance is open on the current stretch
        self._fed = 0             # of the stretch's frames, those the grammar has had
        self._judged = False      # judged early: a stretch is judged once (a decoder that has heard
                                  # a stretch fits it better the second time, rightly or wrongly)
        self._raw = b""
        self._follower_search = "commands"
        self.numbers = False      # also listen for "coach twelve" (set from the session's thread; read
                                  # when a stretch starts: see `listen_for_reps`)
        self.in_set = False       # also listen for "coach failed" (see `listen_in_set`)
        if denoise:
            from webrtc_noise_gain import AudioProcessor
            self._cleaner = AudioProcessor(0, denoise)

    @staticmethod
    def _grammar_decoder(ps: Any) -> Any:
        decoder = ps.Decoder(loglevel="FATAL", samprate=RATE_HZ)
        for word, phones in EXTRA_PRONUNCIATIONS.items():
            decoder.add_word(word, phones, False)
        decoder.add_jsgf_string("commands", grammar())
        decoder.add_jsgf_string("reps", grammar(numbers=True))
        decoder.add_jsgf_string("set", grammar(in_set=True))
        decoder.activate_search("commands")
        return decoder

    def listen_for_reps(self, on: bool) -> None:
        """Listen for the reps of an AMRAP set too ("coach twelve"), or no longer: from the next stretch."""
        self.numbers = on

    def listen_in_set(self, on: bool) -> None:
        """Listen for what is said only during a set too ("coach failed"), or no longer: from the next stretch."""
        self.in_set = on

    @property
    def _search(self) -> str:
        return "reps" if self.numbers else "set" if self.in_set else "commands"

    def feed(self, pcm: bytes, *, gated: bool = False) -> list[Heard]:
        """Take more input; `gated`: it was captured while the player spoke (never decoded)."""
        if self._cleaner is not None:
            self._raw += pcm
            cut = len(self._raw) // 320 * 320
            for i in range(0, cut, 320):
                self._pending += self._cleaner.Process10ms(self._raw[i:i + 320]).audio
            self._raw = self._raw[cut:]
        else:
            self._pending += pcm
        heard: list[Heard] = []
        n = self.frame_bytes
        while len(self._pending) >= n:
            frame, self._pending = self._pending[:n], self._pending[n:]
            if gated:
                self.gated_s += n / 2 / RATE_HZ
                self._tainted = self._tainted or self.endpointer.in_speech or bool(self._speech)
                frame = self._silence
            speech = self.endpointer.process(frame)
            if speech is not None:
                self._speech.append(speech)
                if len(self._speech) * n / 2 / RATE_HZ > MAX_SPEECH_S:
                    self._tainted = True
                    self._speech = self._speech[-1:]
            if not self.endpointer.in_speech and self._speech:
                done, tainted, judged = b"".join(self._speech), self._tainted, self._judged
                self._speech, self._tainted, self._judged = [], False, False
                self._stop_following()
                if not tainted and not judged and len(done) / 2 / RATE_HZ >= MIN_SPEECH_S:
                    heard.append(self.judge(done))
            elif not self.endpointer.in_speech:
                self._tainted = False
        if self._speech and not self._tainted and not self._judged:
            early = self._follow()
            if early is not None:
                heard.append(early)
        return heard

    def _follow(self) -> Heard | None:
        """Give the grammar the stretch's new frames; the stretch judged now if it already holds a
        whole command after the wake word, followed by EARLY_TRAIL_S of no words."""
        d = self.follower
        if not self._following:
            if self._follower_search != self._search:   # switching a search costs: only when it changes
                self._follower_search = self._search
                d.activate_search(self._search)
            d.start_utt()
            d.process_raw(_PAD, False, False)
            self._following, self._fed = True, 0
        for frame in self._speech[self._fed:]:
            d.process_raw(frame, False, False)
        self._fed = len(self._speech)
        speech_s = self._fed * self.frame_bytes / 2 / RATE_HZ
        hyp = d.hyp()
        if speech_s < MIN_SPEECH_S or hyp is None or key_of(hyp.hypstr) is None \
                or not hyp.hypstr.startswith(WAKE_WORD + " "):
            return None   # a bare answer waits for the end: a piece of any noise can look like "stop"
        words = [s for s in d.seg() if _is_word(s.word)]
        trail_s = PAD_S + speech_s - (words[-1].end_frame + 1) / 100 if words else 0.0
        if trail_s < EARLY_TRAIL_S:
            return None
        self._stop_following()
        heard = self.judge(b"".join(self._speech))
        self._judged = True
        return heard if heard.wake_match is not None else None   # the grammar followed a command: not an answer

    def _stop_following(self) -> None:
        if self._following:
            self.follower.end_utt()
            self._following = False

    def _decode(self, search: str, pcm: bytes) -> tuple[str, list[tuple[str, int, int, float]]]:
        d = self.decoder
        d.activate_search(search)
        d.start_utt()
        d.process_raw(pcm, False, True)
        d.end_utt()
        hyp = d.hyp()
        if hyp is None:
            return "", []
        log = self.logmath.log
        return hyp.hypstr, [(s.word, s.start_frame, s.end_frame, log(s.ascore) if s.ascore > 0 else -1e12)
                            for s in d.seg()]

    def judge(self, speech: bytes) -> Heard:
        """Decode one stretch of speech; the key it stands for, if it is a command."""
        pcm = _PAD + speech + _PAD
        words, segs = self._decode(self._search, pcm)
        spoken = [s for s in segs if _is_word(s[0])]
        if not spoken:
            return Heard("", float("-inf"), None)
        first, last = spoken[0][1], spoken[-1][2]
        in_words = sum(s[3] for s in segs if s[1] >= first and s[2] <= last)
        _, phones = self._decode("phones", pcm)
        in_phones = sum(s[3] for s in phones if s[2] >= first and s[1] <= last)
        match = (in_words - in_phones) / (last - first + 1)
        wake = None
        if spoken[0][0] == WAKE_WORD:
            _, a, b, score = spoken[0]
            wake = (score - _overlapping(phones, a, b)) / (b - a + 1)
        heard = Heard(words, match, None, wake)
        return replace(heard, key=key_of(words) if accepted(heard, self.min_match, self.min_wake) else None)
