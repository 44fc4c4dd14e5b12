"""One session, assembled in one place: options, preparation, playing, ending.

No Textual and no click here: the commands, the plain mode and the interface call in.

- `options`: `session_options(Overrides(...))` — the settings with the command line
  laid over them, checked once (`SessionError` names the settings key or the option).
- `dose`: `effective_dose(...)` — the one function that decides the dose a routine is
  played with (file, accepted changes, personal pace, `--pace`, `--tempo`) and says
  where the pace came from.
- `prepare`: `prepare(routine, options)` — routine, dose, theme and the timeline,
  compiled once; `voice_clips(timeline, rate)`.
- `run`: `open_session_backend`, `open_session`, `Session` (ends once), `end_all`,
  `WatchReloader`.
- `routines`: the rows of `breathpace list` and the home screen.
- `events`: `PlayerState` and the Player's typed events (no numpy).

This file imports nothing, so `breathpace.session.events` stays light for the journal
and the authoring commands.
"""
