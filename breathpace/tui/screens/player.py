"""The guided session: the breath indicator, the phase word, counters, cues and keys.

The screen never decides timing, and it draws only what changes. There is no periodic
frame: after each look at the player the screen works out when the next visible change
is due and sets one timer for that moment: the segment's end (so a new phase word shows
within a millisecond or two of the clock's boundary, not at the next tick), the next
whole second of the countdown, and, only while the breath indicator can move, its next
step. Every change shares one grid counted back from the segment's end, so each wake-up
draws one frame with everything due: the indicator steps every STEP_MS, the countdown
on every fourth step, and the time left ticks with the countdown (the whole seconds
after this segment plus the count), never on its own; the progress bar moves by
half-cells at those same wake-ups. Reactives then redraw one line each, and only when
their value really changed; `--calm` wakes once a second. Audio threads never touch
widgets: the screen renders the session runner's events (`SessionRunner.poll()`), on
the interface's own thread, and hands the keys to the runner's player.
"""

from __future__ import annotations

import math
import textwrap
import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.timer import Timer

from breathpace.fmt import clock
from breathpace.player.events import (
    Event,
    Notice,
    PlayerState,
    Reloaded,
    StateChanged,
)
from breathpace.routine.model import Breathing
from breathpace.safe_text import printable
from breathpace.session import words
from breathpace.session.runner import SessionRunner
from breathpace.session.summary import gather, summary_lines
from breathpace.timeline import Breath, Kind, Segment
from breathpace.tui.heap import release as release_heap
from breathpace.tui.heap import settle as settle_heap
from breathpace.tui.screens.checkin import CheckInScreen
from breathpace.tui.screens.confirm import ConfirmScreen
from breathpace.tui.screens.help import HelpScreen
from breathpace.tui.text import plain, shown
from breathpace.tui.widgets.breath_indicator import STEP_MS, BreathIndicator, breath_level
from breathpace.tui.widgets.figure import FigureView, place_figure, routine_folder
from breathpace.tui.widgets.key_footer import KeyFooter
from breathpace.tui.widgets.progress_line import ProgressLine

#: How often the screen looks at a player that is not moving (ready, waiting, paused):
#: keys act at once anyway; this only bounds how late a player event is shown.
IDLE_MS = 250
#: How often a screen waiting for the sound device to play looks again.
DEVICE_POLL_MS = 20
#: The timer for a segment boundary is set this much early, and the last stretch is
#: slept through: an event-loop timer fires a millisecond or more late, which alone
#: would put the new phase word behind the clock's boundary.
LEAD_MS = 2
VOLUME_STEPS = (1.0, 0.8, 0.6, 0.4, 0.2)
CALM_WORDS = {
    "inhale": "breathe in",
    "exhale": "breathe out",
    "hold": "hold gently",
    "rest": "rest",
}


def step_slot(seg: Segment, position_ms: int) -> tuple[int, int]:
    """Which STEP_MS of the segment a moment falls in, counted back from its end (the
    grid the countdown ticks on): the breath indicator moves once per slot."""
    return seg.index, (seg.end_ms - position_ms - 1) // STEP_MS


