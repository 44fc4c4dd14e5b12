"""Files that are not files, files too large, and writes that fail: one line, exit 2.

Every case runs the real command as a subprocess with a timeout: a FIFO must not hang
it, `/dev/zero` must not grow its memory, a full disk must leave no half file. The
full-disk and read-only cases mount a small tmpfs and so need root; they are skipped
elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from breathpace import tomlfile
from breathpace.library import load_routine
from breathpace.routine.load import RoutineError
from tests.unprivileged import bound_by_permissions

ROUTINE = (
    'format = 1\ntitle = "Fine"\nlead_in = 0\n[[exercise]]\nname = "Bridge"\n'
    'phases = [{ move = "lift", seconds = 0.5 }]\n'
)


def run(*args: str, timeout: float = 30, env: dict | None = None, **kw):
    return subprocess.run(
        [sys.executable, "-m", "breathpace", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kw,
    )


def one_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "command", [["check"], ["preview"], ["play", "--plain", "--audio", "none"]]
)
@pytest.mark.slow
def test_a_fifo_is_refused_at_once(fifo: Path, command: list[str]):
    # Nobody writes to the FIFO: an open() for reading without O_NONBLOCK would block.
    line = one_line(run(*command, str(fifo), timeout=20))
    assert line.endswith(f"{fifo}: is not a regular file")


@pytest.mark.slow
def test_dev_zero_behind_a_routine_name_is_refused_without_reading(tmp_path: Path):
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    line = one_line(run("preview", str(link), timeout=20))
    assert line == f"breathpace: {link}: is not a regular file"


def test_a_file_read_is_capped_even_when_its_size_lies(tmp_path: Path, monkeypatch):
    """A file that grows after stat (or a /proc file reporting size 0) is still read
    only up to the cap: the read, not the stat, is what enforces it."""
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (tomlfile.MAX_BYTES + 10))
    real_stat = os.stat

    def small_stat(p, *a, **kw):
        st = real_stat(p, *a, **kw)
        if str(p) == str(path):
            return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))
        return st

    monkeypatch.setattr(tomlfile.os, "stat", small_stat)
    with pytest.raises(RoutineError) as info:
        load_routine(path)
    assert str(info.value) == f"{path}: file is larger than 1,000,000 bytes"


@pytest.mark.slow
def test_a_file_over_the_cap_is_one_line(tmp_path: Path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (tomlfile.MAX_BYTES + 1))
    assert (
        one_line(run("check", str(path))) == f"error: {path}: file is larger than 1,000,000 bytes"
    )


@pytest.mark.slow
def test_a_900_kb_key_is_quoted_short_and_the_check_stays_small(tmp_path: Path):
    path = tmp_path / "key.toml"
    key = "k" * 900_000
    path.write_text(ROUTINE.replace("lead_in = 0\n", f'lead_in = 0\n"{key}" = 1\n'))
    proc = run("check", str(path))
    line = one_line(proc)
    assert line == f'error: {path}: unknown key "{"k" * 57}..."'
    assert len(line) < 120 + len(str(path))


@pytest.mark.slow
def test_the_dev_zero_memory_stays_flat(tmp_path: Path):
    """The read stops at the cap: the child's peak memory stays far below what reading
    /dev/zero to a MemoryError took (2.6 GB)."""
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    code = (
        "import sys\n"
        "from breathpace.tomlfile import read_text\n"
        "class E(Exception):\n"
        "    def __init__(self, s, m): super().__init__(m)\n"
        "try:\n"
        f"    read_text({str(link)!r}, E, 'a routine file')\n"
        "except E as e: print(e)\n"
        # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    message, peak_kb = proc.stdout.splitlines()
    assert message == "is not a regular file"
    assert int(peak_kb) < 200_000


@pytest.mark.slow
def test_a_theme_that_is_a_fifo_is_refused(fifo: Path, tmp_path: Path):
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    line = one_line(
        run("render", str(routine), "-o", str(tmp_path / "o.wav"), "--theme", str(fifo))
    )
    assert line == f"breathpace: --theme: {fifo}: is not a regular file"


@pytest.mark.slow
def test_a_settings_file_that_is_a_fifo_is_refused(isolated_home: Path, tmp_path: Path):
    from breathpace import paths

    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(settings)
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    line = one_line(run("play", "--plain", "--audio", "none", str(routine)))
    assert line == f"breathpace: {settings}: is not a regular file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('theme = "nosuch"', "theme: theme 'nosuch': no theme of that name; themes: "),
        ("volum = 0.5", 'unknown key "volum" (did you mean "volume"?)'),
        ("volume = 2", "volume: must be at most 1 (found 2)"),
        ('volume = "loud"', 'volume: must be a number (found "loud")'),
        ('audio = "alsa"', "audio: must be one of 'auto', 'miniaudio', 'simpleaudio' or 'none'"),
        ('reduced_motion = "maybe"', 'reduced_motion: must be true or false (found "maybe")'),
        ("theme = ", "line 1, column 9: TOML syntax error: Invalid value"),
        ('theme = "\\u001b[2J"', "theme: theme '\\x1b[2J': no theme of that name"),
    ],
)
@pytest.mark.slow
def test_settings_errors_name_the_file_and_the_key(tmp_path: Path, content: str, message: str):
    from breathpace import paths

    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(content + "\n", encoding="utf-8")
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    line = one_line(run("play", "--plain", "--audio", "none", str(routine)))
    assert line.startswith(f"breathpace: {settings}: {message}"), line
    assert "--theme" not in line and "\x1b" not in line


@pytest.mark.slow
def test_a_bad_theme_option_is_still_blamed_on_the_option(tmp_path: Path):
    from breathpace import paths

    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('theme = "nosuch"\n')
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    line = one_line(run("play", "--plain", "--audio", "none", "--theme", "nope", str(routine)))
    assert line.startswith("breathpace: --theme: theme 'nope': no theme of that name")


@pytest.mark.slow
def test_check_of_an_unreadable_file_is_the_same_one_line_as_preview(tmp_path: Path):
    folder, prefix = tmp_path, bound_by_permissions()
    home = folder / "home"
    home.mkdir()
    path = folder / "secret.toml"
    path.write_text(ROUTINE)
    path.chmod(0)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "c"),
        "XDG_DATA_HOME": str(home / "d"),
    }

    def as_other(*args):
        return subprocess.run(
            [*prefix, sys.executable, "-m", "breathpace", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=folder,
        )

    check = as_other("check", "secret.toml")
    preview = as_other("preview", "secret.toml")
    assert one_line(check) == "error: secret.toml: cannot be read (Permission denied)"
    assert one_line(preview) == "breathpace: secret.toml: cannot be read (Permission denied)"
    assert "Usage:" not in check.stderr


# --- writes that fail -------------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(folder: Path, *options: str, size: str = "64k"):
    """A small tmpfs (root only); the test is skipped where it cannot be mounted."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir(exist_ok=True)
    opts = ",".join((f"size={size}", *options))
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as fh:
        while True:
            fh.write(b"\0" * 4096)
            fh.flush()


