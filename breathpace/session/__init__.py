"""One session, assembled in one place: options, preparation, playing, ending.

No Textual and no click here: the commands, the plain mode and the interface call in.

- `options`: `session_options(Overrides(...))` — the settings with the command line
  laid over them, checked once (`SessionError` names the settings key or the option).
- `dose`: `effective_dose(...)` — the one function that decides the dose a routine is
  played with (file, accepted changes, personal pace, `--pace`, `--tempo`) and says
  where the pace came from.
- `prepare`: `prepare(routine, options)` — routine, dose, theme and the timeline,
  compiled once; `voice_clips(timeline, rate)`.
- `runner`: `SessionRunner`, one session end to end in a mode (full screen or plain):
  the device, the Player, the journal record (`recorder`), the notices, `--watch`; one
  stream of typed events (`breathpace.player.events`); `end()` once, with an `Outcome`.
- `run`: `open_session_backend` and `WatchReloader`, the device and file the runner uses.
- `start`: where a session begins (`--from`, `--resume`).
- `summary`: the lines that close a session.
- `routines`: the rows of `breathpace list` and the home screen.

This file imports nothing, so its light modules (`options`, `dose`) stay light for the
authoring commands.
"""
