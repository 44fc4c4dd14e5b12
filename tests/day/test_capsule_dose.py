"""A capsule stays a capsule: however well the days go, accepting every suggestion the
journal makes never takes one past five minutes (the source's "three minutes before
extended sitting", "five minutes upon waking")."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breathpace.capsule import CAPSULE_VARIANTS
from breathpace.journal.db import open_journal
from breathpace.journal.dose import accept
from breathpace.journal.history import suggestion_for
from breathpace.journal.suggest import Kind
from breathpace.library import resolve
from breathpace.session.dose import personal_dose
from breathpace.timeline import compile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journal"))
from journal_helpers import add_session

CAPSULES = [name for names in CAPSULE_VARIANTS.values() for name in names]
FIVE_MINUTES_MS = 5 * 60_000


def length_now(name: str) -> int:
    dose = personal_dose(name, resolve(name).routine, None)
    return compile(dose.routine, dose.pace, dose.tempo).duration_ms


# Slow: three weeks of sessions and suggestions for each of nine capsules (~20 s).
@pytest.mark.slow
@pytest.mark.parametrize("name", CAPSULES)
def test_three_easy_weeks_of_accepted_suggestions_keep_a_capsule_within_five_minutes(name):
    """21 days in a row: effort 2 of 10, no pain, the back calmer the next day, and
    every suggestion accepted at once."""
    day = datetime(2026, 1, 5, 7, tzinfo=UTC)
    with open_journal() as journal:
        for _ in range(21):
            add_session(journal, name, day, effort=2, pain=0, followup="calmer", followup_pain=0)
            day += timedelta(days=1)
            suggestion = suggestion_for(journal, name)
            assert suggestion is not None
            if suggestion.kind is not Kind.HOLD and suggestion.routine_to is None:
                accept(journal, suggestion)
            assert length_now(name) <= FIVE_MINUTES_MS
    assert 2 * 60_000 <= length_now(name) <= FIVE_MINUTES_MS
