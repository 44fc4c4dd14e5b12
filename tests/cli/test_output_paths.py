"""Every command that writes a file the person named writes only where a plain file is
or may be: `export --csv`, `render -o` and `new`.

The stories: a careless `-o /dev/null` (or, as root, `--csv /dev/full`) must not turn a
device node into a file; a FIFO must not hang the command; a symbolic link, dangling
or not, is refused rather than replaced or written through (a planted
`dangling.toml -> victim.txt` must not create `victim.txt`); a folder is one line, not
click's usage text. Each refusal is one line, exit 2, and touches nothing. An existing
plain file is replaced and keeps its permission bits.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from breathpace.cli import main

TINY = (
    'format = 1\ntitle = "Tiny"\nlead_in = 0\n[[exercise]]\nname = "B"\n'
    'pattern = "2-0-2-0"\ncycles = 1\n'
)


def command(kind: str, target: str, folder: Path) -> list[str]:
    if kind == "export":
        return ["export", "--csv", target]
    if kind == "render":
        routine = folder / "tiny-routine.toml"
        routine.write_text(TINY, encoding="utf-8")
        return ["render", str(routine), "-o", target]
    return ["new", target, "--force"]


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _dangling(p: Path) -> None:
    p.symlink_to(p.with_name("victim.txt"))


def _link_to_file(p: Path) -> None:
    real = p.with_name("real.txt")
    real.write_text("kept")
    p.symlink_to(real.name)


def _folder(p: Path) -> None:
    p.mkdir()


MAKERS = {
    "fifo": (_fifo, "is a FIFO; give a file name"),
    "dangling-link": (_dangling, "is a symbolic link; give the path of a plain file instead"),
    "link-to-file": (_link_to_file, "is a symbolic link; give the path of a plain file instead"),
    "folder": (_folder, "is a folder; give a file name"),
}
PREFIX = {"export": "--csv: ", "render": "--output: ", "new": ""}


def snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.iterdir()):
        info = os.lstat(p)
        body = p.read_bytes() if stat.S_ISREG(info.st_mode) else None
        out[p.name] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), body)
    return out


@pytest.mark.parametrize("kind", ["export", "render", "new"])
@pytest.mark.parametrize("what", list(MAKERS))
def test_what_is_not_a_plain_file_is_refused_in_one_line_and_untouched(tmp_path, kind, what):
    make, words = MAKERS[what]
    work = tmp_path / "work"
    work.mkdir()
    target = work / ("out.toml" if kind == "new" else "out.file")
    make(target)
    args = command(kind, str(target), tmp_path)
    before = snapshot(work)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"breathpace: {PREFIX[kind]}{target} {words}\n"
    assert snapshot(work) == before
    assert not (work / "victim.txt").exists()


@pytest.mark.parametrize("kind", ["export", "render"])
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_a_device_is_refused_and_stays_a_device(tmp_path, kind, device):
    result = CliRunner().invoke(main, command(kind, device, tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"breathpace: {PREFIX[kind]}{device} is a device; give a file name\n"
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_new_refuses_a_device_node_given_with_its_toml_name(tmp_path):
    node = tmp_path / "null.toml"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = CliRunner().invoke(main, ["new", str(node), "--force"])
    assert result.exit_code == 2
    assert result.stderr == f"breathpace: {node} is a device; give a file name\n"
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize("kind", ["export", "render", "new"])
def test_an_existing_plain_file_is_replaced_and_keeps_its_mode(tmp_path, kind):
    target = tmp_path / ("mine.toml" if kind == "new" else "mine.wav")
    target.write_text("old")
    target.chmod(0o644)
    result = CliRunner().invoke(main, command(kind, str(target), tmp_path))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != b"old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("kind", ["export", "render", "new"])
def test_a_missing_folder_is_one_line(tmp_path, kind):
    target = tmp_path / "nowhere" / "deeper" / ("x.toml" if kind == "new" else "x.wav")
    result = CliRunner().invoke(main, command(kind, str(target), tmp_path))
    if kind == "new":
        # `new` makes the folders of a new routine's path, as it always has.
        assert result.exit_code == 0, result.output
        assert target.is_file()
        return
    assert result.exit_code == 2
    assert result.stderr == f"breathpace: {PREFIX[kind]}{target.parent} is not an existing folder\n"
    assert not (tmp_path / "nowhere").exists()


def test_new_with_quotes_and_backslashes_writes_a_template_that_checks(tmp_path):
    for name in ['say "hi"', "back\\slash", "x" * 150, "tab\there"]:
        target = tmp_path / f"{name}.toml"
        result = CliRunner().invoke(main, ["new", str(target)])
        assert result.exit_code == 0, result.output
        check = CliRunner().invoke(main, ["check", str(target)])
        assert check.exit_code == 0, (name, check.output)


def test_new_into_a_fifo_with_force_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["new", str(fifo), "--force"])
    assert result.exit_code == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
