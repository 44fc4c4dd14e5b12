"""Writing a file the person named, and nothing else.

Every command that writes to a path from the command line (an export, a rendered track,
a calendar, a feed, a new routine) goes through here, so the same rules hold for all:

- the path is either absent or a regular file; a device, a FIFO, a folder or a socket is
  refused before anything is opened, so `-o /dev/null` never turns a device node into a
  file and a FIFO never blocks the command;
- a symbolic link as the last part of the path is refused, dangling or not: replacing
  the link would leave its target stale, and writing through it would write somewhere
  the person did not name (folders along the way may be links; that is ordinary);
- the data goes to a temporary file beside the target and is renamed over it only once
  it is complete and on disk, so a failure (a full disk, Ctrl-C) leaves the old file, or
  nothing, never half a file;
- an existing file keeps its permission bits; a new one gets the mode any new file of
  the person's would (0666 less the umask).

Errors are one line of plain words; callers turn them into the command's usual message.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


class OutputPathError(Exception):
    """A path that cannot or must not be written; the message is one line."""


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_output(path: str | os.PathLike[str]) -> int | None:
    """Check that `path` may be written: absent or a regular file, not a link, in an
    existing folder. Returns the existing file's permission bits, or None when absent.
    Raises OutputPathError with a one-line reason."""
    target = Path(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise OutputPathError(f"{target}: a part of the path is not a folder") from None
    except OSError as exc:
        raise OutputPathError(f"{target}: cannot be checked ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputPathError(
                f"{target} is a symbolic link; give the path of a plain file instead"
            )
        if not stat.S_ISREG(info.st_mode):
            raise OutputPathError(f"{target} is {_kind(info.st_mode)}; give a file name")
        return stat.S_IMODE(info.st_mode)
    parent = target.parent
    if not parent.is_dir():
        raise OutputPathError(f"{parent} is not an existing folder")
    return None


def new_file_mode(existing: int | None) -> int:
    """The permission bits the written file ends with."""
    return existing if existing is not None else 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    binary: bool = True,
    encoding: str | None = "utf-8",
    newline: str | None = None,
    suffix: str = ".part",
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; on a clean exit it is flushed, synced and
    renamed over `path`. On any exception the temporary file is removed, `path` is left
    as it was and the exception propagates (an OSError from writing included).

    Raises OutputPathError before anything is created when `path` must not be written,
    and again at the end if something other than a plain file appeared there meanwhile.
    """
    target = Path(path)
    existing = check_output(target)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name[:40]}-", suffix=suffix
        )
    except OSError as exc:
        raise OutputPathError(f"cannot write in {target.parent} ({exc.strerror or exc})") from None
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, new_file_mode(existing))
        if binary:
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # a full disk may only say so here
        # Checked again: the path may have become a link or a device while we wrote.
        check_output(target)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
