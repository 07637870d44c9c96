"""Standard output that fails politely (design.md §6).

meldcode always writes UTF-8, whatever `PYTHONIOENCODING` or the locale says, so Dutch text never
crashes an ASCII terminal and an export on stdout is the same file as one written with `--uitvoer`.
While a command runs, `sys.stdout` is a thin guard that remembers a failed write, so the error
boundary can tell "stdout is full, closed or gone" from a bug. Only the standard library is used
here: every command runs through this module.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

# The exit code of a command whose reader went away (`meldcode lijst | head`): what a shell
# reports for a Unix tool ended by SIGPIPE (128 + 13), so `set -o pipefail` sees it as cat's.
BROKEN_PIPE = 141

_REDENEN = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "uw schijfquotum is op",
    errno.EFBIG: "het bestand wordt te groot voor deze schijf",
    errno.EIO: "de schijf of het apparaat meldt een invoer-/uitvoerfout",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EACCES: "u mag daar niet schrijven",
    errno.EPERM: "u mag daar niet schrijven",
    errno.EBADF: "de standaarduitvoer is gesloten",
    errno.EPIPE: "het programma dat de uitvoer las, is gestopt",
}


def reden(e: OSError) -> str:
    """Why a write failed, in a few Dutch words (no paths, no content)."""
    if e.errno in _REDENEN:
        return _REDENEN[e.errno]
    naam = errno.errorcode.get(e.errno, "onbekend") if e.errno is not None else "onbekend"
    return f"een schrijffout van het systeem ({naam})"


def utf8(stream: TextIO | None) -> None:
    """Let `stream` read or write UTF-8, and never fail on a character (it is escaped)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    encoding = str(getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" or getattr(stream, "errors", None) == "strict":
        with contextlib.suppress(OSError, ValueError):  # a stream that cannot change: keep it
            reconfigure(encoding="utf-8", errors="backslashreplace")


class _Gesloten:
    """Stands in for a stdout that was closed at start (`>&-`): each write fails with EBADF."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        """Nothing is ever buffered."""

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class Bewaakt:
    """`sys.stdout` during a command: writes pass through; a failed one is remembered."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.fout: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as e:
            self.fout = e
            raise

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            self.fout = e
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def stil(self) -> None:
        """After a failure: see `naar_devnull`."""
        naar_devnull(self._stream)


def naar_devnull(stream: Any) -> None:
    """After a failed write: point `stream`'s descriptor at /dev/null, so what is still
    buffered goes nowhere and Python's own flush at exit neither fails again nor prints
    "Exception ignored ... BrokenPipeError"."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # no file descriptor (closed, in memory)
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no /dev/null
        return
    try:
        os.dup2(devnull, fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(devnull)


def _keten(e: BaseException) -> Iterator[BaseException]:
    """`e` and the errors it came from (cause or context), each once."""
    seen: set[int] = set()
    fout: BaseException | None = e
    while fout is not None and id(fout) not in seen:
        yield fout
        seen.add(id(fout))
        fout = fout.__cause__ or fout.__context__


def broken_pipe(e: BaseException) -> bool:
    """True if `e` (or an error it came from) is a reader that went away."""
    return any(isinstance(f, BrokenPipeError) for f in _keten(e))


class StdoutGuard:
    """Installs `Bewaakt` as `sys.stdout` (UTF-8) until `close`; tells which errors were its."""

    def __init__(self) -> None:
        utf8(sys.stdout)
        utf8(sys.stderr)
        utf8(sys.stdin)  # what is typed (ë) is read as the UTF-8 that the terminal sends
        self._vorige = sys.stdout
        self.stream = Bewaakt(sys.stdout if sys.stdout is not None else _Gesloten())
        sys.stdout = self.stream  # a TextIO in all that is used (__getattr__ does the rest)

    def flush(self) -> None:
        """Write out what is buffered, so a failure shows up inside the error boundary."""
        self.stream.flush()

    def caused(self, e: BaseException) -> bool:
        """True if `e` (or an error it came from) is a failed write to stdout."""
        return any(f is self.stream.fout or isinstance(f, BrokenPipeError) for f in _keten(e))

    def stil(self, *, altijd: bool = False) -> None:
        """Silence stdout if a write failed (or `altijd`), so nothing fails or prints at exit."""
        if altijd or self.stream.fout is not None:
            self.stream.stil()

    def close(self) -> None:
        """Give `sys.stdout` back (the guard keeps working for whoever still holds it)."""
        if sys.stdout is self.stream:
            sys.stdout = self._vorige
