"""Every file breathpace reads (routines, themes, figures, settings) goes through one
reader that refuses what is not a small regular file before reading it: a FIFO would
hang the command for ever, `/dev/zero` would fill the memory. The command-line stories
(tests/cli/test_files_not_files.py) start real processes; these hold the same rules in
the fast lane, on the reader itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breathpace.tomlfile import read_text


class Refused(Exception):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.reason = reason


def refusal(path: str | Path, max_bytes: int = 1000) -> str:
    with pytest.raises(Refused) as caught:
        read_text(path, Refused, "a routine file", max_bytes)
    return caught.value.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert refusal(fifo) == "is not a regular file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_before_a_byte_is_read():
    assert refusal("/dev/zero") == "is not a regular file"


def test_a_file_over_the_cap_is_refused_by_its_size(tmp_path: Path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 1001)
    assert refusal(big) == "file is larger than 1,000 bytes"


def test_a_file_at_the_cap_is_read(tmp_path: Path):
    exact = tmp_path / "exact.toml"
    exact.write_bytes(b"#" * 1000)
    assert read_text(exact, Refused, "a routine file", 1000) == "#" * 1000


def test_a_folder_and_a_missing_file_are_said_plainly(tmp_path: Path):
    assert refusal(tmp_path) == "is a folder, not a routine file"
    assert refusal(tmp_path / "nothing.toml") == "no such file"
