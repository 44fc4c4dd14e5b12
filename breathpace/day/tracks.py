"""Which track of the person's `breathpace feed` folder a planned routine links to.

A calendar event's link must open what the phone's podcast app lists: the feed's own
record (feed.json, read by `breathpace.track.feed.read_state`, the one reader of it)
says which episodes are listed and where the folder is served. A routine's current
episode is the one at the dose it plays at today, found by the same dose hash `feed`
names its files with, so an event never links a track made before a dose change; the
link is the episode's enclosure address exactly as feed.xml gives it.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from breathpace.dayplan import DayPlan

if TYPE_CHECKING:
    from breathpace.track.feed import FeedState


class TrackLinks(BaseModel):
    """The track links of a set of routines, and what the person should hear about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    links: dict[str, str] = {}
    """Routine name -> the address of its current episode's track."""
    missing: tuple[str, ...] = ()
    """Routines with no track at their current dose in the feed (sorted)."""
    notice: str | None = None
    """One line for the person when the feed is set but some routine has no link."""


def track_links(plan: DayPlan, routines: Iterable[str]) -> TrackLinks:
    """The links of `routines` to their current episodes in the plan's feed folder;
    none (and no notice) when the plan names no feed folder."""
    if not plan.feed:
        return TrackLinks()
    from breathpace.track.feed import STATE_NAME, FeedError, read_state

    folder = Path(plan.feed).expanduser()
    names = sorted(set(routines))
    try:
        state = read_state(folder) if folder.is_dir() else None
    except FeedError as exc:
        return TrackLinks(missing=tuple(names), notice=f"{exc}; no track links")
    if state is None:
        return TrackLinks(
            missing=tuple(names),
            notice=f"{folder} holds no feed yet (no {STATE_NAME}); make one with: "
            + _command(folder, names),
        )
    links, problem = _current(folder, state, names)
    missing = tuple(n for n in names if n not in links)
    if not missing:
        return TrackLinks(links=links)
    notice = (
        f"no track at your current dose in {folder} for {', '.join(missing)}; "
        f"make them with: {_command(folder, list(missing))}"
    )
    return TrackLinks(
        links=links, missing=missing, notice=f"{problem}; {notice}" if problem else notice
    )


def _current(folder: Path, state: FeedState, names: list[str]) -> tuple[dict[str, str], str]:
    """(routine -> link of its current episode, the first reason a routine's dose could
    not be worked out, or "")."""
    from breathpace.session.errors import SessionError
    from breathpace.session.options import Overrides, session_options
    from breathpace.session.prepare import prepare
    from breathpace.track.feed import current_episode, dose_hash, enclosure_url

    links: dict[str, str] = {}
    try:
        # The options `feed` renders with: the settings, nothing overridden.
        options = session_options(Overrides())
    except SessionError as exc:
        return links, str(exc)
    problem = ""
    for name in names:
        try:
            prepared = prepare(name, options)
        except SessionError as exc:
            problem = problem or str(exc)
            continue
        episode = current_episode(state, prepared.name, dose_hash(prepared, state.voice))
        # A record naming a track whose file is gone would link to nothing.
        if episode is not None and (folder / episode.audio).is_file():
            links[name] = enclosure_url(state, episode)
    return links, problem


def _command(folder: Path, names: list[str]) -> str:
    return shlex.join(["breathpace", "feed", str(folder), *names])
