"""The safety wording is content people rely on: every red flag from the issue stays in it,
and it stays short enough to be read."""

from __future__ import annotations

import pytest

from breathpace.safety import SAFETY_NOTICE, SAFETY_SHORT

RED_FLAGS = ["saddle", "bladder", "bowel", "leg", "fever", "weight loss", "fall"]


@pytest.mark.parametrize("words", [*RED_FLAGS, "stop before pain", "diagnosis", "substitute"])
def test_notice_names(words: str):
    assert words in SAFETY_NOTICE.lower()


@pytest.mark.parametrize("words", [*RED_FLAGS, "stop before pain", "clinician"])
def test_short_line_names(words: str):
    assert words in SAFETY_SHORT.lower()


def test_short_and_calm():
    assert "\n" not in SAFETY_SHORT
    lines = SAFETY_NOTICE.splitlines()
    assert len(lines) <= 20
    assert all(len(line) <= 88 for line in lines)
    assert "!" not in SAFETY_NOTICE + SAFETY_SHORT
