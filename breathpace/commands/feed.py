"""`breathpace feed DIR [ROUTINE...]`: a podcast feed of your routines in a folder.

Each routine becomes an episode at your current dose (the same dose `play` uses:
accepted changes and your personal pace), an MP3 with a chapter and a figure for each
exercise. Serve the folder (`python -m http.server --directory DIR`) or sync it, and
subscribe to feed.xml in a podcast app. See `breathpace.track.feed` for what is kept.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from breathpace.commands.errors import InputError
from breathpace.commands.options import input_errors
from breathpace.outfile import OutputPathError
from breathpace.safe_text import quote
from breathpace.session.options import Overrides, session_options
from breathpace.session.prepare import prepare

if TYPE_CHECKING:
    from breathpace.session.prepare import Prepared
    from breathpace.track.feed import FeedState


def default_base_url() -> str:
    """This machine on the home network, at http.server's usual port."""
    return f"http://{socket.gethostname()}.local:8000/"


@click.command("feed")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("routines", nargs=-1)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the folder is served (default: the last one given, else "
    "http://THIS-HOST.local:8000/).",
)
@click.option(
    "--voice/--no-voice",
    default=None,
    help="Speak the cues (needs espeak-ng; default: as the feed was made).",
)
def feed_cmd(
    folder: Path, routines: tuple[str, ...], base_url: str | None, voice: bool | None
) -> None:
    """Write one track per ROUTINE at your current dose into FOLDER, with a podcast
    feed (FOLDER/feed.xml). Without ROUTINE, the routines already in the feed."""
    # Imported here: the feed module is light, but what it calls loads the encoders.
    from breathpace.track.feed import FeedError, read_state

    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    try:
        state = read_state(folder) if folder.is_dir() else None
    except FeedError as exc:
        raise InputError(str(exc)) from None
    # A routine given as a file is remembered by its absolute path, so `feed DIR` finds
    # it again from anywhere.
    given = [str(Path(r).resolve()) if Path(r).suffix == ".toml" else r for r in routines]
    sources = list(dict.fromkeys(given)) or list(
        dict.fromkeys(e.source for e in (state.episodes if state else ()))
    )
    if not sources:
        raise InputError(f"{folder}: no feed here yet; name the routines to put in it")
    base = base_url or (state.base_url if state else default_base_url())
    if not base.startswith(("http://", "https://")):
        raise InputError(f"--base-url: {quote(base)} is not an http:// or https:// address")
    speak = voice if voice is not None else (state.voice if state else False)

    # Every routine is prepared before anything is written: one bad routine is one
    # line, and the folder is left as it was.
    with input_errors():
        options = session_options(Overrides())
        prepared = [(source, prepare(source, options)) for source in sources]
    created = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot be made ({exc.strerror or exc})") from None
    try:
        _write_feed(folder, prepared, state, base, speak)
    except (OutputPathError, FeedError) as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{folder}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty: a feed that failed leaves no folder


def _write_feed(
    folder: Path,
    prepared: list[tuple[str, Prepared]],
    state: FeedState | None,
    base: str,
    speak: bool,
) -> None:
    from breathpace.audio.mixer import SAMPLE_RATE
    from breathpace.session.prepare import voice_clips
    from breathpace.track.build import session_mixer
    from breathpace.track.feed import (
        COVER_NAME,
        FEED_NAME,
        STATE_NAME,
        FeedState,
        dose_hash,
        episode_files,
        feed_xml,
        listed,
        make_episode,
        now_utc,
        write_bytes,
        write_text,
    )
    from breathpace.track.images import cover_image

    episodes = list(state.episodes) if state else []
    now = now_utc()
    problem_said = False
    for source, session in prepared:
        dose = dose_hash(session, speak)
        same = [e for e in episodes if e.routine == session.name and e.dose == dose]
        if same and (folder / same[0].audio).is_file():
            click.echo(f"unchanged {same[0].audio}")
            continue
        clips = None
        if speak:
            clips, problem = voice_clips(session.timeline, SAMPLE_RATE)
            if problem and not problem_said:
                click.echo(f"breathpace: --voice: {problem}; tones only", err=True)
                problem_said = True
        mixer = session_mixer(session, voice=clips)
        episode = make_episode(folder, session, mixer, dose, base, now, source)
        episodes = [e for e in episodes if not same or e is not same[0]]
        episodes.insert(0, episode)
        click.echo(f"wrote {episode.audio} ({episode.title})")
    kept, dropped = listed(episodes)
    new_state = FeedState(base_url=base, voice=speak, episodes=tuple(kept))
    if not (folder / COVER_NAME).is_file():
        cover = cover_image("My routines", ["Guided, breath-paced, at your dose"], None)
        write_bytes(folder / COVER_NAME, cover)
    write_text(folder / FEED_NAME, feed_xml(new_state))
    write_text(folder / STATE_NAME, new_state.model_dump_json(indent=1) + "\n")
    # Files go only once the feed no longer lists them, and only the record's own.
    still = set().union(*(episode_files(e) for e in kept)) if kept else set()
    for episode in dropped:
        for name in sorted(episode_files(episode) - still):
            path = folder / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
        click.echo(f"removed {episode.audio} (no longer in the feed)")
    click.echo(f"feed: {folder / FEED_NAME} ({len(kept)} episodes), served as {base}{FEED_NAME}")
