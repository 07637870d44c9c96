"""rich views for case management: lijst, toon, statistiek, verifieer and herbereken."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from meldcode.contract import Besluit, Status
from meldcode.store import Casus
from meldcode.text.control_chars import zonder_stuurtekens
from meldcode.text.formatting import datum_nl, getal_nl, tijd_nl

if TYPE_CHECKING:
    # NOTE: only types here: `lijst` and `statistiek` must not load pydantic and the flows.
    from meldcode.dossier.value import Dossier
    from meldcode.model import Flow
    from meldcode.render.agenda import TeDoen
    from meldcode.store.integrity import Verificatie
    from meldcode.store.maintenance import Herberekening

OORDELEN = {
    "gelijk": "zelfde antwoord, zelfde plaats op het pad",
    "vervalt": "niet meer op het pad",
    "ongeldig": "antwoord past niet meer bij de vraag",
    "nieuw": "nieuwe vraag: nog niet beantwoord",
}


def _t(text: str, style: str = "") -> Text:
    """Stored text as rich Text without control characters (see text/control_chars.py)."""
    return Text(zonder_stuurtekens(text), style=style)


def _kv(rows: Sequence[tuple[str, str]], title: str | None = None) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for k, v in rows:
        table.add_row(_t(k), _t(v))
    return table


# `lijst` columns in the order they are given up on a narrow terminal (last first), with the
# width each needs so that an id, status or date is never split: (name, width, no_wrap).
_KOLOMMEN = (
    ("id", 12, True),
    ("status", 10, False),  # "wacht op evaluatie" wraps between its words
    ("uitkomst", 16, True),
    ("evaluatie", 10, False),  # the date, and "verlopen" on a line of its own when due
    ("label", 10, False),  # gets what is left
    ("aangemaakt", 10, True),
    ("sector", 13, True),
)
_VOLGORDE = ("id", "sector", "status", "uitkomst", "aangemaakt", "evaluatie", "label")
_ALTIJD = 4  # id, status, uitkomst and evaluatie are shown at any width
PAGINA = 100  # rows per rich table: memory stays one page, whatever the store's size


def lijst_kolommen(breedte: int) -> dict[str, int]:
    """The columns that fit in `breedte` terminal columns (at least the first four), each with
    its width; the label takes what is left."""
    gekozen: dict[str, int] = {}
    over = breedte + 1  # each column costs its width and one separating space, but the last
    for naam, w, _ in _KOLOMMEN:
        if w + 1 > over and len(gekozen) >= _ALTIJD:
            continue
        gekozen[naam] = w
        over -= w + 1
    if "label" in gekozen:
        gekozen["label"] += max(0, over)
    return {k: gekozen[k] for k in _VOLGORDE if k in gekozen}


def _lijst_tabel(kolommen: dict[str, int], *, kop: bool) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_header=kop,
        show_edge=False,
        pad_edge=False,
        padding=0,  # the box's column separator is the one space between columns
    )
    no_wrap = {naam: nw for naam, _, nw in _KOLOMMEN}
    for naam, w in kolommen.items():
        table.add_column(naam, width=w, min_width=w, no_wrap=no_wrap[naam], overflow="fold")
    return table


def lijst(
    console: Console,
    casussen: Iterable[Casus],
    *,
    aantal: int,
    vandaag: str,
    oefening: bool,
) -> None:
    """The cases as a table, newest first, page by page (a store of any size streams), with
    due evaluations marked; the columns fit the terminal. `aantal` 0 is all, else at most
    `aantal` (one more in `casussen` tells that there are more)."""
    titel = "Oefencasussen (OEFENING)" if oefening else "Casussen"
    console.print(f"{titel}, nieuwste eerst", markup=False, highlight=False)
    kolommen = lijst_kolommen(max(console.width, 60))
    table = _lijst_tabel(kolommen, kop=True)
    getoond, meer = 0, False
    for c in casussen:
        if aantal and getoond == aantal:
            meer = True
            break
        norm = f" ({c.meldnorm})" if c.meldnorm else ""
        evaluatie = c.evaluatiedatum or ""
        verlopen = c.status == Status.WACHT and bool(evaluatie) and evaluatie <= vandaag
        cellen = {
            "id": c.id,
            "sector": c.sector,
            "status": c.status.replace("-", " "),
            "uitkomst": f"{c.uitkomst_id}{norm}" if c.uitkomst_id else "",
            "aangemaakt": datum_nl(c.aangemaakt),
            "evaluatie": datum_nl(evaluatie) + ("\nverlopen" if verlopen else ""),
            "label": c.label or "",
        }
        table.add_row(
            *(_t(cellen[k], style="bold red" if k == "evaluatie" and verlopen else "")
              for k in kolommen)
        )  # fmt: skip
        getoond += 1
        if getoond % PAGINA == 0:
            console.print(table)
            table = _lijst_tabel(kolommen, kop=False)
    if table.row_count:
        console.print(table)
    weg = ", ".join(k for k in _VOLGORDE if k not in kolommen)
    console.print(
        f"{getoond} casus(sen) getoond"
        + (f"; te smal voor: {weg} (zie 'meldcode toon ID')" if weg else "")
        + ".",
        markup=False,
        highlight=False,
    )
    if meer:
        console.print("Er zijn meer (oudere) casussen; toon ze alle met --aantal 0.")


SMAL = 80  # narrower than this, a list of practice cases is no table: titles would be cut


def oefencasussen(console: Console, rijen: Sequence[tuple[str, str, str]]) -> None:
    """The practice cases (id, titel, sector): a table, or on a narrow screen each case as its
    id and sector with the title under it, so no word of a title is cut."""
    if console.width >= SMAL:
        table = Table(title="Oefencasussen (OEFENING)")
        for kolom in ("id", "titel", "sector"):
            table.add_column(kolom, no_wrap=kolom == "id")
        for rij in rijen:
            table.add_row(*(_t(cel) for cel in rij))
        console.print(table)
    else:
        console.print("Oefencasussen (OEFENING)", style="bold", markup=False, highlight=False)
        for casus_id, titel, sector in rijen:
            console.print(_t(f"{casus_id} ({sector})", style="bold"))
            console.print(Padding(_t(titel), (0, 0, 0, 2), expand=False))
    console.print("Start een oefening met: meldcode oefen ID", markup=False, highlight=False)


def te_doen(console: Console, items: Sequence[TeDoen], *, oefening: bool) -> None:
    """What is due, oldest date first: one row per case and follow-up, and what to do."""
    from meldcode.render.agenda import SOORTEN, VERDER
    from meldcode.text.formatting import datum_nl

    titel = "Te doen in de oefenopslag (OEFENING)" if oefening else "Te doen"
    console.print(f"{titel}, oudste eerst", markup=False, highlight=False)
    if not items:
        console.print("Niets aan de beurt.", markup=False)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for kolom in ("sinds", "id", "wat"):
        table.add_column(kolom, no_wrap=kolom != "wat", overflow="fold")
    for t in items:
        wat = f"{SOORTEN[t.soort]}. {VERDER[t.soort].format(id=t.casus_id)}"
        table.add_row(datum_nl(t.datum), t.casus_id, _t(wat))
    console.print(table)
    console.print(f"{len(items)} punt(en) aan de beurt.", markup=False, highlight=False)


def toon(console: Console, d: Dossier, *, log: bool) -> None:
    """One case: particulars, outcome, answers per step and, with `log`, every event."""
    from meldcode.export import blocks

    if d.casus.oefening:
        console.print(_t(blocks.OEFENING, style="bold red"))
    if waarschuwing := blocks.keten_waarschuwing(d):
        console.print(_t(waarschuwing, style="bold red"))
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
        _logboek(console, d)
    else:
        console.print(f"Alle gebeurtenissen: meldcode toon {d.casus.id} --log")
    console.print(_kv(blocks.verantwoording(d), title="Verantwoording"))


def _logboek(console: Console, d: Dossier) -> None:
    """Every event of a case, one block each."""
    from meldcode.dossier.value import antwoord_tekst

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
        for regel in (antwoord_tekst(e, d.flow), toelichting):
            if regel:
                console.print(Padding(_t(regel), (0, 0, 0, 5)))


def statistiek(console: Console, s: dict[str, Any]) -> None:
    """The figures as small tables; no ids, labels or free text exist in `s`."""
    console.print(f"Casussen (zonder oefencasussen): {s['casussen']}", markup=False)
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
    from meldcode.text.labels import UITKOMST_NAMEN, reden_naam

    for uitkomst, redenen in s["per_reden"].items():
        for reden, n in redenen.items():
            # Words, not ids (the JSON keeps the ids); "-" is an outcome without a reason.
            naam = reden if reden == "-" else reden_naam(reden)
            table.add_row(UITKOMST_NAMEN.get(uitkomst, uitkomst), naam, str(n))
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
        + (
            "geen casussen met uitkomst"
            if mediaan is None
            else "niet getoond (minder dan 5 casussen met uitkomst)"
            if isinstance(mediaan, str)
            else _dagen(mediaan)
        ),
        markup=False,
    )
    if "<5" in repr(s):
        console.print(
            "'<5': 1 tot 4 casussen, niet precies getoond zodat niemand herkenbaar is (soms is "
            "daarom ook een tweede cel verborgen). Exacte aantallen: --exacte-aantallen.",
            markup=False,
        )


def _dagen(dagen: float) -> str:
    """A number of days (to a tenth) as a person says it."""
    if dagen < 1:
        return "minder dan een dag"
    return "1 dag" if dagen == 1 else f"{getal_nl(dagen, 0 if dagen == int(dagen) else 1)} dagen"


def verificatie(console: Console, v: Verificatie, *, seconden: float) -> None:
    """What verifieer found: what does not hold first, then information and the root."""
    for b in v.breuken:
        plaats = f", eerste gebroken gebeurtenis {b.volgnummer}" if b.volgnummer else ""
        wie = {"register": "het register", "anker": "het anker"}.get(b.casus_id)
        console.print(
            f"GEBROKEN: {wie or 'casus ' + b.casus_id}{plaats}: {b.wat}.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    for sector, n in sorted(v.andere_flow.items()):
        console.print(
            f"Ter informatie: {n} casus(sen) in sector {sector} zijn doorlopen met een andere "
            "flowversie dan de huidige (zie 'meldcode herbereken ID'); hun status en uitkomst "
            "zijn alleen vergeleken met de vastgelegde uitkomst.",
            markup=False,
        )
    if v.zonder_kop:
        console.print(
            f"Ter informatie: {v.zonder_kop} casus(sen) zijn gemaakt met een oudere meldcode: "
            "hun gegevens (sector, label, oefening, aangemaakt) staan niet in de keten; alleen "
            "het register en een bewaard anker dekken ze.",
            markup=False,
        )
    snelheid = f", {getal_nl(v.events / seconden)} per seconde" if seconden > 0 else ""
    status = "in orde" if not v.breuken else f"{len(v.breuken)} gebroken"
    console.print(
        f"Gecontroleerd: {v.casussen} {'casus' if v.casussen == 1 else 'casussen'}, "
        f"{v.events} gebeurtenissen{snelheid}: {status}.",
        markup=False,
        highlight=False,
    )
    if v.kop is not None:
        console.print(f"Kop van de casus: {v.kop}", markup=False, highlight=False, soft_wrap=True)
    if not any(b.casus_id == "register" for b in v.breuken):
        console.print(
            f"Wortel van de opslag (registerregel {v.wortel[0]}): {v.wortel[1]}",
            markup=False,
            highlight=False,
            soft_wrap=True,  # a hash is copied whole, never broken over two lines
        )
        console.print(
            "Bewaar deze wortel buiten deze computer; 'meldcode verifieer --anker WORTEL' "
            "toont later dat alles van vóór dat moment ongewijzigd is (docs/integriteit.md).",
            markup=False,
            highlight=False,
        )


# Why a status changes under other flows (flows 2026.3, design.md §4).
STATUS_UITLEG: dict[str, str] = {
    Status.VERVOLG: " (na een melding of wettelijke route volgt het vervolg: de terugkoppeling van "
    "Veilig Thuis en de vervolgafspraken)",
    Status.OPEN: " (de casus wacht, bijvoorbeeld op een deskundige bij een bijzondere vorm van "
    "geweld)",
}


def herberekening(console: Console, casus: Casus, h: Herberekening, flow: Flow) -> None:
    """Per question whether the path changes, then whether the outcome would; answers and
    outcomes in Dutch (`flow` is the case's own: its option labels)."""
    from meldcode.dossier.value import antwoord_nl

    table = Table(title=f"Herberekening casus {casus.id} met flows {h.flow_hash[:19]}…")
    for kolom in ("vraag", "opgeslagen antwoord", "met de andere flows"):
        table.add_column(kolom, overflow="fold")
    for v in h.vragen:
        vraag = flow.vraag(v.vraag_id) if flow.has_vraag(v.vraag_id) else None
        antwoord = antwoord_nl(vraag, v.antwoord)
        table.add_row(_t(v.vraag_id), _t(antwoord), _t(OORDELEN[v.oordeel]))
    console.print(table)
    oud = " / ".join(str(x) for x in h.oud or () if x is not None) or "geen uitkomst"
    nieuw = " / ".join(str(x) for x in Besluit.of(h.nieuw) or () if x is not None)
    if h.versie[0] != h.versie[1]:
        console.print(f"Flowversie: {h.versie[0]} → {h.versie[1]}.", markup=False)
    console.print(f"Pad: {'verandert' if h.pad_gewijzigd else 'blijft gelijk'}.", markup=False)
    if not h.uitkomst_gewijzigd:
        console.print(f"Uitkomst: blijft gelijk ({oud}).", markup=False)
    else:
        console.print(
            f"Uitkomst: zou veranderen van {oud} naar {nieuw or 'geen uitkomst'}.", markup=False
        )
    if h.status_gewijzigd:
        uitleg = STATUS_UITLEG.get(h.status[1], "")
        console.print(
            f"Status: zou veranderen van {h.status[0]} naar {h.status[1]}{uitleg}.", markup=False
        )
    if h.volgende:
        console.print(f"De andere flows vragen eerst nog: {h.volgende}.", markup=False)
    if h.wacht is not None:
        console.print(_t(f"De casus zou moeten wachten: {h.wacht.tekst}"))
    console.print("De casus zelf is niet gewijzigd.")
