"""Errors in flow files and practice case files: every problem with file and line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from meldcode.errors.base import MeldcodeError


class Probleem:
    """One finding in a flow file: where, what, and its stable code."""

    __slots__ = ("bestand", "code", "regel", "tekst")

    def __init__(self, code: str, bestand: Path | str, regel: int | None, tekst: str) -> None:
        self.code = code
        self.bestand = str(bestand)
        self.regel = regel
        self.tekst = tekst

    def __str__(self) -> str:
        waar = f"{self.bestand}:{self.regel}" if self.regel else self.bestand
        return f"{waar}: {self.code} {self.tekst}"

    def __repr__(self) -> str:
        return f"Probleem({self!s})"


def _aantal(n: int) -> str:
    return "1 probleem" if n == 1 else f"{n} problemen"


class FlowError(MeldcodeError):
    """The flow files are broken; lists every problem with file and line."""

    def __init__(self, problemen: Sequence[Probleem]) -> None:
        self.problemen = tuple(problemen)
        regels = "\n".join(f"  {p}" for p in self.problemen)
        super().__init__(
            f"De flowbestanden kloppen niet ({_aantal(len(self.problemen))}):\n"
            f"{regels}\nHerstel de genoemde regels en controleer opnieuw met "
            "'meldcode valideer'."
        )


class UnknownSector(MeldcodeError):
    """A sector id that the sector definitions do not have."""

    def __init__(self, *, sector: str, bekend: Sequence[str]) -> None:
        self.sector = sector
        super().__init__(
            f"Sector '{sector}' bestaat niet. Kies een van: {', '.join(bekend)} "
            "(zie 'meldcode sectoren')."
        )


class OefenCasusError(FlowError):
    """Practice case files are broken; lists every problem with file and line."""

    def __init__(self, problemen: Sequence[Probleem]) -> None:
        self.problemen = tuple(problemen)
        regels = "\n".join(f"  {p}" for p in self.problemen)
        MeldcodeError.__init__(
            self,
            f"De oefencasussen kloppen niet ({_aantal(len(self.problemen))}):\n"
            f"{regels}\nHerstel de genoemde regels en controleer opnieuw met "
            "'meldcode valideer --oefencasussen MAP'.",
        )


class UnknownOefenCasus(MeldcodeError):
    """A practice case id that no case file has."""

    def __init__(self, *, casus_id: str, bekend: Sequence[str]) -> None:
        import difflib

        hint = difflib.get_close_matches(casus_id, bekend, n=1)
        bedoeld = f" Bedoelde u '{hint[0]}'?" if hint else ""
        super().__init__(
            f"Oefencasus '{casus_id}' bestaat niet.{bedoeld} Bekijk de oefencasussen met "
            "'meldcode oefen' (eigen casussen: 'meldcode oefen --map MAP')."
        )
