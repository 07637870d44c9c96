"""Every path of a sector flow, walked with the engine: reach, outcome (MC110), meldnorm (MC112).

Also the small pieces `validate` shares with it: where things are written, and the findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from meldcode.engine import walk
from meldcode.errors import FlowError, Probleem
from meldcode.loader import line_of
from meldcode.model import (
    JA_NEE,
    Antwoord,
    AnyVraag,
    Flow,
    JaNeeVraag,
    KeuzeVraag,
    Mededeling,
    MeerkeuzeVraag,
    State,
    UitkomstRegel,
    Voorwaarde,
    Waarde,
)

Loc = tuple[Path, tuple[str | int, ...]]

# Answers that must lead to one outcome on every path (domain.md §2.2, §2.3).
MELDNORM: tuple[tuple[str, str, str], ...] = (
    ("acuut-gevaar", "ja", "melden"),
    ("afweging-1", "nee", "afsluiten"),
    ("afweging-2", "ja", "melden"),
    ("afweging-3", "nee", "melden"),
    ("afweging-4", "nee", "melden"),
)
NORM_VAN_REDEN: Mapping[str, int] = {
    "acuut-gevaar": 1,
    "acute-of-structurele-onveiligheid": 1,
    "geen-effectieve-hulp": 2,
    "hulp-niet-aanvaard": 2,
    "onvoldoende-resultaat": 3,
}
# Always explored with every value, whatever refers to them: the meldnorm is proven on them.
ALTIJD = frozenset(
    {"acuut-gevaar", "afweging-1", "afweging-2", "afweging-3", "afweging-4", "afweging-5"}
)


@dataclass(frozen=True)
class Bron:
    """Where one question, outcome rule or notice of a flow is written."""

    loc: Loc
    obj: AnyVraag | UitkomstRegel | Mededeling


@dataclass
class Findings:
    """Problems gathered over all files and sectors; one per code and place."""

    items: dict[tuple[str, Path, tuple[str | int, ...], str], str] = field(default_factory=dict)
    # Problems that arrive already located (e.g. from assembling a sector's flow).
    klaar: list[Probleem] = field(default_factory=list)

    def add(self, code: str, loc: Loc, tekst: str, *, uniek: str | None = None) -> None:
        """Record a problem once; `uniek` names what makes it distinct at its place."""
        self.items.setdefault((code, *loc, uniek or tekst), tekst)

    def raise_if_any(self) -> None:
        """Raise one FlowError with every problem, located by file and line."""
        found = [Probleem(c, p, line_of(p, sub), t) for (c, p, sub, _), t in self.items.items()]
        plekken = {(p.bestand, p.regel, p.code) for p in found}
        found += [k for k in self.klaar if (k.bestand, k.regel, k.code) not in plekken]
        if found:
            raise FlowError(sorted(found, key=lambda x: (x.bestand, x.regel or 0, x.code)))


def at(b: Bron, *sub: str | int) -> Loc:
    """The place of `sub` inside what `b` points at."""
    return b.loc[0], (
        *b.loc[1],
        *(int(s) if isinstance(s, str) and s.isdigit() else s for s in sub),
    )


def explore(flow: Flow, bronnen: list[Bron], f: Findings) -> set[str]:
    """Walk every distinct path with the engine; return the ids of the questions asked."""
    vragen = flow.vragen
    plek = {v.id: k for k, v in reversed(list(enumerate(vragen)))}
    regel_refs = {i for r in flow.uitkomsten for i in r.als.vraag_ids()} | ALTIJD
    refs = [v.als.vraag_ids() if v.als else set() for v in vragen]
    genoemd = regel_refs.union(*refs)
    # Only answers some later condition reads can change what follows: two paths that agree
    # on those, at the same question, have the same future.
    live: list[tuple[str, ...]] = [()] * len(vragen)
    acc = set(regel_refs)
    for k in reversed(range(len(vragen))):
        acc |= refs[k]
        live[k] = tuple(sorted(acc))
    lijsten: dict[str, list[tuple[str, ...]]] = {}
    for als in [r.als for r in flow.uitkomsten] + [v.als for v in vragen if v.als]:
        for vraag_id, opties in _lijsten(als):
            lijsten.setdefault(vraag_id, []).append(opties)
    keuzes = {v.id: _waarden(v, v.id in genoemd, lijsten.get(v.id, [])) for v in vragen}
    # A question with one value worth trying is answered inside the walk, so the search
    # only stops at questions where paths can part. The first answer is the first moment
    # outcome rules are checked, so the first question always branches.
    vast = {
        i: Antwoord.model_construct(vraag_id=i, waarde=w[0], toelichting=None)
        for i, w in keuzes.items()
        if len(w) == 1 and i != vragen[0].id
    }
    gezien: set[tuple[int, tuple[Waarde, ...]]] = set()
    gesteld: set[str] = set()
    stack = [State(sector=flow.sector.id)]
    while stack:
        state = stack.pop()
        w = walk(flow, state, lambda v: vast.get(v.id))
        gesteld.update(v.id for v, _ in w.pad)
        if w.uitkomst is not None:
            _meldnorm(flow, w.uitkomst, w.gegeven, bronnen, f)
        if w.wacht is not None:
            continue
        if w.volgende is None:
            if w.uitkomst is None:
                laatste = w.pad[-1][0].id if w.pad else vragen[0].id
                f.add(
                    "MC110",
                    vraag_bron(bronnen, laatste).loc,
                    f"in sector '{flow.sector.id}' "
                    f"eindigt een pad na vraag '{laatste}' zonder uitkomst (antwoorden: "
                    f"{_pad(flow, w.gegeven)}); voeg een uitkomstregel toe of pas de 'als' aan.",
                    uniek="pad",
                )
            continue
        k = plek[w.volgende.id]
        sleutel = (k, tuple(w.gegeven.get(i) for i in live[k]))
        if sleutel in gezien:
            continue
        gezien.add(sleutel)
        gesteld.add(w.volgende.id)
        pad = tuple(a for _, a in w.pad)
        for waarde in keuzes[w.volgende.id]:
            antwoord = Antwoord.model_construct(
                vraag_id=w.volgende.id, waarde=waarde, toelichting=None
            )
            stack.append(
                State.model_construct(
                    sector=state.sector, antwoorden=(*pad, antwoord), afgesloten=None
                )
            )
    return gesteld


def _lijsten(als: Voorwaarde) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(question id, the answers it names) for each answer test in a condition."""
    yield from (als.antwoord or {}).items()
    for sub in (*(als.alle or ()), *(als.een_van or ()), *((als.niet,) if als.niet else ())):
        yield from _lijsten(sub)