def _journal_with_sessions(tmp_path: Path, n: int) -> None:
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    for _ in range(n):
        assert run("play", "--plain", "--audio", "none", str(routine)).returncode == 0


@pytest.mark.slow
def test_export_to_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path):
    _journal_with_sessions(tmp_path, 1)
    with small_tmpfs(tmp_path / "full") as full:
        (full / "out.csv").write_text("an older export\n")
        _fill(full)
        line = one_line(run("export", "--csv", str(full / "out.csv")))
        assert line == (
            f"breathpace: --csv: {full / 'out.csv'} cannot be written "
            "(No space left on device); nothing was written"
        )
        assert sorted(p.name for p in full.iterdir()) == ["filler", "out.csv"]
        assert (full / "out.csv").read_text() == "an older export\n"


@pytest.mark.slow
def test_export_into_a_read_only_folder_is_one_line(tmp_path: Path):
    _journal_with_sessions(tmp_path, 1)
    with small_tmpfs(tmp_path / "ro", "ro") as ro:
        line = one_line(run("export", "--csv", str(ro / "out.csv")))
        assert line == f"breathpace: --csv: cannot write in {ro} (Read-only file system)"
        assert list(ro.iterdir()) == []


@pytest.mark.slow
def test_render_to_a_full_disk_leaves_no_truncated_wav(tmp_path: Path):
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE.replace("seconds = 0.5", "seconds = 5"))
    with small_tmpfs(tmp_path / "full") as full:
        line = one_line(run("render", str(routine), "-o", str(full / "out.wav"), timeout=60))
        assert (
            line == f"breathpace: {full / 'out.wav'}: cannot be written (No space left on device)"
        )
        assert list(full.iterdir()) == []


@pytest.mark.slow
def test_render_keeps_an_older_file_when_it_fails_and_replaces_it_when_it_works(
    tmp_path: Path,
):
    routine = tmp_path / "r.toml"
    routine.write_text(ROUTINE)
    with small_tmpfs(tmp_path / "full", size="1m") as full:
        out = full / "out.wav"
        out.write_bytes(b"old")
        _fill(full)
        one_line(run("render", str(routine), "-o", str(out), timeout=60))
        assert out.read_bytes() == b"old"
        assert sorted(p.name for p in full.iterdir()) == ["filler", "out.wav"]
        (full / "filler").unlink()
        proc = run("render", str(routine), "-o", str(out), timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes()[:4] == b"RIFF" and out.stat().st_size > 40_000
        assert sorted(p.name for p in full.iterdir()) == ["out.wav"]
        assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_wav_writer_discards_on_error(tmp_path: Path):
    import numpy as np

    from breathpace.audio.wavfile import WavWriter

    out = tmp_path / "x.wav"
    with pytest.raises(RuntimeError), WavWriter(out, 8000) as wav:
        wav.write(np.zeros(800))
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
