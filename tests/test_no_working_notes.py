"""The product speaks of itself, not of how it was made.

Notes for the people building it (a tracker number, the name of a branch, a word on
merging or on a round of work) mean nothing to a person using it, and go stale the day
they are written. None
may sit in what the wheel ships (the package and the data folders pyproject.toml puts
in it), in the README, or in the tests and benchmarks that ship in the sdist. CI also
searches the built wheel itself (.ci/run).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Words that narrate the work rather than describe the product.
WORKING_NOTE = re.compile(
    r"\bissue ?#?\d+"
    r"|\bthis bran[c]h\b|\bafter mergin[g]\b|\b(?:last|this|previous) roun[d]\b"
    r"|\bbefore this work\b|\bfor the lead(?![-\w])",
    re.IGNORECASE,
)
TEXT_SUFFIXES = {".py", ".md", ".toml", ".json", ".tcss", ".txt", ".cfg", ".ini", ".sh", ""}


def shipped_paths() -> list[Path]:
    """The package, the folders the wheel force-includes, README, tests, benchmarks."""
    build = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["hatch"]
    wheel = build["build"]["targets"]["wheel"]
    roots = [ROOT / p for p in wheel["packages"]]
    roots += [ROOT / p for p in wheel["force-include"]]
    roots += [ROOT / "README.md", ROOT / "tests", ROOT / "benchmarks", ROOT / ".ci"]
    files: list[Path] = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*"))
        files += [
            f
            for f in candidates
            if f.is_file()
            and f.suffix in TEXT_SUFFIXES
            and "__pycache__" not in f.parts
            and f != Path(__file__).resolve()
        ]
    return files


def test_what_ships_has_no_working_notes():
    found = []
    for path in shipped_paths():
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if WORKING_NOTE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_no_file_is_named_for_a_piece_of_work():
    named = [
        str(p.relative_to(ROOT))
        for p in shipped_paths()
        if re.search(r"issue_?\d+|round_?\d+", p.name, re.IGNORECASE)
    ]
    assert not named


def test_the_pattern_finds_what_it_is_for():
    # Spelt in pieces here, so this file is not itself a note to a reader's search.
    notes = [
        "(iss" + "ue 9)",
        "Iss" + "ue #13 asks",
        "this bra" + "nch",
        "after mer" + "ging",
        "last ro" + "und",
    ]
    for note in notes:
        assert WORKING_NOTE.search(note), note
    for fine in ("the lead-in", "issues/72", "a round of breaths"):
        assert not WORKING_NOTE.search(fine), fine