def shown_left_ms(seg: Segment, position_ms: int, duration_ms: int) -> int:
    """The time left as shown: the whole seconds that follow this segment plus this
    segment's countdown. It ticks with the count (one frame a second, not two), never
    skips a second nor goes back, and is always within a second of the true time."""
    after = max(0, duration_ms - seg.end_ms)
    count = max(0, math.ceil((seg.end_ms - position_ms) / 1000))
    return (after // 1000 + count) * 1000


def next_volume(volume: float) -> float:
    """The next step down of 100/80/60/40/20 %, wrapping from 20 % back to 100 %."""
    for step in VOLUME_STEPS:
        if step < volume - 1e-6:
            return step
    return VOLUME_STEPS[0]


class PlayerScreen(Screen):
    """Plays one session (its runner); the app pops it (or exits) when it is over."""

    BINDINGS: ClassVar = [
        Binding("space", "toggle_pause", "Pause"),
        # The same key while paused: the footer says what pressing it will do.
        Binding("space", "resume", "Resume"),
        Binding("enter", "ready", "Ready", show=False),
        Binding("n,right", "next('rep')", "Next", key_display="n"),
        Binding("p,left", "previous('rep')", "Prev", key_display="p"),
        # Listed in help; left out of the footer so `?` and `q` fit at 80 columns.
        Binding("N", "next('item')", "Next ex.", key_display="N", show=False),
        Binding("P", "previous('item')", "Prev ex.", key_display="P", show=False),
        Binding("plus,equals_sign", "slower", "Slower", key_display="+"),
        Binding("minus", "faster", "Faster", key_display="-"),
        Binding("m", "mute", "Mute"),
        Binding("v", "volume", "Vol"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit_session", "Quit"),
    ]

    # The screen's visible state. repaint=False: each watcher redraws its own line, so
    # a new count never repaints the whole screen.
    phase_word: reactive[str] = reactive("", init=False, repaint=False)
    move: reactive[str] = reactive("", init=False, repaint=False)
    seconds_left: reactive[int] = reactive(0, init=False, repaint=False)
    heading: reactive[str] = reactive("", init=False, repaint=False)
    cue: reactive[str] = reactive("", init=False, repaint=False)
    #: The general text of this moment (safety, position, the exercise's cues), shown
    #: before an item and in its rests; empty during phases (see session/words.py).
    about: reactive[tuple] = reactive((), init=False, repaint=False)
    next_up: reactive[str] = reactive("", init=False, repaint=False)
    time_left: reactive[str] = reactive("", init=False, repaint=False)
    progress_permille: reactive[int] = reactive(0, init=False, repaint=False)
    """The progress bar's fill, in thousandths, moved only by whole half-cells."""
    audio: reactive[str] = reactive("", init=False, repaint=False)
    status: reactive[str] = reactive("", init=False, repaint=False)
    banner: reactive[str] = reactive("", init=False, repaint=False)
    state: reactive[PlayerState] = reactive(PlayerState.READY, init=False, repaint=False)

    def __init__(
        self,
        runner: SessionRunner,
        *,
        calm: bool = False,
        standalone: bool = False,
    ) -> None:
        super().__init__()
        self.session = runner
        """The session's runner: its events are what this screen shows."""
        self.player = runner.player
        self.calm = calm
        self.standalone = standalone
        self._left = False
        self._checkin_shown = False
        #: Called with (segment, monotonic time) when the shown phase changes: the
        #: display-offset benchmark hooks in here.
        self.on_phase_shown = None
        self._key: tuple | None = None
        self._breath = "rest"
        self._previous: Segment | None = None
        self._timer: Timer | None = None
        self._last_look_ms = -1
        self._wake_ms: int | None = None

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="player"):
            # markup=False everywhere: these lines show the routine's own strings.
            yield Static("", id="banner", classes="banner", markup=False)
            yield Static("", id="heading", markup=False)
            with Horizontal(id="stage", classes="-alone"):
                yield FigureView(
                    calm=self.calm, relative_to=routine_folder(self.session), id="figure"
                )
                yield BreathIndicator(calm=self.calm, id="breath")
            yield Static("", id="phase", markup=False)
            yield Static("", id="cue", markup=False)
            yield Static("", id="about", markup=False)
            yield Static("", id="next-up", markup=False)
            with Horizontal(id="status-row"):
                yield ProgressLine(id="progress")
                yield Static("", id="time-left", markup=False)
            with Horizontal(id="info-row"):
                yield Static("", id="status", markup=False)
                yield Static("", id="audio", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        sessions = getattr(self.app, "sessions", None)
        if sessions is not None and self.session not in sessions:
            sessions.append(self.session)
        self.query_one("#banner").display = False
        self.query_one("#about").display = False
        self._indicator = self.query_one(BreathIndicator)
        self._figure = self.query_one(FigureView)
        self._figure.set_routine(self.player.routine)
        self._place_figure()
        self._lines = {
            name: self.query_one(f"#{name}", Static)
            for name in ("heading", "phase", "cue", "next-up", "time-left", "status", "audio")
        }
        self._progress = self.query_one("#progress", ProgressLine)
        self.sync()
        # What to read before it starts (the dose, the device, where it begins).
        self.show_events(self.session.poll())
        # The first look at the player comes right after the first screen is drawn.
        self.call_after_refresh(self.tick)

    def on_unmount(self) -> None:
        # What the session start froze is the collector's again once the screen goes.
        release_heap()

    def on_resize(self) -> None:
        self._place_figure()
        self.call_after_refresh(self._fit_cue)

    def _place_figure(self) -> None:
        place_figure(self.query_one("#stage"), self.query_one(FigureView), self.size)

    def _set_line(self, name: str, text: str | Text) -> None:
        # Every line has a fixed size, so a new text never needs a layout pass: only
        # that one line is redrawn. A string is shown as written (control characters
        # as visible stand-ins), never as markup.
        self._lines[name].update(plain(text) if isinstance(text, str) else text, layout=False)

    # -- the frame ------------------------------------------------------------------

    def tick(self) -> None:
        """One look: start when first shown, poll the player, copy its state, and set
        the timer for the next visible change."""
        if self._left:
            return
        if not self.session.started:
            if not self.is_active:
                # A safety notice or follow-up question is on top: wait for it.
                self._schedule(IDLE_MS)
                return
            if not self.session.sound_ready():
                # The sound device opened but is still waking (a sound server may take
                # seconds): the get-ready waits, drawn as it will begin, so its first
                # cue sounds on its sample.
                self.status = "Waiting for the sound device…"
                self._schedule(DEVICE_POLL_MS)
                return
            # Before the clock starts, so its tens of milliseconds fall before any cue.
            settle_heap()
            self.session.start()
            # No get-ready segment to show the routine's safety and the first item's
            # position: say them as the session starts.
            opening = words.opening_notes(
                self.player.routine, self.player.timeline, self.session.begin.ms
            )
            if opening:
                lines = (printable(n.line()) for n in opening)
                self.notify("\n".join(lines), timeout=20, markup=False)
        self.show_events(self.session.poll())
        player = self.player
        if player.state is PlayerState.PLAYING:
            to_end = player.timeline.at(player.position_ms).end_ms - player.position_ms
            if 0 < to_end <= LEAD_MS:
                time.sleep(to_end / 1000)  # at most LEAD_MS: the boundary is that close
                self.show_events(self.session.poll())
        self.sync()

    def show_events(self, events: list[Event]) -> None:
        for event in events:
            self.handle_event(event)

    def handle_event(self, event: Event) -> None:
        match event:
            case Notice(text=text, warning=True):
                # Through the app: a journal notice at the end outlives this screen.
                self.app.notify(text, severity="warning", timeout=12)
            case Notice(text=text):
                self.notify(text, timeout=8)
            case Reloaded(ok=ok, error=error):
                self.banner = "" if ok else f"⚠ {error}"
            case StateChanged(state=PlayerState.FINISHED):
                self.session_over("completed")

    def sync(self) -> None:
        """Copy the player's state into the reactives (only real changes redraw).

        The lines that depend on the segment, the state or the sound settings are
        recomputed only when one of those changes; each frame only moves the count,
        the time left, the progress and the breath indicator."""
        player = self.player
        position = player.position_ms
        timeline = player.timeline
        seg = timeline.at(position)
        state = player.state
        key = (
            id(timeline),
            seg.index,
            state,
            player.pending_pace,
            player.volume,
            player.muted,
            self.session.ended,
        )
        if key != self._key:
            self._key = key
            self.state = state
            routine = player.routine
            self.phase_word = seg.phase_word
            self.move = words.move_of(seg)
            self.heading = words.heading(routine, seg)
            self.cue = self._cue(seg, state)
            self.about = tuple(words.general_notes(routine, seg))
            self.next_up = self._next_up(seg)
            self.audio = self._audio_text(seg)
            self.status = self._status(state)
            self._breath = _breath_kind(seg)
            self._previous = timeline.segments[seg.index - 1] if seg.index > 0 else None
            if self.calm:
                self._indicator.label = CALM_WORDS.get(self._breath, "")
            # A reloaded routine may name figures the old one did not (or none).
            self._figure.set_routine(player.routine)
            self._place_figure()
        self.seconds_left = max(0, math.ceil((seg.end_ms - position) / 1000))
        self.time_left = f"{clock(shown_left_ms(seg, position, timeline.duration_ms))} left"
        self.progress_permille = self._progress_step(position, timeline.duration_ms)
        level = 0.0 if self.calm else breath_level(seg, position, self._previous)
        self._indicator.show(level, self._breath, step_slot(seg, position))
        if self._figure.display:
            self._figure.show(player.routine, timeline, seg, position, level)
        if self.session.started:
            delay = self.next_change_in_ms()
            if position == self._last_look_ms and delay < IDLE_MS:
                # The clock has not moved since the last look (a stalled device, or a
                # test's fake clock): looking again in a millisecond would only spin.
                delay = IDLE_MS
            self._last_look_ms = position
            self._schedule(delay)

    # -- when to look next ----------------------------------------------------------

    def next_change_in_ms(self) -> int:
        """Milliseconds of session time until the next thing on screen may change."""
        player = self.player
        if self._left or player.state is not PlayerState.PLAYING:
            return IDLE_MS
        position = player.position_ms
        timeline = player.timeline
        seg = timeline.at(position)
        to_end = seg.end_ms - position
        waits = [
            to_end - LEAD_MS if to_end > LEAD_MS else to_end,  # the new segment
            # The countdown (a ceiling of seconds), and with it the time left and the
            # progress bar: one wake-up a second draws all three.
            (to_end - 1) % 1000 + 1,
        ]
        if not self.calm and self._breath_moves(seg):
            waits.append((to_end - 1) % STEP_MS + 1)  # the indicator's next slot
        return max(1, min(waits))

    def _breath_moves(self, seg: Segment) -> bool:
        # Rests, holds and the lead-in keep a steady shape: no need to sample them.
        return seg.kind is Kind.PHASE and seg.breath is not Breath.HOLD

    def _progress_steps(self) -> int:
        # The bar fills by half cells; a value between two of them draws nothing new.
        return 2 * max(0, self._progress.size.width)

    def _progress_step(self, position: int, duration: int) -> int:
        steps = self._progress_steps()
        if not steps:
            return min(1000, position * 1000 // max(1, duration))
        done = min(steps, position * steps // max(1, duration))
        # The middle of the half cell, so the bar's own rounding lands on it.
        return min(1000, (2 * done * 1000 + 1000) // (2 * steps)) if done < steps else 1000

    def _schedule(self, delay_ms: int) -> None:
        """One timer for the next look (a new one replaces the old)."""
        if self._timer is not None:
            self._timer.stop()
        self._wake_ms = delay_ms
        self._timer = self.set_timer(delay_ms / 1000, self.tick, name="next-change")

    # -- what the lines say ---------------------------------------------------------

    def _cue(self, seg: Segment, state: PlayerState) -> str:
        """The cue line: during a phase that phase's own cue and nothing else (the
        general coaching is in `about`, before the item and in its rests)."""
        if state is PlayerState.WAITING:
            return "Press Enter when ready"
        if self.session.ended:
            return "Well done. Press Enter or q to close."
        if seg.kind is Kind.END:
            return "Well done."
        return words.cue_of(seg)

    def _next_up(self, seg: Segment) -> str:
        items = self.player.timeline.items or tuple(i.name for i in self.player.routine.exercise)
        if seg.kind is Kind.END:
            return ""
        current = max(seg.exercise, 1)
        if current < len(items):
            return f"Next: {items[current]}"
        return "Next: the end of the session"

    def _audio_text(self, seg: Segment) -> str:
        player = self.player
        sound = "muted" if player.muted else f"vol {round(player.volume * 100)}%"
        item = words.item_of(player.routine, seg)
        if isinstance(item, Breathing):
            # A breathing block plays its own pattern, not the routine's pace.
            pace = f"pattern {_pace_text(words.block_pattern(item), player.tempo_scale)}"
        else:
            pace = f"pace {_pace_text(player.pace, player.tempo_scale)}"
        return f"{pace} · {sound}"

    def _status(self, state: PlayerState) -> str:
        if state is PlayerState.PAUSED:
            return "Paused: space to resume"
        pending = self.player.pending_pace
        if pending is None:
            return ""
        return f"pace {_pace_text(*pending)} from the next rep"

    # -- watchers: each updates one widget ------------------------------------------

    def watch_phase_word(self) -> None:
        self._show_phase()
        if self.on_phase_shown is not None:
            self.on_phase_shown(self.phase_word)

    def watch_move(self) -> None:
        self._show_phase()

    def watch_seconds_left(self) -> None:
        self._show_phase()

    def _show_phase(self) -> None:
        word, move = self.phase_word, self.move
        text = Text.assemble(
            (shown(word), "bold"),
            f" · {shown(move)}" if move else "",
            "   ",
            (str(self.seconds_left), "bold"),
        )
        self._set_line("phase", text)
        phase = self._lines["phase"]
        for kind in ("inhale", "exhale", "hold", "switch"):
            phase.set_class(word.lower().startswith(kind), f"-{kind}")

    def watch_heading(self, value: str) -> None:
        self._set_line("heading", value)

    def watch_cue(self, value: str) -> None:
        self._set_line("cue", value)
        self._fit_cue()

    def _fit_cue(self) -> None:
        """Give the cue the lines it needs at this width (at most three), so it is
        wrapped, not cut; a layout pass only when that number changes."""
        line = self._lines["cue"]
        width = max(1, line.size.width or self.size.width - 2)
        need = min(3, max(1, _wrapped_lines(self.cue, width)))
        if line.styles.height is None or line.styles.height.value != need:
            line.styles.height = need

    def watch_about(self, notes: tuple) -> None:
        # Changes only between items and at rests, so a layout pass here is cheap.
        about = self.query_one("#about", Static)
        about.update(about_text(notes))
        about.display = bool(notes)

    def watch_next_up(self, value: str) -> None:
        self._set_line("next-up", value)

    def watch_time_left(self, value: str) -> None:
        self._set_line("time-left", value)

    def watch_progress_permille(self, value: int) -> None:
        self._progress.permille = value

    def watch_audio(self, value: str) -> None:
        self._set_line("audio", value)

    def watch_status(self, value: str) -> None:
        self._set_line("status", value)

    def watch_banner(self, value: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(plain(value))
        banner.display = bool(value)

    # -- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Space pauses while playing and resumes while paused: only the binding that
        # says what it will do is live (and shown).
        if action == "resume":
            return self.state is PlayerState.PAUSED
        if action == "toggle_pause":
            return self.state is not PlayerState.PAUSED
        return True

    def watch_state(self) -> None:
        self.refresh_bindings()

    def action_resume(self) -> None:
        self.action_toggle_pause()

    def action_toggle_pause(self) -> None:
        if self.state in (PlayerState.PLAYING, PlayerState.PAUSED):
            self.player.toggle_pause()
        self.sync()

    def action_ready(self) -> None:
        if self.state is PlayerState.WAITING:
            self.player.confirm_ready()
        elif self.session.ended:
            self.leave()
            return
        self.sync()

    def action_next(self, level: str) -> None:
        self.player.next(level)
        self.sync()

    def action_previous(self, level: str) -> None:
        self.player.previous(level)
        self.sync()

    def action_slower(self) -> None:
        self.player.slower()
        self._drain()

    def action_faster(self) -> None:
        self.player.faster()
        self._drain()

    def action_mute(self) -> None:
        self.player.toggle_mute()
        self.sync()

    def action_volume(self) -> None:
        if self.player.muted:
            self.player.toggle_mute()
        self.player.set_volume(next_volume(self.player.volume))
        self.sync()

    def action_help(self) -> None:
        # Reading help is not practising: the session waits while help is open, and
        # goes on when it closes only if it was playing before.
        was_playing = self.player.state is PlayerState.PLAYING
        if was_playing:
            self.player.pause()
            self.sync()

        def closed(_=None) -> None:
            if was_playing and self.player.state is PlayerState.PAUSED:
                self.player.resume()
            self.sync()

        self.app.push_screen(HelpScreen(), closed)

    def action_quit_session(self) -> None:
        if self.session.ended:
            self.leave()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # After the question has gone, so the check-in is not pushed under it.
                self.call_after_refresh(self.session_over, "quit")

        self.app.push_screen(
            ConfirmScreen("End the session now? What you have done so far is kept."),
            answered,
        )

    def _drain(self) -> None:
        # Requests may produce events at once (a pending pace); show them this frame.
        self.show_events(self.session.poll())
        self.sync()

    # -- ending ---------------------------------------------------------------------

    def session_over(self, outcome: str) -> None:
        """Record the outcome, then the check-in (when that screen exists) or leave."""
        if self.session.ended:
            return
        self.session.end(outcome)
        self.show_events(self.session.poll())  # the journal's last word (a full disk)
        self.sync()
        session_id = self.session.session_id
        # What was done and what comes next; printed again after the app closes.
        summary = "\n".join(summary_lines(gather(self.session)))
        if session_id:
            self._checkin_shown = True
            self.app.push_screen(
                CheckInScreen(session_id=session_id, summary=summary), lambda _=None: self.leave()
            )
        elif outcome != "completed":
            self.leave()
        else:
            self.notify(summary, timeout=30, markup=False)
        # A completed session without a check-in stays on "DONE" until q or Enter.

    def on_screen_resume(self) -> None:
        # A check-in screen that was popped rather than dismissed still ends here.
        if self._checkin_shown:
            self.leave()

    def leave(self) -> None:
        if self._left:
            return
        self._left = True
        self.session.end(self.session.outcome or "quit")
        if self.standalone:
            self.app.exit(return_code=0)
        else:
            self.app.pop_screen()

    # -- watch mode -----------------------------------------------------------------

    def check_watch(self) -> None:
        """Reload the routine file now if it was saved (the runner also looks as it
        polls); an error shows in the banner without stopping."""
        self.session.reload_if_saved()
        self._drain()


def about_text(notes) -> Text:
    """The general text as the screen shows it: safety first and marked, then the
    position and each cue on its own line. A `Text` of printable characters, so a
    routine's words are never read as markup nor act on the terminal."""
    text = Text()
    for i, note in enumerate(notes):
        if i:
            text.append("\n")
        words_ = printable(note.text)
        if note.kind == "safety":
            text.append("⚠ ", "bold")
            text.append(words_, "bold")
        elif note.kind == "position":
            text.append("Position: ", "italic")
            text.append(words_)
        else:
            text.append("· " + words_)
    return text


def _breath_kind(seg: Segment) -> str:
    if seg.kind is Kind.PHASE and seg.breath in (Breath.INHALE, Breath.EXHALE, Breath.HOLD):
        return str(seg.breath)
    return "rest"


def _pace_text(pace, tempo_scale) -> str:
    text = str(pace)
    scale = float(tempo_scale)
    if abs(scale - 1) > 1e-9:
        text += f" ×{scale:.2f}".rstrip("0").rstrip(".")
    return text


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped at word boundaries in `width` columns."""
    return len(textwrap.wrap(text, width)) if text else 1
