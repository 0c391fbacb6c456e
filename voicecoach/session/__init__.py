"""A session as it runs: the PURE state machine, its sources of intentions, and what observers read.

- `machine` (PURE): keys and the clock in, commands out (`Key`, `handle_key`)
- `controls`: the queue every control other than the keyboard puts its intentions in (media keys, voice)
- `view` (PURE): what is shown at a frame of the plan, for every observer (screen, MPRIS)
- `live`: the loop that wires sources, the playback and observers together; `keys`: raw terminal keys,
  always restored; `display`: the rich screen
- `record`: a set as it was done, handed to whoever keeps the log

May import: `voicecoach.sound` (the playback and the pure tones, mixer), `voicecoach.plan`,
`voicecoach.routine`, `voicecoach.errors`. Never a sound backend (speech engines, the player), nor
`desktop`, `listen` or `log`: they are sources and observers wired in from above.
"""
