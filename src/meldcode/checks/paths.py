"""Every path of a sector flow, walked with the engine: reach, outcome (MC110), the meldnormen
(MC112, MC115, MC116), the follow-up of a melding (MC117) and the special forms (MC118).

Also the small pieces `validate` shares with it: where things are written, and the findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from meldcode.engine import Walk, walk
from meldcode.errors import FlowError, Probleem
from meldcode.loading import line_of
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
    Uitkomst,
    UitkomstRegel,
    Voorwaarde,
    Waarde,
)

Loc = tuple[Path, tuple[str | int, ...]]

# Answers that must lead to one outcome on every path (domain.md §2.2, §2.3; design.md §6): the
# first of these on a path decides the outcome's id, reden and meldnorm.
MELDNORM: tuple[tuple[str, str, str, str, int | None], ...] = (
    ("acuut-gevaar", "ja", "melden", "acuut-gevaar", 1),
    ("haags-protocol", "ja", "melden", "haags-protocol", None),
    ("afweging-1", "nee", "afsluiten", "geen-vermoeden", None),
    ("afweging-2", "ja", "melden", "acute-of-structurele-onveiligheid", 1),
    ("afweging-3", "nee", "melden", "geen-effectieve-hulp", 2),
    ("afweging-4", "nee", "melden", "hulp-niet-aanvaard", 2),
    ("afweging-5", "nee", "melden", "onvoldoende-resultaat", 3),
)
NORM_VAN_REDEN: Mapping[str, int | None] = {
    reden: norm for _, _, uitkomst, reden, norm in MELDNORM if uitkomst == "melden"
}
# Always explored with every value, whatever refers to them: the meldnorm is proven on them.
ALTIJD = frozenset(qid for qid, *_ in MELDNORM)
# design.md §4: with one of these signals an expert is consulted before stap 3.
BIJZONDERE_VORMEN = frozenset(
    {
        "eergerelateerd-geweld",
        "huwelijksdwang",
        "achterlating",
        "vrouwelijke-genitale-verminking",
        "kindermishandeling-door-falsificatie",
    }
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


def explore(
    flow: Flow,
    bronnen: list[Bron],
    f: Findings,
    plekken: Mapping[tuple[str, str], Loc] | None = None,
) -> set[str]:
    """Walk every distinct path with the engine; return the ids of the questions asked.

    `plekken` says where a sector overlay changed a key of a question (vraag id, key), so a
    problem with that key points at the overlay.
    """
    plekken = plekken or {}
    vragen = flow.vragen
    plek = {v.id: k for k, v in reversed(list(enumerate(vragen)))}
    regel_refs = {i for r in flow.uitkomsten for i in r.als.vraag_ids()} | ALTIJD
    refs = [
        (v.als.vraag_ids() if v.als else set())
        | (v.vereist_als.vraag_ids() if v.vereist_als else set())
        for v in vragen
    ]
    genoemd = regel_refs.union(*refs)
    # Only answers some later condition reads can change what follows: two paths that agree
    # on those, at the same question, have the same future.
    live: list[tuple[str, ...]] = [()] * len(vragen)
    acc = set(regel_refs)
    for k in reversed(range(len(vragen))):
        acc |= refs[k]
        live[k] = tuple(sorted(acc))
    lijsten: dict[str, list[tuple[str, ...]]] = {}
    conditions = [r.als for r in flow.uitkomsten] + [
        c for v in vragen for c in (v.als, v.vereist_als) if c is not None
    ]
    for als in conditions:
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
            _meldnorm(flow, w, bronnen, f)
        _bijzondere_vorm(flow, w, bronnen, f, plekken)
        if w.wacht is not None:
            _wacht(flow, w, bronnen, f, plekken)
            continue
        if w.volgende is None:
            if w.uitkomst is not None:
                _vervolg(flow, w, bronnen, f)
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
        # A special form is its own kind too: MC118 must try one that no condition names.
        soorten: dict[tuple[bool, ...], str] = {}
        for o in v.opties:
            soort = (*(o.id in lijst for lijst in lijsten), o.id in BIJZONDERE_VORMEN)
            soorten.setdefault(soort, o.id)
        waarden = [*leeg, *((i,) for i in soorten.values()), tuple(o.id for o in v.opties)]
    else:
        waarden = [*leeg, "2000-01-01" if v.soort == "datum" else "tekst"]
    if v.vereist is not None:
        # The required answer goes on; any other one stops the case (a wait point).
        return [v.vereist, *[w for w in waarden if w != v.vereist][:1]]
    return waarden if genoemd else waarden[:1]


_BESLISSEND: dict[tuple[str, Waarde], tuple[str, str, str, str, int | None]] = {
    (r[0], r[1]): r for r in MELDNORM
}


def _eerste(w: Walk) -> tuple[str, str, str, str, int | None] | None:
    """The first answer on the path that decides the outcome (MELDNORM), if any."""
    return next(
        (r for v, a in w.pad if (r := _BESLISSEND.get((v.id, a.waarde))) is not None), None
    )


def _regel_loc(flow: Flow, uitkomst: Uitkomst, bronnen: list[Bron]) -> Loc:
    regel = next(r for r in flow.uitkomsten if r.uitkomst is uitkomst)
    return at(
        next(b for b in bronnen if isinstance(b.obj, UitkomstRegel) and b.obj.id == regel.id),
        "uitkomst",
    )


def _meldnorm(flow: Flow, w: Walk, bronnen: list[Bron], f: Findings) -> None:
    """MC112: the first answer of MELDNORM on a path decides the outcome and its norm; every
    `melden` has a reden with its norm. MC116: nothing else decides before afweging-1."""
    u = w.uitkomst
    assert u is not None  # noqa: S101 - called with an outcome
    eerste = _eerste(w)
    if eerste is not None and (u.id, u.reden, u.meldnorm) != eerste[2:]:
        qid, waarde, moet, reden, norm = eerste
        f.add(
            "MC112",
            _regel_loc(flow, u, bronnen),
            f"in sector '{flow.sector.id}' leidt {qid} = {waarde} tot uitkomst '{u.id}' "
            f"(reden '{u.reden}', meldnorm {u.meldnorm}) in plaats van '{moet}' (reden "
            f"'{reden}', meldnorm {norm}) (antwoorden: {_pad(flow, w.gegeven)}); de meldnorm "
            "(domain.md §2.3) mag niet worden omzeild.",
            uniek=qid,
        )
    reden = u.reden or ""
    if u.id == "melden" and (reden not in NORM_VAN_REDEN or u.meldnorm != NORM_VAN_REDEN[reden]):
        norm = NORM_VAN_REDEN.get(reden, 0)
        f.add(
            "MC112",
            _regel_loc(flow, u, bronnen),
            f"uitkomst 'melden' (reden '{u.reden}') moet "
            + ("geen meldnorm" if norm is None else f"meldnorm {norm or '1-3'}")
            + " hebben, met een reden uit design.md §6.",
            uniek="norm",
        )
    route = w.gegeven.get("route")
    if eerste is None and "afweging-1" not in w.gegeven and route in (None, "thuis"):
        f.add(
            "MC116",
            _regel_loc(flow, u, bronnen),
            f"in sector '{flow.sector.id}' valt uitkomst '{u.id}' vóór afweging 1 (antwoorden: "
            f"{_pad(flow, w.gegeven)}); vóór afweging 1 mag alleen acuut gevaar, het Haags "
            "protocol of een eigen route (zoals de medewerkersroute) een uitkomst geven; "
            "afsluiten met een reden doet de gebruiker zelf.",
            uniek="voor-afweging-1",
        )


def _plek(bronnen: list[Bron], plekken: Mapping[tuple[str, str], Loc], qid: str, key: str) -> Loc:
    """Where `key` of question `qid` is written: the sector's overlay if it changed it."""
    return plekken.get((qid, key.replace("-", "_"))) or at(vraag_bron(bronnen, qid), key)


