"""Writing files: a target checked before any work, then written whole or not at all.

:func:`check_writable` refuses a folder, a missing or read-only folder, before a run
does its work; :func:`write_atomic` writes through a temporary file in the same folder
and renames it over the target, so a failed run leaves any earlier file as it was (a
symlink is written through and stays a link). Only a regular file is ever replaced: a
named pipe or a character device (``/dev/stdout``, a terminal, ``/dev/null``) is
written into directly, through any links; anything else that is not a regular file is
refused. :func:`plot_format` names a picture's
type from its suffix, without matplotlib.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from planner.errors import DataFileError, InputError

PLOT_FORMATS = ("png", "svg", "pdf")


def plot_format(path: str | Path) -> str:
    """The file type of a plot path, from its suffix (png, svg or pdf)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in PLOT_FORMATS:
        raise InputError("plot", str(path), "expected a file name ending .png, .svg or .pdf")
    return suffix


def check_writable(path: str | Path, field: str = "output") -> Path:
    """The file a write to ``path`` lands in, checked before anything is written.

    It must be a file name (not empty, not a folder) in a folder that exists and can
    be written to. A symbolic link is followed: the file it points to is written and
    the link stays a link.
    """
    if not str(path).strip():
        raise InputError(field, str(path), "expected a file name")
    if streamed(path, field):
        return Path(path)
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    if target.is_dir():
        raise InputError(field, str(path), "it is a folder; expected a file name")
    folder = target.parent
    if not folder.is_dir():
        raise DataFileError(path, f"cannot write: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise DataFileError(path, "cannot write: permission denied")
    return target


def streamed(path: str | Path, field: str = "output") -> bool:
    """Whether ``path`` (through its links) is a pipe or a character device, written into
    rather than replaced; a block device or a socket is refused."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return False
    raise InputError(field, str(path), "it is neither a file nor a pipe nor a terminal; "
                     "expected a file name")  # fmt: skip


def _write_stream(path: str | Path, chunks: Iterable[str | bytes]) -> None:
    """Write into a pipe or device as it is: it is never replaced or removed."""
    try:
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    except OSError as exc:
        raise DataFileError(path, f"cannot write ({exc.strerror})") from None


def _file_mode(target: Path) -> int:
    """The mode a plain ``open(target, "w")`` would give: the old file's, or 0o666 - umask.

    (The temporary file is created private, 0o600; a written file should not be.)
    """
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | Path, text: str | bytes | Iterable[str]) -> None:
    """Write ``text`` (UTF-8; a string or chunks of one) or raw bytes to ``path`` whole or not at all.

    The content goes to a temporary file beside ``path`` and replaces it in one
    rename, so a failed run never leaves a partial file or clobbers an earlier one. A
    pipe or a character device is written into directly (see the module).
    """
    target = check_writable(path)
    if streamed(path):
        _write_stream(path, [text] if isinstance(text, str | bytes) else text)
        return
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise DataFileError(target, f"cannot write ({exc.strerror})") from None
    try:
        chunks = [text] if isinstance(text, str | bytes) else text
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise DataFileError(target, f"cannot write ({exc.strerror})") from None
        raise
