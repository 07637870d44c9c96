"""Plain-Dutch wording shared by the prompters and the summary: outcomes, answers, dates."""

from __future__ import annotations

import datetime as dt
import re

from meldcode.model import AnyVraag, KeuzeVraag, MeerkeuzeVraag, Uitkomst, Waarde

# The "as" re-exports it (mypy --strict): the prompters import it from here.
from meldcode.text.formatting import datum_nl as datum_nl  # noqa: PLC0414

# Outcome ids and reasons in plain Dutch: in meldcode.text.labels (stdlib only, so `lijst` and
# `statistiek` show them without loading the flows); the "as" re-exports them (mypy --strict).
from meldcode.text.labels import REDENEN as REDENEN  # noqa: PLC0414
from meldcode.text.labels import UITKOMST_NAMEN as UITKOMST_NAMEN  # noqa: PLC0414
from meldcode.text.labels import reden_naam as reden_naam  # noqa: PLC0414

# bron: domain.md §4.1 (what the dossier must hold)
NOG_VAST_TE_LEGGEN = "Nog vast te leggen"
NOG_VAST_TE_LEGGEN_UITLEG = (
    "De meldcode vraagt dit vast te leggen, maar het is leeg gelaten of ontbreekt nog in wat u "
    "schreef. Vul het aan in het cliëntdossier."
)
# bron: domain.md §2.3
MELDNORMEN: dict[int, str] = {
    1: "meldnorm 1: bij acute en/of structurele onveiligheid is melden bij Veilig Thuis in elk "
    "geval de norm",
    2: "meldnorm 2: melden is de norm als u, gezien uw deskundigheid, rol en grenzen, "
    "onvoldoende effectieve hulp kunt bieden of organiseren, of als de betrokkenen die hulp niet "
    "aanvaarden",
    3: "meldnorm 3: melden is de norm als de hulp is geboden, maar de onveiligheid niet stopt "
    "of terugkeert",
}
ACUUT = (
    "Acuut gevaar: bel nu 112 bij direct (levens)gevaar, anders Veilig Thuis op 0800-2000 "
    "(dag en nacht bereikbaar)."
)


def uitkomst_naam(u: Uitkomst) -> str:
    """The outcome in a few plain words."""
    return UITKOMST_NAMEN.get(u.id, u.id)


def reden_tekst(u: Uitkomst, afsluitredenen: dict[str, str] | None = None) -> str | None:
    """Why the case reached `u`, in plain Dutch; None when there is no reason."""
    return None if u.reden is None else reden_naam(u.reden, afsluitredenen)


def meldnorm_tekst(meldnorm: int | None) -> str | None:
    """The meldnorm with what it means, or None."""
    return None if meldnorm is None else MELDNORMEN.get(meldnorm, f"meldnorm {meldnorm}")


def parse_datum(text: str) -> str:
    """A typed date as ISO: accepts `15-03-2027`, `15/3/2027` and `2027-03-15`.

    Text that is no date at all is returned unchanged, so the engine refuses it with its
    own message.
    """
    s = text.strip()
    for pattern, volgorde in (
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", (2, 1, 0)),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", (0, 1, 2)),
    ):
        if m := re.fullmatch(pattern, s):
            delen = [int(g) for g in m.groups()]
            try:
                return dt.date(*(delen[i] for i in volgorde)).isoformat()
            except ValueError:
                return s
    return s


def waarde_tekst(vraag: AnyVraag, waarde: Waarde) -> str:
    """An answer as the user reads it: option labels, dates as dd-mm-jjjj, '–' for empty."""
    if waarde is None or waarde in ("", ()):
        return "–"
    if isinstance(vraag, KeuzeVraag | MeerkeuzeVraag):
        labels = {o.id: o.label for o in vraag.opties}
        ids = (waarde,) if isinstance(waarde, str) else waarde
        return "; ".join(labels.get(i, i) for i in ids)
    if isinstance(waarde, tuple):
        return "; ".join(waarde)
    if vraag.soort == "datum":
        return datum_nl(waarde)
    return waarde


def kort(text: str, lengte: int = 70) -> str:
    """`text` on one line, cut after a whole word before `lengte` characters, with an ellipsis."""
    een = " ".join(text.split())
    if len(een) <= lengte:
        return een
    deel = een[: lengte - 1]
    if " " in deel and een[lengte - 1] != " ":
        deel = deel.rsplit(" ", 1)[0]  # never cut inside a word
    return deel.rstrip(" ,;:") + "…"
