"""The app layer: what a command does, assembled from the wings below; the CLI above only parses.

- `settings`: the user's config file
- `choices`: what a command starts from (the routine moved on by its history, the voice, the start)
- `playing`: a played session put together (player, controls, observers, ducking, listening, the
  log), run, and given back on every way out

May import: every wing (`routine`, `plan`, `sound`, `session`, `desktop`, `listen`, `log`) and the
base modules; never `voicecoach.cli`, and it never prints to the terminal itself except through the
reporting callbacks a command hands it.
"""
