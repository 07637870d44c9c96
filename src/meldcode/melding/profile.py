"""The melder's own details for a draft melding: a small owner-only TOML file in the data
directory (`melder.toml`), set with `meldcode melding --profiel --organisatie … --functie …
--telefoon …`. It is about the professional, never about a case, and never leaves this computer.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import ClassVar

from meldcode.errors import MeldcodeError

BESTAND = "melder.toml"


class ProfielOnleesbaar(MeldcodeError):
    """melder.toml exists but is no valid profile."""

    exit_code: ClassVar[int] = 2

    def __init__(self, *, pad: Path) -> None:
        super().__init__(
            f"Het melderprofiel {pad} is geen geldig TOML-bestand met alleen de sleutels "
            "organisatie, functie en telefoon (tekst). Verwijder het bestand, of zet het opnieuw "
            "met 'meldcode melding --profiel --organisatie … --functie … --telefoon …'."
        )


@dataclass(frozen=True)
class Profiel:
    """Organisation, function and phone of the melder; empty fields become placeholders."""

    organisatie: str = ""
    functie: str = ""
    telefoon: str = ""

    def aangevuld(self, **waarden: str | None) -> Profiel:
        """This profile with the given fields replaced (None: left as it is)."""
        return replace(self, **{k: v.strip() for k, v in waarden.items() if v is not None})

    def toml(self) -> str:
        """The profile as TOML (JSON string escapes are valid TOML basic strings)."""
        regels = ["# meldcode: uw gegevens als melder (nooit gegevens van een casus)"]
        regels += [
            f"{f.name} = {json.dumps(getattr(self, f.name), ensure_ascii=False)}"
            for f in fields(self)
        ]
        return "\n".join(regels) + "\n"


def pad(map_: Path) -> Path:
    """Where the profile lives in data directory `map_`."""
    return map_ / BESTAND


def lees(map_: Path) -> Profiel:
    """The profile in data directory `map_`; an empty one when there is none."""
    bestand = pad(map_)
    try:
        data = tomllib.loads(bestand.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Profiel()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise ProfielOnleesbaar(pad=bestand) from None
    namen = {f.name for f in fields(Profiel)}
    if set(data) - namen or not all(isinstance(v, str) for v in data.values()):
        raise ProfielOnleesbaar(pad=bestand)
    return Profiel(**data)