def _wacht(
    flow: Flow, w: Walk, bronnen: list[Bron], f: Findings, plekken: Mapping[tuple[str, str], Loc]
) -> None:
    """MC115: a wait point never holds back an afweging or a melding that is due."""
    assert w.wacht is not None  # noqa: S101 - called with a wait
    if w.wacht.vraag_id in ALTIJD or _eerste(w) is not None:
        f.add(
            "MC115",
            _plek(bronnen, plekken, w.wacht.vraag_id, "vereist"),
            f"in sector '{flow.sector.id}' laat 'vereist' op vraag '{w.wacht.vraag_id}' de "
            f"casus wachten waar de meldnorm een uitkomst vraagt (antwoorden: "
            f"{_pad(flow, w.gegeven)}); een wachtpunt mag een melding niet tegenhouden.",
            uniek="wacht",
        )


def _vervolg(flow: Flow, w: Walk, bronnen: list[Bron], f: Findings) -> None:
    """MC117: every melden and medewerkersroute has status vervolg and a follow-up on its path."""
    u = w.uitkomst
    assert u is not None  # noqa: S101 - called with an outcome
    if u.id not in ("melden", "medewerkersroute"):
        return
    ids = {v.id for v, _ in w.pad}
    heeft = (
        "terugkoppeling-veilig-thuis" in ids
        if u.id == "melden"
        else any(v.vervolg for v, _ in w.pad)
    )
    if u.status != "vervolg" or not heeft:
        wat = "'terugkoppeling-veilig-thuis'" if u.id == "melden" else "een vervolgvraag"
        f.add(
            "MC117",
            _regel_loc(flow, u, bronnen),
            f"in sector '{flow.sector.id}' heeft uitkomst '{u.id}' (reden '{u.reden}') geen "
            f"vervolg: de uitkomst moet 'status: vervolg' hebben en het pad {wat} (design.md "
            f"§4) (antwoorden: {_pad(flow, w.gegeven)}).",
            uniek="vervolg",
        )


