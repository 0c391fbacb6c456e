"""Sound on one sample clock: tones and the mixer (PURE), the speech engines, the one output stream.

- `tones`, `mixer` (PURE): the tones as numpy arrays; a plan's clips summed block by block
- `speech`: the `Synthesizer` interface, pyttsx3/espeak-ng, the speech cache, rendering ahead
- `piper`, `engines`: the neural voice; which engine and voice speak
- `player`: the only sounddevice user, whose frame counter is the session's clock
- `playback`: a plan run on the player, planned again on skip, back or extend
- `render`: a session written to an audio file

May import: `voicecoach.plan`, `voicecoach.routine`, `voicecoach.errors`, `voicecoach.fileio`,
`voicecoach.places`; its outside systems (PortAudio, pyttsx3, piper, soundfile) lazily where a
warm start does not need them.
"""
