"""The typer app and the one error boundary (design.md §6); commands register on `app`.

Only typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from meldcode import __version__

INTERNAL_ERROR = (
    "Er ging iets mis in meldcode zelf (een programmeerfout). Wat u al had vastgelegd, blijft "
    "bewaard. Meld dit aan de beheerder met de opdracht die u gaf, zonder casusgegevens; met "
    "MELDCODE_DEBUG=1 ziet de beheerder de technische details."
)


# typer's help words (its rich_utils reads these module names each time it renders help).
_HULPWOORDEN = {
    "OPTIONS_PANEL_TITLE": "Opties",
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "COMMANDS_PANEL_TITLE": "Opdrachten",
    "DEFAULT_STRING": "[standaard: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "DEPRECATED_STRING": "(verouderd) ",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
}


_GEBRUIKSWOORDEN = (
    ("Usage: ", "Gebruik: "),
    ("[OPTIONS]", "[OPTIES]"),
    ("COMMAND [ARGS]...", "OPDRACHT [ARGUMENTEN]..."),
)


# The value a typer option takes, named in Dutch ('<int range>' → GETAL); others stay.
_SOORTEN = {"str": "TEKST", "int": "GETAL", "float": "GETAL", "path": "PAD", "Path": "PAD"}


def _dutch_help(ctx: Any) -> None:
    """Let typer's help screen speak Dutch: panel titles, the help option, flags without a type."""
    from typer import rich_utils

    for naam, tekst in _HULPWOORDEN.items():
        setattr(rich_utils, naam, tekst)
    help_option = ctx.command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = "Toon deze hulp en stop."
    for param in [*ctx.command.params, help_option]:
        if param is not None and param.param_type_name == "argument":
            # An argument's name (ID, MAP) says what it takes; typer adds '<str>' or '<path>'.
            param.display_type_rich = _geen_soort
            continue
        if param is None or param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""  # a flag takes no value; typer would show '<bool>'
        elif param.param_type_name == "option":
            soort = str(param.display_type_rich(ctx) or "")
            param.metavar = _SOORTEN.get(soort.strip("<>").partition(" ")[0])


def _geen_soort(ctx: Any) -> None:
    """No value type next to an argument in help (typer would show '<str>')."""


