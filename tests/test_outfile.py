"""Writing only where a plain file is or may be: devices, FIFOs, folders and links are
refused before anything is touched; a failed write leaves the old file as it was."""

from __future__ import annotations

import os
import stat

import pytest

from breathpace.outfile import OutputPathError, atomic_output, check_output


def test_absent_file_is_written_with_the_umask_mode(tmp_path):
    target = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        with atomic_output(target, binary=False) as fh:
            fh.write("a,b\n")
    finally:
        os.umask(old)
    assert target.read_text() == "a,b\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_output(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write(b"half")
        raise RuntimeError("stopped")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: os.mkfifo(p), "a FIFO"),
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to(p.with_name("victim.txt")), "symbolic link"),
        (
            lambda p: (p.with_name("real.txt").write_text("x"), p.symlink_to("real.txt")),
            "symbolic link",
        ),
    ],
    ids=["fifo", "folder", "dangling-link", "link-to-file"],
)
def test_not_a_plain_file_is_refused_and_untouched(tmp_path, make, words):
    target = tmp_path / "out.csv"
    make(target)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(OutputPathError, match=words), atomic_output(target) as fh:
        fh.write(b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (tmp_path / "victim.txt").exists()


def test_device_node_is_refused():
    with pytest.raises(OutputPathError, match="a device"):
        check_output("/dev/null")


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(OutputPathError, match="not an existing folder"):
        check_output(tmp_path / "nowhere" / "out.csv")
