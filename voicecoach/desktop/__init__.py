"""The desktop around a session, one module per system, each given back on every way out.

- `mpris`: MPRIS2 on the D-Bus session bus (media keys, headset buttons, playerctl): a source of
  intentions and an observer of the view
- `inhibit`: no sleep or screen lock while a session plays (logind, the ScreenSaver service)
- `duck`: other sound lowered while the coach speaks (the sound server's stream volumes), with a
  crash journal

May import: `voicecoach.session` (its `Key` and `View`), `voicecoach.errors`, `voicecoach.fileio`;
jeepney and pulsectl, each in its own module.
"""
