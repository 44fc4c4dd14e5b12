"""`breathpace check` on random and mangled files: a clean verdict every time.

Whatever bytes an author's editor leaves behind, `check` must answer ok (exit 0) or one
error line (exit 2), within a moment, and never show a traceback. The catch-all in the
command ("could not be checked") hides an internal bug behind a clean exit, so seeing
it counts as a failure here too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breathpace.cli import main
from breathpace.library import builtin_routine_files
from breathpace.routine.model import Breathing, Exercise, Length, Moves, Phase, Routine

HERE = Path(__file__).resolve().parent
SEEDS = [p.read_text("utf-8") for p in builtin_routine_files()] + [
    (HERE / "design_example.toml").read_text("utf-8")
]
KEYS = sorted(
    {
        name
        for model in (Routine, Exercise, Breathing, Length, Moves, Phase)
        for name in model.model_fields
    }
)
EXAMPLES = int(os.environ.get("BREATHPACE_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

toml_values = st.one_of(
    st.sampled_from(
        [
            "nan",
            "-nan",
            "inf",
            "-inf",
            "0",
            "-1",
            "0.0",
            "1e308",
            "1e-9",
            "99999999999999999999999999",
            "true",
            '""',
            '"4-0-6-0"',
            '"3-0-2-0"',
            '"0-0-0-0"',
            '"exhail"',
            '"both"',
            "[]",
            "[1, 2]",
            "{}",
            "{ breaths = 3 }",
            "{ seconds = -1 }",
            "{ seconds = 1, breaths = 1 }",
            "1979-05-27T07:32:00Z",
            "07:32:00",
            "[[1, [2, [3]]]]",
        ]
    ),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else repr(f))
    ),
    st.text(st.characters(exclude_characters='"\\\n\r'), max_size=20).map(lambda s: f'"{s}"'),
)
keys = st.one_of(st.sampled_from(KEYS), st.from_regex(r"[a-z_]{1,12}", fullmatch=True))


@st.composite
def mutated(draw) -> str:
    """A valid routine with a few characters or lines broken, or keys thrown in."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "replace", "insert_key", "value"]))
        lines = text.split("\n")
        if op == "insert_key":
            at = draw(st.integers(0, len(lines)))
            line = f"{draw(keys)} = {draw(toml_values)}"
            lines.insert(at, line)
            text = "\n".join(lines)
        elif op == "value":
            candidates = [i for i, line in enumerate(lines) if " = " in line]
            if candidates:
                i = draw(st.sampled_from(candidates))
                key = lines[i].split(" = ", 1)[0]
                lines[i] = f"{key} = {draw(toml_values)}"
                text = "\n".join(lines)
        else:
            if not text:
                continue
            start = draw(st.integers(0, len(text) - 1))
            end = min(len(text), start + draw(st.integers(1, 12)))
            if op == "delete":
                text = text[:start] + text[end:]
            elif op == "duplicate":
                text = text[:end] + text[start:end] + text[end:]
            else:
                text = text[:start] + draw(st.text(max_size=6)) + text[end:]
    return text


def assert_clean_verdict(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.toml"
        path.write_bytes(content)
        result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.stdout + result.stderr
    assert "could not be checked" not in result.stderr
    if result.exit_code == 0:
        assert result.stdout.startswith(f"ok: {path}: ")
        assert all(line.startswith("warning: ") for line in result.stderr.splitlines())
    else:
        assert result.stdout == ""
        # Every problem, one line each, every line naming the file.
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"error: {path}: ") for line in lines), lines
        assert len(set(lines)) == len(lines), lines


@FUZZ
@given(mutated())
def test_mutated_routines_get_a_clean_verdict(text: str):
    assert_clean_verdict(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.text(max_size=400))
def test_random_text_gets_a_clean_verdict(text: str):
    assert_clean_verdict(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_get_a_clean_verdict(data: bytes):
    assert_clean_verdict(data)


@FUZZ
@given(
    st.lists(
        st.tuples(keys, toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
        min_size=0,
        max_size=8,
    ),
    st.lists(
        st.tuples(keys, toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
        min_size=0,
        max_size=8,
    ),
)
def test_random_keys_in_a_routine_shape_get_a_clean_verdict(top: list[str], item: list[str]):
    text = "\n".join(["format = 1", 'title = "Fuzz"', *top, "[[exercise]]", *item])
    assert_clean_verdict(text.encode("utf-8", "surrogatepass"))


def test_deep_nesting_is_an_error_not_a_crash():
    assert_clean_verdict(b"format = 1\nx = " + b"[" * 50_000 + b"]" * 50_000)
    assert_clean_verdict(b"a = " + b"{ b = " * 5_000 + b"1" + b" }" * 5_000)