def _bijzondere_vorm(
    flow: Flow, w: Walk, bronnen: list[Bron], f: Findings, plekken: Mapping[tuple[str, str], Loc]
) -> None:
    """MC118: with a special form, no path reaches stap 3 before an expert is consulted."""
    signalen = w.gegeven.get("signalen")
    if not isinstance(signalen, tuple) or not BIJZONDERE_VORMEN.intersection(signalen):
        return
    if w.gegeven.get("veilig-thuis-geraadpleegd") == "ja":
        return
    stap3 = next((v for v, _ in w.pad if v.stap == "stap-3"), None)
    if stap3 is None and w.volgende is not None and w.wacht is None:
        stap3 = w.volgende if w.volgende.stap == "stap-3" else None
    if stap3 is not None:
        wacht = "veilig-thuis-geraadpleegd"
        plek = (
            _plek(bronnen, plekken, wacht, "vereist-als")
            if flow.has_vraag(wacht)
            else vraag_bron(bronnen, stap3.id).loc
        )
        f.add(
            "MC118",
            plek,
            f"in sector '{flow.sector.id}' bereikt een pad stap 3 ('{stap3.id}') met een "
            f"bijzondere vorm van geweld zonder dat een deskundige is geraadpleegd (antwoorden: "
            f"{_pad(flow, w.gegeven)}); laat 'veilig-thuis-geraadpleegd' dan wachten "
            "('vereist: ja' met 'vereist-als', design.md §4).",
            uniek="bijzondere-vorm",
        )


def vraag_bron(bronnen: list[Bron], vraag_id: str) -> Bron:
    return next(b for b in bronnen if isinstance(b.obj, AnyVraag) and b.obj.id == vraag_id)


def _pad(flow: Flow, gegeven: Mapping[str, Waarde]) -> str:
    """The choices of a path by question id (free text and dates say nothing here)."""

    def fmt(w: Waarde) -> str:
        return "(leeg)" if w is None else "+".join(w) if isinstance(w, tuple) else w

    keuzes = {v.id for v in flow.vragen if v.soort not in ("tekst", "datum")}
    return ", ".join(f"{k}={fmt(w)}" for k, w in gegeven.items() if k in keuzes)
