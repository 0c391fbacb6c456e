"""The plan, PURE: a routine and the measured length of each phrase -> what is said and played, when.

- `timeline`: the steps of a session and the exact coaching plan, in output frames
- `wording`: text written for the ear (durations, loads, sets and reps as a coach says them)
- `progression`: a routine and how its exercises went in past sessions -> next loads
- `loads`: loads put together: a share of the training max made a load the equipment makes, with its plates
- `program`: where a lifter is in a program: days in rotation, weeks, cycles; the routine as played on a day
- `plates`: the nearest load a bar and the plates owned make (by a rounding rule), and the plates per side

May import: `voicecoach.routine` and `voicecoach.errors`; no outside system, no clock, no randomness.
"""
