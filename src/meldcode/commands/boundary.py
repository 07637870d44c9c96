"""The one error boundary: where exceptions become a Dutch message and an exit code.

It is entered in two places that no command can leave out: `run_app` around the whole
command line (click's usage errors, `--help` and `--version`), and `error_boundary` around
every command's body (`app.MeldcodeCommand.invoke`). `exit_code` is the one table of exit
codes for what ends a command (design.md §6): a Dutch error, Ctrl-C, a signal, a walk that
stopped. Only typer and the standard library are imported here at module level (start-up).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer

from meldcode.commands.output import err

INTERNAL_ERROR = (
    "Er ging iets mis in meldcode zelf (een programmeerfout). Wat u al had vastgelegd, blijft "
    "bewaard. Meld dit aan de beheerder met de opdracht die u gaf, zonder casusgegevens; met "
    "MELDCODE_DEBUG=1 ziet de beheerder de technische details."
)
ONDERBROKEN = "Onderbroken. Wat u al had vastgelegd, is bewaard."


class Told(Exception):
    """`cause` ended the command and the user has already been told how (a walk that stopped
    says what is saved and how to go on): only its exit code is left to give."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause


def exit_code(e: BaseException) -> int:
    """The exit code for what ended a command: a Dutch error its own (2, 3 …; 141 for a reader
    that went away), Ctrl-C 130, a signal 128 + its number (143, 129), anything else 1."""
    from meldcode.errors import MeldcodeError
    from meldcode.text.stdout import BROKEN_PIPE, broken_pipe

    if isinstance(e, Told):
        return exit_code(e.cause)
    if isinstance(e, MeldcodeError):
        return BROKEN_PIPE if broken_pipe(e) else e.exit_code
    if isinstance(e, KeyboardInterrupt):
        code = getattr(e, "exit_code", 130)  # Beeindigd (a signal) carries the shell's code
        return code if isinstance(code, int) else 130
    return 1


@contextmanager
def error_boundary() -> Iterator[None]:
    """Around a command's body: exceptions become a Dutch message and `typer.Exit(code)`.

    stdout is UTF-8 and guarded while the command runs: a reader that went away (`| head`) ends
    the command quietly with exit 141, like any Unix tool; any other failed write to stdout
    (full disk, closed) is a Dutch message with exit 2.
    """
    from meldcode.errors import MeldcodeError
    from meldcode.text.stdout import StdoutGuard, broken_pipe

    guard = StdoutGuard()
    try:
        try:
            yield
        except (typer.Exit, typer.Abort):
            guard.flush()
            raise
        guard.flush()
    except Told as e:
        raise typer.Exit(exit_code(e)) from None
    except MeldcodeError as e:
        guard.stil(altijd=broken_pipe(e))
        err(str(e))
        raise typer.Exit(exit_code(e)) from None
    except KeyboardInterrupt as e:
        err(ONDERBROKEN)
        raise typer.Exit(exit_code(e)) from None
    except (typer.Exit, typer.Abort):
        raise
    except SystemExit as e:
        if broken_pipe(e):  # rich's own answer to a closed pipe is SystemExit(1)
            raise typer.Exit(_stdout_failed(e, None)) from None
        raise
    except Exception as e:
        if guard.caused(e):
            fout = e if isinstance(e, OSError) else guard.stream.fout
            raise typer.Exit(_stdout_failed(e, fout)) from None
        if os.environ.get("MELDCODE_DEBUG"):
            raise
        err(INTERNAL_ERROR)
        raise typer.Exit(exit_code(e)) from None
    finally:
        guard.close()


def run_app(main: Callable[..., Any]) -> NoReturn:
    """Run the command line (`main(standalone_mode=False)`) as the console script: click's
    usage errors become one Dutch paragraph with their exit code (2), and the process exits."""
    try:
        # NOTE: typer's vendored click; without it, typer's own (English) messages remain.
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - a typer without the vendored click
        main()
        sys.exit(0)
    try:
        rv = main(standalone_mode=False)
    except ClickException as e:
        if type(e).__name__ != "NoArgsIsHelpError":  # the help text is already shown
            from meldcode.commands.usage import usage_error_in_dutch

            err(usage_error_in_dutch(e))
        sys.exit(e.exit_code)
    except typer.Abort as e:
        err("Afgebroken. Wat u al had vastgelegd, is bewaard.")
        # Ctrl-C before a command's error boundary (click turns it into Abort): 130.
        sys.exit(130 if isinstance(e.__context__, KeyboardInterrupt) else 1)
    except OSError as e:
        # `--help` or `--version` (outside any command's error boundary) could not be
        # written: a full disk, a closed stdout, a reader that went away.
        sys.exit(_stdout_failed(e, e))
    sys.exit(rv if isinstance(rv, int) else 0)


def _stdout_failed(e: BaseException, fout: OSError | None) -> int:
    """Writing to stdout failed (`fout`, if known): silence it, say why unless the reader went
    away (that ends quietly, like any Unix tool), and return the exit code."""
    from meldcode.errors import OutputFailed
    from meldcode.text.stdout import BROKEN_PIPE, broken_pipe, naar_devnull, reden

    naar_devnull(sys.stdout)  # what is still buffered goes nowhere; no second failure at exit
    if broken_pipe(e):
        return BROKEN_PIPE
    err(str(OutputFailed(reden=reden(fout) if fout else "een schrijffout")))
    return OutputFailed.exit_code
