"""What one suggestion costs on a busy journal: three sessions a day for ten weeks
(210 sessions, the 200 newest read), every day answered the next morning, and a rep
accepted every few days. Prints the median of `suggestion_for` (reading the journal,
the routine files and the rules) and of the rules alone on the same facts.

Uses a temporary data folder, never the real journal.

    python benchmarks/bench_suggest.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

RUNS = 15
DAYS = 70


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bp-bench-suggest-")
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bp-bench-suggest-")
    from breathpace.journal import history
    from breathpace.journal.db import open_journal, save_checkin, save_followup
    from breathpace.journal.suggest import suggest
    from breathpace.library import resolve
    from breathpace.session.recorder import start_session
    from breathpace.timeline import compile

    timeline = compile(resolve("glute-bridge").routine)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    with open_journal() as journal:
        for day in range(DAYS):
            for hour in (8, 13, 18):
                at = start + timedelta(days=day, hours=hour)
                sid = start_session(
                    journal,
                    timeline,
                    routine_name="glute-bridge",
                    source="x",
                    mode="plain",
                    pace="4-0-6-0",
                    tempo_scale=1.0,
                    now=at,
                )
                with journal.transaction() as conn:
                    conn.execute(
                        "UPDATE session SET outcome = 'completed', ended_at = ? WHERE id = ?",
                        (at.isoformat(), sid),
                    )
                save_checkin(journal, sid, effort=2, pain=1, now=at)
            answer = start + timedelta(days=day + 1, hours=7, minutes=30)
            save_followup(journal, sid, response="same", pain=1, now=answer)
        now = start + timedelta(days=DAYS, hours=7, minutes=31)
        got = history.suggestion_for(journal, "glute-bridge", now=now, tz=UTC)
        print(f"journal: {DAYS * 3} sessions; suggestion: {got.summary} ({got.rule})")
        full = median_ms(lambda: history.suggestion_for(journal, "glute-bridge", now=now, tz=UTC))
        print(f"suggestion_for (journal + routine files + rules): median {full:.1f} ms")

        # the rules alone, on the Context suggestion_for builds
        from breathpace.journal.suggest import Context

        rows = history.sessions(journal, routine="glute-bridge", limit=200)
        facts = tuple(r.facts() for r in rows)
        ctx = Context(routine="glute-bridge", dose=None, sessions=facts, now=now, tz=UTC)
        from breathpace.journal.suggest import dose_of, main_exercise

        routine = resolve("glute-bridge").routine
        ctx = Context(
            routine="glute-bridge",
            dose=dose_of(routine, routine, main_exercise(routine)),
            sessions=facts,
            now=now,
            tz=UTC,
        )
        rules = median_ms(lambda: suggest(ctx))
        print(f"the rules alone ({len(facts)} sessions): median {rules:.1f} ms")


if __name__ == "__main__":
    main()
