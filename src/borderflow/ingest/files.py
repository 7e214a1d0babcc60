"""Finding the files to ingest and reading their bytes, with every way that can fail said
in words.

Only regular files are read: a named pipe would block `ingest` forever and a link to
/dev/zero would fill the memory, so each file is checked with stat before it is opened
and again (fstat) once open, and no read goes past the size limit even when stat said
less. A folder that cannot be listed is an error, not a silent gap. Names are kept as
`printable` text, so a name that is not UTF-8 or holds control characters is stored and
shown escaped instead of stopping the run.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from borderflow.errors import IngestError
from borderflow.ingest.limits import setting_hint
from borderflow.text_safety import printable

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


@dataclass(frozen=True, slots=True)
class FileTask:
    """A file to ingest: where it is, its name as given (`source`) and its identity in the
    store (`key`, the resolved path), both printable."""

    path: Path
    source: str
    key: str


def source_key(path: Path) -> str:
    """The file's identity in the store: its resolved path, printable."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop appeared since the file was found
        resolved = path.absolute()
    return printable(str(resolved))


def collect_files(
    paths: Iterable[str | Path], suffixes: frozenset[str]
) -> tuple[list[FileTask], list[IngestError]]:
    """Files named and files under folders named (recursively, `suffixes` only, hidden
    files and folders skipped, symbolic links to folders not followed), in a stable order;
    and an error for each path, file or folder that cannot be read."""
    tasks: list[FileTask] = []
    errors: list[IngestError] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "":
            errors.append(IngestError("''", "empty path (name a file or folder)"))
            continue
        path = Path(raw)
        mode, _ = _mode(path)
        if stat.S_ISDIR(mode):
            found, problems = _walk(path, suffixes)
            errors += problems
            tasks += [t for t in found if _first_time(t, seen)]
            continue
        task = _task(path, printable(str(raw)))
        if isinstance(task, IngestError):
            errors.append(task)
        elif _first_time(task, seen):
            tasks.append(task)
    return tasks, errors


def _task(path: Path, source: str) -> FileTask | IngestError:
    """A regular file to read, or why `path` is not one."""
    problem = _not_readable(path)
    if problem is not None:
        return IngestError(source, problem)
    return FileTask(path, source, source_key(path))


def _not_readable(path: Path) -> str | None:
    """Why `path` is not a regular file that can be opened (None if it is one)."""
    mode, problem = _mode(path)
    if problem is None and not stat.S_ISREG(mode):
        problem = not_regular(mode)
    return problem


def _first_time(task: FileTask, seen: set[str]) -> bool:
    if task.key in seen:
        return False
    seen.add(task.key)
    return True


def _walk(folder: Path, suffixes: frozenset[str]) -> tuple[list[FileTask], list[IngestError]]:
    found: list[Path] = []
    errors: list[IngestError] = []

    def unlistable(exc: OSError) -> None:
        where = printable(str(exc.filename or folder))
        errors.append(
            IngestError(where, f"cannot list folder: {reason(exc)} (its files were not read)")
        )

    for top, dirs, files in os.walk(folder, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            Path(top, name)
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in suffixes
        ]
    tasks: list[FileTask] = []
    for path in sorted(found):
        task = _task(path, printable(str(path)))
        if isinstance(task, IngestError):
            errors.append(task)
        else:
            tasks.append(task)
    return tasks, errors


def _mode(path: Path) -> tuple[int, str | None]:
    """The file type bits of what `path` names (links followed), or why there are none."""
    try:
        return path.stat().st_mode, None
    except OSError as exc:
        return 0, reason(exc, path)
    except ValueError:  # a NUL byte in the name
        return 0, "invalid file name (it contains a NUL byte)"


def reason(exc: OSError, path: Path | None = None) -> str:
    """Why a file or folder cannot be had, in words, without the path (which may be a
    server's temporary folder)."""
    code = exc.errno
    if code == errno.ENOENT:
        if path is not None and path.is_symlink():
            return "broken symbolic link (its target does not exist)"
        return "no such file or folder"
    if code == errno.ELOOP:
        return "symbolic link loop"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOTDIR:
        return "no such file or folder (a part of the path is not a folder)"
    if code == errno.ENAMETOOLONG:
        return "file name too long"
    if code == errno.EISDIR:
        return "is a directory"
    return f"cannot read ({exc.strerror or type(exc).__name__})"


def not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a regular file (only regular files are read)"


def read_regular(path: Path, source: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or an IngestError saying why
    not. Never blocks on a pipe and never reads more than `max_bytes` + 1 bytes."""
    problem = _not_readable(path)
    if problem is not None:
        raise IngestError(source, problem)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise IngestError(source, reason(exc, path)) from exc
    try:
        return _bounded_read(fd, source, max_bytes)
    except OSError as exc:
        raise IngestError(source, reason(exc)) from exc
    finally:
        os.close(fd)


def _bounded_read(fd: int, source: str, max_bytes: int) -> bytes:
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):  # swapped for something else since the stat
        raise IngestError(source, not_regular(status.st_mode))
    if status.st_size > max_bytes:
        raise IngestError(
            source,
            f"file is {status.st_size:,} bytes, over the limit of {max_bytes:,} "
            + setting_hint("max_file_bytes"),
        )
    data = _read_up_to(fd, max_bytes + 1)
    if len(data) > max_bytes:  # it grew, or stat did not tell its size
        raise IngestError(
            source,
            f"file is over the limit of {max_bytes:,} bytes (it grew while being read, or its "
            "size was misreported) " + setting_hint("max_file_bytes"),
        )
    return data


def _read_up_to(fd: int, count: int) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
