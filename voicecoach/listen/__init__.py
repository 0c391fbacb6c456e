"""Spoken commands, offline: a source of the session's intentions like the keys.

- `commands` (PURE): the words listened for and the keys they stand for
- `recognizer`: pocketsphinx with WebRTC noise suppression, a grammar and a judge of each stretch
- `microphone`: the input stream (PortAudio) and the worker thread that feeds the recognizer

May import: `voicecoach.session` (its `Key` and `Spoken`), `voicecoach.sound.player` (the PortAudio
helpers), `voicecoach.errors`; pocketsphinx and webrtc-noise-gain only here.
"""
