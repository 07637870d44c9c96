"""The typer app and the one error boundary (design.md §6); commands register on `app`.

Only typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from meldcode import __version__

INTERNAL_ERROR = (
    "Er ging iets mis in meldcode zelf (een programmeerfout). Wat u al had vastgelegd, blijft "
    "bewaard. Meld dit aan de beheerder met de opdracht die u gaf, zonder casusgegevens; met "
    "MELDCODE_DEBUG=1 ziet de beheerder de technische details."
)


class MeldcodeApp(typer.Typer):
    """A typer app that reports wrong use (unknown option, bad value) in Dutch, with exit 2."""

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
        except typer.Abort:
            err("Afgebroken. Wat u al had vastgelegd, is bewaard.")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


app = MeldcodeApp(
    name="meldcode",
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
    """`text` on stdout (no file, or '-'), else in a new owner-only file; True if a file."""
    if uitvoer is None or str(uitvoer) == "-":
        sys.stdout.write(text)
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
    """The one place where exceptions become a Dutch message and an exit code."""
    from meldcode.errors import MeldcodeError

    try:
        yield
    except MeldcodeError as e:
        err(str(e))
        raise typer.Exit(e.exit_code) from None
    except KeyboardInterrupt:
        err("Onderbroken. Wat u al had vastgelegd, is bewaard.")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception:
        if os.environ.get("MELDCODE_DEBUG"):
            raise
        err(INTERNAL_ERROR)
        raise typer.Exit(1) from None


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
