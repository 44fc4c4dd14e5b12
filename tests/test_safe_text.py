"""The stand-ins for control characters, quoting, cutting and TOML wording."""

from __future__ import annotations

import pytest

from breathpace.safe_text import CONTROL_RE, cut, is_control, name_text, printable, quote
from breathpace.tomlfile import loads, show_value


class Bad(Exception):
    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text [/] é 呼吸", "plain text [/] é 呼吸"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("csi\x9b2J del\x7f", "csi\\x9b2J del\\x7f"),
        ("rtl\u202eevil\u2066", "rtl\\u202eevil\\u2066"),
        ("line\u2028sep", "line\\u2028sep"),
        ("caf\udce9", "caf\\xe9"),  # an undecodable file-name byte
    ],
)
def test_printable_shows_every_control_character_as_a_stand_in(text: str, shown: str):
    assert printable(text) == shown
    assert not any(is_control(c) for c in printable(text))


def test_zero_width_joiners_in_emoji_are_not_controls():
    assert printable("👩\u200d💻") == "👩\u200d💻"


def test_quote_cuts_long_values_to_about_60_characters():
    assert quote("x" * 900_000) == '"' + "x" * 57 + '..."'
    assert quote("\x1b" * 100).startswith('"\\x1b\\x1b')
    assert len(quote("\x1b" * 100)) == 62
    assert show_value("a" * 61) == '"' + "a" * 57 + '..."'


def test_cut_ends_in_an_ellipsis():
    assert cut("abcdef", 4) == "abc…"
    assert cut("abc", 4) == "abc"
    assert cut("abc", 0) == ""


def test_name_text_keeps_valid_names_and_escapes_bad_bytes():
    assert name_text("café") == "café"
    assert name_text("caf\udce9") == "caf\\xe9"
    name_text("caf\udce9").encode("utf-8")  # always encodable


def test_toml_syntax_errors_have_line_and_column_and_stay_printable():
    with pytest.raises(Bad) as info:
        loads('a = 1\nb = "x\x1by"\n', Bad, "f.toml")
    assert (
        str(info.value) == "f.toml: line 2, column 7: TOML syntax error: Illegal character '\\x1b'"
    )


def test_the_control_pattern_finds_exactly_what_is_control_refuses():
    # Every code point: the pattern is the fast path of the format's text check, so a
    # character it missed would reach the terminal.
    disagree = [
        hex(code)
        for code in range(0x110000)
        if (CONTROL_RE.search(chr(code)) is not None) != is_control(chr(code))
    ]
    assert disagree == []
