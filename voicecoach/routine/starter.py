"""The commented starter routine that `voicecoach new FILE` writes. Imports nothing."""


def starter_routine(schema_url: str) -> str:
    """The starter routine, naming the schema at `schema_url` for editors (the YAML language server)."""
    return STARTER_ROUTINE.replace("SCHEMA_URL", schema_url, 1)


STARTER_ROUTINE = """\
# yaml-language-server: $schema=SCHEMA_URL
# A voicecoach routine (format version 1). Check it with: voicecoach check THIS_FILE
# Durations: 90, 90s, 1m30s, 1:30 or 2 min. Tempo: lowering-pause-lifting-pause in seconds.
version: 1
name: My routine
description: What this session is for.

defaults:
  rest: 60s            # between sets
  rest_after: 90s      # after the last set of an exercise
  tempo: 2-0-1-0       # 2 s down, no pause, 1 s up, no pause
  tempo_beats: true    # soft beats pace a lowering of 2 s or more (false: counts only)
  get_ready: 10s       # before the first set
  switch_sides: 5s     # between the sides of an 'each leg' set
  unit: kg

tips:                  # said during long rests, taking turns
  - Engage your core.
  - say: Breathe out as you push.
    before: reps       # only before sets of reps (or: holds, timed)

exercises:
  - name: Squats
    sets: 3
    reps: 12           # or a list per set: [12, 10, 8]; or amrap
    load: 40 kg        # optional: "60 kg", bodyweight, RPE 8
    how: Feet shoulder-width apart. Push your hips back, then drive through your heels.
    cues: [Chest up, Drive through your heels]

  - name: Lunges
    sets: 3
    reps: 10
    sides: each leg    # or: alternate legs
    tempo: 3-1-1-0

  - name: Plank
    sets: 2
    hold: 45s          # a static hold instead of reps
    rest: 30s

  - name: Jumping jacks
    time: 30s          # timed movement instead of reps (never called a hold)

  - superset:          # exercises back to back, rest after each round
      rounds: 3
      rest: 90s
      exercises:
        - {name: Push-ups, reps: amrap, cap: 45s}
        - {name: Bent-over rows, reps: 10, load: 16 kg}
"""
