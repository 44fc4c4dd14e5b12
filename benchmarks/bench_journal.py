"""Journal costs: one rep's write (what a session pays on the poll thread at every rep),
opening a journal of three years of daily practice (integrity check and all), and the
`history` queries plus one suggestion on that journal.

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
    from breathpace.journal.recorder import SessionRecorder, completes_rep, start_session
    from breathpace.library import resolve
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
        recorder = SessionRecorder(journal, sid, timeline)
        for seg in reps:
            r0 = time.perf_counter()
            recorder.rep_done(seg)
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


if __name__ == "__main__":
    main()
