"""The app layer: what each command does, assembled from the wings below; the CLI above only parses
and reports.

- `playing`: a played session put together (player, controls, observers, ducking, listening, the
  log), run, and given back on every way out; `play` and `resume`
- `choices`: what a command starts from (the routine moved on by its log, the start, the voice)
- `settings`: the user's config file
- `routines`: plan, render, check, the bundled routines, a starter routine, the schema for editors
- `records`: what the training log's commands read, and training maxes set
- `ahead`: the loads of a program's next sessions if every set is done
- `logbook`: a session done without the coach, logged as if it had been played
- `system`: voices, sound devices, the speech cache

May import: every wing (`routine`, `plan`, `sound`, `session`, `desktop`, `listen`, `log`) and the
base modules; never `voicecoach.cli`. It prints nothing itself: what a person should read goes
through the `Reporter` a command hands in, or comes back as values.
"""
