"""Journal costs: one rep's write (what a session pays on the poll thread at every rep),
opening a journal of three years of daily practice (integrity check and all), the
`history` queries plus one suggestion on that journal, and the worst stall a held
write lock causes to the loop that drives a session (another process holding the lock
for HOLD_S seconds mid-session; the recorder writes on its writer thread).

Prints medians. Uses a temporary data folder, never the real journal.

    python benchmarks/bench_journal.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

RUNS = 7
SESSIONS = 3 * 365
HOLD_S = 2.0
LOCK_RUNS = 3

LOCK_ROUTINE = """
format = 1
title = "Quick tilts"
pace = "1-0-1-0"
lead_in = 0

[[exercise]]
name = "Pelvic tilt"
reps = 40
phases = [
  { move = "tilt", breath = "exhale", seconds = 0.1, effort = true },
  { move = "release", breath = "inhale", seconds = 0.1 },
]
"""

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def worst_stall_ms() -> tuple[float, int]:
    """Play an 8 s routine on the silent backend in a plain-mode style loop (poll, sleep
    until the next segment), with another process holding the journal's write lock for
    HOLD_S s from 1 s in; returns the longest a single loop iteration took (ms) and how
    many times the player paused for a "clock jump"."""
    import subprocess
    import sys

    from breathpace.audio.backends.silent import SilentBackend
    from breathpace.journal.writer import JournalWriter
    from breathpace.player import Player, PlayerState
    from breathpace.routine.load import parse_routine
    from breathpace.session.recorder import SessionRecorder, start_write

    player = Player(parse_routine(LOCK_ROUTINE), backend=SilentBackend())
    fields = dict(routine_name="bench", source="x", mode="plain", pace="1-0-1-0", tempo_scale=1.0)
    writer = JournalWriter()
    writer.submit(start_write(player.timeline, **fields))
    writer.flush(5)
    recorder = SessionRecorder(writer, player.timeline, player)
    holder = None
    worst = 0.0
    jumps = 0
    t_start = time.monotonic()
    player.start()
    while player.state is not PlayerState.FINISHED:
        if holder is None and time.monotonic() - t_start > 1.0:
            holder = subprocess.Popen(
                [sys.executable, "-c", HOLDER, str(recorder._journal.path), str(HOLD_S)],
                stdout=subprocess.PIPE,
                text=True,
            )
            holder.stdout.readline()
        t0 = time.perf_counter()
        for event in player.poll():  # as the session runner hands them on
            recorder.on_event(event)
        worst = max(worst, time.perf_counter() - t0)
        if player.state is PlayerState.PAUSED:
            jumps += 1  # a stall long enough to be taken for a clock jump
            player.resume()
        due = player.segment.end_ms - player.position_ms
        time.sleep(min(0.1, max(0.002, due / 1000)))
    recorder.close("completed")
    if holder is not None:
        holder.wait()
    return worst * 1000, jumps


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bp-bench-")
    os.environ["XDG_DATA_HOME"] = tmp
    os.environ["XDG_CONFIG_HOME"] = tmp
    from breathpace.journal import history
    from breathpace.journal.db import open_journal, save_checkin, save_followup
    from breathpace.journal.records import apply_write
    from breathpace.library import resolve
    from breathpace.session.recorder import RepCount, completes_rep, start_session
    from breathpace.timeline import compile

    timeline = compile(resolve("glute-bridge").routine)
    reps = [
        a
        for a, b in zip(timeline.segments, timeline.segments[1:], strict=False)
        if completes_rep(b, a)
    ]
    start = datetime(2023, 1, 1, 8, tzinfo=UTC)
    journal = open_journal()
    t0 = time.perf_counter()
    rep_times = []
    for day in range(SESSIONS):
        sid = start_session(
            journal,
            timeline,
            routine_name="glute-bridge",
            source="x",
            mode="tui",
            pace="4-0-6-0",
            tempo_scale=1.0,
            now=start + timedelta(days=day),
        )
        count = RepCount()
        for seg in reps:
            r0 = time.perf_counter()
            write = count.add(seg, 0)
            with journal.transaction() as conn:  # as the writer thread applies it
                apply_write(conn, write, sid)
            rep_times.append((time.perf_counter() - r0) * 1000)
        save_checkin(journal, sid, effort=3, pain=2, now=start + timedelta(days=day))
        save_followup(journal, sid, response="same", pain=2, now=start + timedelta(days=day))
    fill_s = time.perf_counter() - t0
    journal.close()
    size_kb = os.path.getsize(journal.path) // 1024

    print(f"journal of {SESSIONS} sessions x {len(reps)} reps: {size_kb} KiB ({fill_s:.1f} s)")
    print(
        f"one rep write (own transaction): median {statistics.median(rep_times):.3f} ms, "
        f"p99 {sorted(rep_times)[int(len(rep_times) * 0.99)]:.3f} ms"
    )
    print(
        f"open_journal (header + integrity_check + migrate): median "
        f"{median_ms(lambda: open_journal().close()):.1f} ms"
    )

    def read_all():
        with open_journal() as j:
            rows = history.sessions(j)
            history.adherence(rows, datetime.now().date())
            history.trend(rows, "pain", datetime.now().date())
            history.suggestion_for(j, "glute-bridge")

    print(
        f"history: open + all sessions + adherence + trend + suggestion: median "
        f"{median_ms(read_all):.1f} ms"
    )

    runs = [worst_stall_ms() for _ in range(LOCK_RUNS)]
    print(
        f"worst session-loop stall, write lock held {HOLD_S:g} s by another process: "
        f"median of {LOCK_RUNS} runs {statistics.median(r[0] for r in runs):.1f} ms, "
        f"false clock-jump pauses {sum(r[1] for r in runs)}"
    )


if __name__ == "__main__":
    main()