def _waarden(v: AnyVraag, genoemd: bool, lijsten: list[tuple[str, ...]]) -> list[Waarde]:
    """The answers worth trying: each that a condition can tell apart, or one if none reads it."""
    leeg: list[Waarde] = [] if v.verplicht else [None]
    if isinstance(v, JaNeeVraag):
        waarden: list[Waarde] = [*leeg, *JA_NEE]
    elif isinstance(v, KeuzeVraag):
        waarden = [*leeg, *(o.id for o in v.opties)]
    elif isinstance(v, MeerkeuzeVraag):
        # Options that every condition names together (or none names) lead the same way:
        # one of each kind is enough, besides all of them at once.
        soorten: dict[tuple[bool, ...], str] = {}
        for o in v.opties:
            soorten.setdefault(tuple(o.id in lijst for lijst in lijsten), o.id)
        waarden = [*leeg, *((i,) for i in soorten.values()), tuple(o.id for o in v.opties)]
    else:
        waarden = [*leeg, "2000-01-01" if v.soort == "datum" else "tekst"]
    if v.vereist is not None:
        # The required answer goes on; any other one stops the case (a wait point).
        return [v.vereist, *[w for w in waarden if w != v.vereist][:1]]
    return waarden if genoemd else waarden[:1]


def _meldnorm(
    flow: Flow, uitkomst: object, gegeven: Mapping[str, Waarde], bronnen: list[Bron], f: Findings
) -> None:
    """MC112: the answers of MELDNORM lead to their outcome; every `melden` has its norm."""
    regel = next(r for r in flow.uitkomsten if r.uitkomst is uitkomst)
    u = regel.uitkomst
    loc = at(
        next(b for b in bronnen if isinstance(b.obj, UitkomstRegel) and b.obj.id == regel.id),
        "uitkomst",
    )
    for qid, waarde, moet in MELDNORM:
        if gegeven.get(qid) == waarde and u.id != moet:
            f.add(
                "MC112",
                loc,
                f"in sector '{flow.sector.id}' leidt {qid} = {waarde} tot "
                f"uitkomst '{u.id}' in plaats van '{moet}' (antwoorden: {_pad(flow, gegeven)}); "
                "de meldnorm (domain.md §2.3) mag niet worden omzeild.",
                uniek=qid,
            )
    norm = NORM_VAN_REDEN.get(u.reden or "", u.meldnorm)
    if u.id == "melden" and (u.meldnorm is None or u.meldnorm != norm):
        f.add(
            "MC112",
            loc,
            f"uitkomst 'melden' (reden '{u.reden}') moet meldnorm {norm or '1-3'} "
            "hebben (design.md §6).",
            uniek="norm",
        )


def vraag_bron(bronnen: list[Bron], vraag_id: str) -> Bron:
    return next(b for b in bronnen if isinstance(b.obj, AnyVraag) and b.obj.id == vraag_id)


def _pad(flow: Flow, gegeven: Mapping[str, Waarde]) -> str:
    """The choices of a path by question id (free text and dates say nothing here)."""

    def fmt(w: Waarde) -> str:
        return "(leeg)" if w is None else "+".join(w) if isinstance(w, tuple) else w

    keuzes = {v.id for v in flow.vragen if v.soort not in ("tekst", "datum")}
    return ", ".join(f"{k}={fmt(w)}" for k, w in gegeven.items() if k in keuzes)
