"""The training log: what was done, kept safe, and what it shows over time.

- `history`: the SQLite log (the only sqlite3 user): schema, migrations, sessions and sets committed
  as they end, resume
- `stats`: reps, volume and time held per exercise per week, in the terminal or as a PNG

May import: `voicecoach.session` (the `SetRecord` it keeps), `voicecoach.errors`, `voicecoach.fileio`;
sqlite3 and matplotlib only here.
"""
