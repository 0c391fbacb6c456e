"""The routine format, PURE: what a routine file describes and how it is read.

- `model`: the frozen values (`Routine`, `Exercise`, ...) and the format's limits
- `quantity`: durations and tempos as lifters write them
- `size`: how long a block lasts and how many events it holds, by arithmetic
- `reader`: YAML text -> a validated `Routine` (and the config file's settings), every mistake located
- `file`: a routine file's bytes -> text -> `Routine`
- `library`: the routines a user can name (bundled ones and files), remembered as parsed; the schema as shipped
- `schema`: the format as JSON Schema, from the reader's own keys; `starter`: the file `new` writes

May import: the base modules (`errors`, `fileio`, `places`) and PyYAML; no other wing, no outside system.
"""