class _DutchHelp:
    """Mixin for typer's command classes: help and usage lines in Dutch."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _dutch_help(ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        for engels, nederlands in _GEBRUIKSWOORDEN:
            usage = usage.replace(engels, nederlands, 1)
        return usage


class MeldcodeCommand(_DutchHelp, TyperCommand):
    """A command whose help is in Dutch."""


class MeldcodeGroup(_DutchHelp, TyperGroup):
    """The top-level group, with help in Dutch."""


class MeldcodeApp(typer.Typer):
    """A typer app that reports wrong use (unknown option, bad value) in Dutch, with exit 2."""

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Register a command whose help is in Dutch."""
        kwargs.setdefault("cls", MeldcodeCommand)
        return super().command(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run as the console script: click's usage errors become one Dutch paragraph."""
        if "standalone_mode" in kwargs:
            return super().__call__(*args, **kwargs)
        try:
            # NOTE: typer's vendored click; without it, typer's own (English) messages remain.
            from typer._click.exceptions import ClickException
        except ImportError:  # pragma: no cover - a typer without the vendored click
            return super().__call__(*args, **kwargs)
        try:
            rv = super().__call__(*args, standalone_mode=False, **kwargs)
        except ClickException as e:
            if type(e).__name__ != "NoArgsIsHelpError":  # the help text is already shown
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


app = MeldcodeApp(
    name="meldcode",
    cls=MeldcodeGroup,
    help="Beslisondersteuning voor de Meldcode huiselijk geweld en kindermishandeling.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"meldcode {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Toon de versie en stop.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """Beslisondersteuning voor de Meldcode huiselijk geweld en kindermishandeling."""


# Options that several commands share.
Uitvoer = Annotated[
    Path | None,
    typer.Option(
        "--uitvoer",
        "-o",
        metavar="BESTAND",
        help="Schrijf naar dit bestand (standaard of '-': het scherm).",
    ),
]
Overschrijf = Annotated[
    bool, typer.Option("--overschrijf", help="Vervang een bestaand uitvoerbestand.")
]


def write_or_print(text: str, uitvoer: Path | None, *, overschrijf: bool) -> bool:
    """`text` on stdout (no file, or '-'), else in a new owner-only file; True if a file.

    A failing stdout (full disk, closed, reader gone) raises here, inside the error boundary.
    """
    if uitvoer is None or str(uitvoer) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return False
    from meldcode.export import write_new

    write_new(uitvoer, text, overschrijf=overschrijf)
    return True


def err(text: str) -> None:
    """Print a message for the user on stderr, without markup."""
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


@contextmanager
def error_boundary() -> Iterator[None]:
    """The one place where exceptions become a Dutch message and an exit code.

    stdout is UTF-8 and guarded while the command runs: a reader that went away (`| head`) ends
    the command quietly with exit 141, like any Unix tool; any other failed write to stdout
    (full disk, closed) is a Dutch message with exit 2.
    """
    from meldcode.errors import MeldcodeError
    from meldcode.text.stdout import BROKEN_PIPE, StdoutGuard, broken_pipe

    guard = StdoutGuard()
    try:
        try:
            yield
        except (typer.Exit, typer.Abort):
            guard.flush()
            raise
        guard.flush()
    except MeldcodeError as e:
        guard.stil(altijd=broken_pipe(e))
        err(str(e))
        raise typer.Exit(BROKEN_PIPE if broken_pipe(e) else e.exit_code) from None
    except KeyboardInterrupt:
        err("Onderbroken. Wat u al had vastgelegd, is bewaard.")
        raise typer.Exit(130) from None
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
        raise typer.Exit(1) from None
    finally:
        guard.close()


def usage_error_in_dutch(e: Exception) -> str:
    """Click's (English) usage error as one Dutch paragraph that says what to do."""
    ctx = getattr(e, "ctx", None)
    pad = ctx.command_path if ctx is not None else "meldcode"
    bericht = getattr(e, "message", str(e))
    soort = type(e).__name__
    hint = _param_hint(e)
    if soort == "NoSuchOption":
        wat = f"De optie {getattr(e, 'option_name', '')} bestaat niet bij '{pad}'."
    elif soort == "MissingParameter":
        wat = f"Bij '{pad}' ontbreekt {hint or 'een argument'}."
    elif soort == "BadParameter":
        keuze = re.search(r"'(.*?)' is not one of (.*?)\.?$", bericht)
        wat = (
            f"De waarde '{keuze[1]}' is niet toegestaan voor {hint}; kies uit {keuze[2]}."
            if keuze
            else f"De waarde voor {hint} is ongeldig{_reden(bericht)}."
        )
    elif bericht.startswith("No such command"):
        naam = bericht.split("'")[1] if "'" in bericht else bericht
        wat = f"De opdracht '{naam}' bestaat niet."
    elif "unexpected extra argument" in bericht:
        extra = re.search(r"\(([^()]*)\)$", bericht)
        wat = f"'{pad}' krijgt te veel argumenten ({extra[1] if extra else bericht})."
    elif optie := re.match(r"Option '(.*?)' requires an argument", bericht):
        wat = f"De optie {optie[1]} heeft een waarde nodig."
    else:
        wat = f"De opdracht '{pad}' klopt niet ({bericht})."
    return f"{wat} Bekijk de mogelijkheden met '{pad} --help'."


def _param_hint(e: Exception) -> str:
    param = getattr(e, "param", None)
    metavar = getattr(param, "metavar", None)
    if isinstance(metavar, str) and not getattr(param, "opts", [""])[0].startswith("-"):
        return f"het argument {metavar.strip('{}[]')}"
    hint = getattr(e, "param_hint", None)
    if isinstance(hint, str):
        return hint
    opts = getattr(param, "opts", None) or []
    return "/".join(f"'{o}'" for o in opts) if opts else "een argument"


def _reden(bericht: str) -> str:
    grens = re.search(r"(less|greater) than or equal to (\S+?)\.?$", bericht)
    if grens:
        return f": verwacht {'hoogstens' if grens[1] == 'less' else 'minstens'} {grens[2]}"
    if "valid integer" in bericht:
        return ": verwacht een geheel getal"
    if "valid date" in bericht or "datetime" in bericht:
        return ": verwacht een datum als JJJJ-MM-DD"
    return f" ({bericht.removeprefix('Value error, ')})"
