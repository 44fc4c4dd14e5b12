"""One prepared session into one track: the mixer's blocks, the tags and the pictures.

`render` and `feed` both come here, so a track made either way is the same file: the
same samples as the player (the mixer, block by block), the same chapters, the same
figures (loaded as the player loads them: a figure that cannot be loaded is left out,
and `breathpace check` names the problem).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breathpace.fmt import length
from breathpace.safety import SAFETY_SHORT
from breathpace.session.dose import Dose
from breathpace.track.chapters import Chapter, track_chapters
from breathpace.track.tags import TrackInfo

if TYPE_CHECKING:
    import numpy as np

    from breathpace.audio.mixer import Mixer
    from breathpace.figures.model import Figure
    from breathpace.session.prepare import Prepared

#: Seconds of sound mixed and encoded at a time: memory stays at a few blocks.
BLOCK_SECONDS = 10


def dose_label(dose: Dose) -> str:
    """The dose a track was rendered at, short enough for a title."""
    if dose.pace_from == "settings":
        text = f"your pace {dose.pace_text}"
    elif dose.pace_from == "--pace":
        text = f"pace {dose.pace_text}"
    else:
        text = f"pace {dose.pace_text}"
    if dose.tempo != 1:
        text += f", tempo x{float(dose.tempo):g}"
    if dose.changes:
        text += ", your dose"
    return text


def mixer_blocks(mixer: Mixer, seconds: int = BLOCK_SECONDS) -> Iterator[np.ndarray]:
    """The whole session from `mixer`, a block at a time."""
    block = seconds * mixer.sample_rate
    for start in range(0, mixer.total_frames, block):
        yield mixer.render(start, min(block, mixer.total_frames - start))


def session_mixer(
    prepared: Prepared,
    *,
    tick: bool = False,
    breath_tone: bool = False,
    voice: Mapping[str, Any] | None = None,
) -> Mixer:
    from breathpace.audio.mixer import SAMPLE_RATE, Mixer

    return Mixer(
        prepared.timeline,
        prepared.theme,
        SAMPLE_RATE,
        tick=tick,
        breath_tone=breath_tone,
        voice=voice,
    )


def _figures(prepared: Prepared) -> dict[int, Figure | None]:
    from breathpace.figures.load import FigureError
    from breathpace.library import load_figure_named

    folder = prepared.path.parent if prepared.path and prepared.path.suffix == ".toml" else None
    loaded: dict[str, Figure | None] = {}
    figures: dict[int, Figure | None] = {}
    for number, item in enumerate(prepared.routine.exercise, start=1):
        if item.figure is None:
            figures[number] = None
            continue
        if item.figure not in loaded:
            try:
                loaded[item.figure] = load_figure_named(item.figure, relative_to=folder)
            except (FigureError, OSError):
                loaded[item.figure] = None
        figures[number] = loaded[item.figure]
    return figures


def chapter_pictures(prepared: Prepared, chapters: tuple[Chapter, ...]) -> tuple[bytes | None, ...]:
    """Each chapter's picture: its exercise's figure in the start pose (mirrored on the
    right side), with the name and starting position. The lead-in shows the first
    exercise, which is what the person gets ready for."""
    from breathpace.track.images import chapter_image

    figures = _figures(prepared)
    items = prepared.routine.exercise
    made: dict[tuple, bytes] = {}
    pictures = []
    for chapter in chapters:
        number = chapter.item if chapter.item is not None else 1
        item = items[number - 1]
        title = chapter.title if chapter.item is not None else f"Get ready: {item.name}"
        key = (number, chapter.side, title)
        if key not in made:
            made[key] = chapter_image(
                title, item.position, figures[number], mirror=chapter.side == "right"
            )
        pictures.append(made[key])
    return tuple(pictures)


def track_info(prepared: Prepared, *, pictures: bool = True) -> TrackInfo:
    """Title, grouping, chapters and (with `pictures`) the cover and chapter figures."""
    from breathpace.track.images import cover_image

    routine = prepared.routine
    label = dose_label(prepared.dose)
    chapters = track_chapters(prepared.timeline, routine)
    comment = "\n\n".join(part for part in (routine.summary, routine.safety, SAFETY_SHORT) if part)
    images: tuple[bytes | None, ...] = (None,) * len(chapters)
    cover = None
    if pictures:
        images = chapter_pictures(prepared, chapters)
        figures = _figures(prepared)
        main = next(
            (n for n, item in enumerate(routine.exercise, 1) if item.name == routine.main_exercise),
            1,
        )
        count = len(routine.exercise)
        lines = [
            label,
            f"{count} exercise{'s' if count != 1 else ''}, {length(prepared.timeline.duration_ms)}",
        ]
        cover = cover_image(routine.title, lines, figures.get(main) or figures.get(1))
    return TrackInfo(
        title=f"{routine.title} ({label})",
        comment=comment,
        chapters=chapters,
        chapter_images=images,
        cover=cover,
    )


def write_session(
    path: Path, prepared: Prepared, mixer: Mixer, info: TrackInfo | None = None
) -> None:
    """Render `prepared` through `mixer` into `path` (format from its name), tagged
    with `info` (made here when not given; a WAV gets none)."""
    from breathpace.track.encode import track_format, write_track

    if track_format(path) == ".wav":
        info = None
    elif info is None:
        info = track_info(prepared)
    write_track(path, mixer_blocks(mixer), mixer.sample_rate, info)
