"""rich views for case management: lijst, toon, statistiek, verifieer and herbereken."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from meldcode.formaat import getal_nl, tijd_nl
from meldcode.store import Casus
from meldcode.stuurtekens import zonder_stuurtekens

if TYPE_CHECKING:
    # NOTE: only types here: `lijst` and `statistiek` must not load pydantic and the flows.
    from meldcode.export.dossier import Dossier
    from meldcode.maintenance import Herberekening, Verificatie

OORDELEN = {
    "gelijk": "zelfde antwoord, zelfde plaats op het pad",
    "vervalt": "niet meer op het pad",
    "ongeldig": "antwoord past niet meer bij de vraag",
    "nieuw": "nieuwe vraag: nog niet beantwoord",
}


def _t(text: str, style: str = "") -> Text:
    """Stored text as rich Text without control characters (see stuurtekens.py)."""
    return Text(zonder_stuurtekens(text), style=style)


def _kv(rows: Sequence[tuple[str, str]], title: str | None = None) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for k, v in rows:
        table.add_row(_t(k), _t(v))
    return table


def lijst(
    console: Console, casussen: Sequence[Casus], *, meer: bool, vandaag: str, oefening: bool
) -> None:
    """The cases as a table, newest first, with due evaluations marked."""
    titel = "Oefencasussen (OEFENING)" if oefening else "Casussen"
    table = Table(
        title=f"{titel}: {len(casussen)}{' (de nieuwste)' if meer else ''}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for kolom in ("id", "sector", "status", "uitkomst", "aangemaakt", "evaluatie", "label"):
        table.add_column(kolom, no_wrap=kolom == "id", overflow="fold")
    for c in casussen:
        norm = f" ({c.meldnorm})" if c.meldnorm else ""
        uitkomst = f"{c.uitkomst_id}{norm}" if c.uitkomst_id else ""
        evaluatie = c.evaluatiedatum or ""
        if c.status == "wacht-op-evaluatie" and evaluatie and evaluatie <= vandaag:
            evaluatie += " verlopen"
        table.add_row(
            *(_t(x) for x in (c.id, c.sector, c.status, uitkomst, c.aangemaakt[:10])),
            _t(evaluatie, style="bold red" if "verlopen" in evaluatie else ""),
            _t(c.label or ""),
        )
    console.print(table)
    if meer:
        console.print("Er zijn meer (oudere) casussen; toon ze alle met --aantal 0.")


def toon(console: Console, d: Dossier, *, log: bool) -> None:
    """One case: particulars, outcome, answers per step and, with `log`, every event."""
    from meldcode.export import blocks

    if d.casus.oefening:
        console.print(_t(blocks.OEFENING, style="bold red"))
    console.print(_kv(blocks.gegevens(d), title=blocks.titel(d)))
    console.print(_kv(blocks.uitkomst(d), title="Uitkomst"))
    if d.nog_vast_te_leggen:
        console.print(_t(blocks.NOG_VAST_TE_LEGGEN, style="bold"))
        console.print(_t(blocks.NOG_VAST_TE_LEGGEN_UITLEG))
        for tekst in d.nog_vast_te_leggen:
            console.print(Padding(_t(f"• {tekst}"), (0, 0, 0, 2)))
    for stap in d.stappen:
        console.print(_t(blocks.stap_titel(stap.id, stap.naam), style="bold underline"))
        for r in stap.regels:
            console.print(_t(r.tekst, style="bold"))
            # Indented as a block, so a wrapped answer stays under its question.
            if r.antwoord:
                console.print(Padding(_t(f"Antwoord: {r.antwoord}"), (0, 0, 0, 2)))
            if r.toelichting:
                console.print(Padding(_t(f"Toelichting: {r.toelichting}"), (0, 0, 0, 2)))
    if log:
        # NOTE: one block per event, not a table: seven columns fold ids and words mid-word
        # on any screen narrower than about 160 columns.
        console.print(_t("Logboek (alle gebeurtenissen, ook vervangen antwoorden)", "bold"))
        for e in d.events:
            kop = Table.grid(padding=(0, 2))
            kop.add_column(justify="right", width=3)
            kop.add_column(ratio=1)
            delen = (tijd_nl(e.tijd), e.soort, e.stap, e.vraag)
            kop.add_row(str(e.volgnummer), _t("  ".join(x for x in delen if x)))
            console.print(kop)
            toelichting = f"Toelichting: {e.toelichting}" if e.toelichting else ""
            for regel in (blocks.antwoord_tekst(e), toelichting):
                if regel:
                    console.print(Padding(_t(regel), (0, 0, 0, 5)))
    else:
        console.print(f"Alle gebeurtenissen: meldcode toon {d.casus.id} --log")
    console.print(_kv(blocks.verantwoording(d), title="Verantwoording"))


def statistiek(console: Console, s: dict[str, Any]) -> None:
    """The figures as small tables; no ids, labels or free text exist in `s`."""
    console.print(f"Casussen (zonder oefencasussen): {s['casussen']}")
    for key, titel in (
        ("per_sector", "Per sector"),
        ("per_status", "Per status"),
        ("per_uitkomst", "Per uitkomst"),
    ):
        table = Table(title=titel, title_justify="left")
        table.add_column(titel.removeprefix("Per "))
        table.add_column("aantal", justify="right")
        for k, n in s[key].items():
            table.add_row(k, str(n))
        console.print(table)
    table = Table(title="Per uitkomst en reden", title_justify="left")
    for kolom in ("uitkomst", "reden", "aantal"):
        table.add_column(kolom, justify="right" if kolom == "aantal" else "left")
    for uitkomst, redenen in s["per_reden"].items():
        for reden, n in redenen.items():
            table.add_row(uitkomst, reden, str(n))
    console.print(table)
    table = Table(title="Per maand", title_justify="left")
    for kolom in ("maand", "gestart", "met uitkomst"):
        table.add_column(kolom, justify="left" if kolom == "maand" else "right")
    for maand, n in s["per_maand"].items():
        table.add_row(maand, str(n["gestart"]), str(n["uitkomst"]))
    console.print(table)
    mediaan = s["mediaan_dagen_tot_uitkomst"]
    console.print(
        "Mediaan van start tot uitkomst: "
        + ("geen casussen met uitkomst" if mediaan is None else _dagen(mediaan))
    )


def _dagen(dagen: float) -> str:
    """A number of days (to a tenth) as a person says it."""
    if dagen < 1:
        return "minder dan een dag"
    return "1 dag" if dagen == 1 else f"{getal_nl(dagen, 0 if dagen == int(dagen) else 1)} dagen"


def verificatie(console: Console, v: Verificatie, *, seconden: float) -> None:
    """What verifieer found: broken chains first, then flow information."""
    for b in v.breuken:
        console.print(
            f"GEBROKEN: casus {b.casus_id}, eerste gebroken gebeurtenis {b.volgnummer}.",
            markup=False,
            highlight=False,
        )
    for sector, n in sorted(v.andere_flow.items()):
        console.print(
            f"Ter informatie: {n} casus(sen) in sector {sector} zijn doorlopen met een andere "
            "flowversie dan de huidige (zie 'meldcode herbereken ID').",
            markup=False,
        )
    snelheid = f", {getal_nl(v.events / seconden)} per seconde" if seconden > 0 else ""
    status = "in orde" if not v.breuken else f"{len(v.breuken)} gebroken"
    console.print(
        f"Gecontroleerd: {v.casussen} casussen, {v.events} gebeurtenissen{snelheid}: {status}.",
        markup=False,
        highlight=False,
    )


def herberekening(console: Console, casus: Casus, h: Herberekening) -> None:
    """Per question whether the path changes, then whether the outcome would."""
    from meldcode.export.dossier import display

    table = Table(title=f"Herberekening casus {casus.id} met flows {h.flow_hash[:19]}…")
    for kolom in ("vraag", "opgeslagen antwoord", "met de andere flows"):
        table.add_column(kolom, overflow="fold")
    for v in h.vragen:
        table.add_row(_t(v.vraag_id), _t(display(v.antwoord)), _t(OORDELEN[v.oordeel]))
    console.print(table)
    oud = " / ".join(str(x) for x in h.oud if x is not None) or "geen uitkomst"
    n = h.nieuw
    nieuw = " / ".join(str(x) for x in (n.id, n.reden, n.meldnorm) if x is not None) if n else ""
    console.print(f"Pad: {'verandert' if h.pad_gewijzigd else 'blijft gelijk'}.", markup=False)
    if not h.uitkomst_gewijzigd:
        console.print(f"Uitkomst: blijft gelijk ({oud}).", markup=False)
    else:
        console.print(
            f"Uitkomst: zou veranderen van {oud} naar {nieuw or 'geen uitkomst'}.", markup=False
        )
    if h.volgende:
        console.print(f"De andere flows vragen eerst nog: {h.volgende}.", markup=False)
    if h.wacht is not None:
        console.print(_t(f"De casus zou moeten wachten: {h.wacht.tekst}"))
    console.print("De casus zelf is niet gewijzigd.")
