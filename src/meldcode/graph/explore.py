"""Every path of a sector's flow, explored with the engine itself, as nodes and edges.

Each question is answered with each of its answers (one sample for free text and dates, and
"left empty" for optional questions), so the diagram can never disagree with what
`meldcode start` does.
"""

from __future__ import annotations

import functools
import itertools
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from meldcode import engine
from meldcode.contract import Status
from meldcode.engine.answers import check_antwoord
from meldcode.engine.explore import explore
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst, Voorwaarde, Waarde
from meldcode.text.phrases import kort, reden_naam

EINDE = "einde"  # a walk-on (`vervolg`) ended; the outcome stays as it was
GEEN_UITKOMST = "einde:geen-uitkomst"  # a path without outcome: `meldcode valideer` refuses it
VERDER = "verder"
EINDE_TEKST: Mapping[str, str] = MappingProxyType(
    {
        EINDE: "Einde van het vervolg: de eerdere uitkomst blijft",
        GEEN_UITKOMST: "Einde zonder uitkomst (fout in de flow)",
    }
)
KINDS: Mapping[str, str] = MappingProxyType(
    {
        "afsluiten": "afsluiten",
        "hulp-bieden": "hulp",
        "hulp-afsluiten": "hulp",
        "melden": "melden",
        "medewerkersroute": "medewerkersroute",
    }
)
NAMEN: Mapping[str, str] = MappingProxyType(
    {
        "afsluiten": "Afsluiten",
        "hulp-bieden": "Hulp bieden (wacht op evaluatie)",
        "hulp-afsluiten": "Hulp afsluiten",
        "melden": "Melden bij Veilig Thuis",
        "medewerkersroute": "Medewerkersroute",
    }
)
SAMPLE_TEKST, SAMPLE_DATUM = "voorbeeld", "2027-01-01"


@dataclass(frozen=True)
class Knoop:
    """One node: a question (with its step), an outcome, a wait or an end."""

    key: str
    label: tuple[str, ...]
    stap: str | None = None
    kind: str | None = None  # class of a terminal node: a key of diagram.KLEUREN


@dataclass
class Pijl:
    """One edge; `alleen_vervolg` (drawn dashed) when only walked on after an outcome."""

    van: str
    naar: str
    labels: list[str] = field(default_factory=list)
    alleen_vervolg: bool = True


@dataclass(frozen=True)
class Graaf:
    """The nodes (questions by step, then terminals) and labelled edges of one sector."""

    sector: str
    titel: str
    stappen: Mapping[str, str]
    knopen: tuple[Knoop, ...]
    pijlen: tuple[Pijl, ...]


def uitkomst_key(uitkomst: Uitkomst) -> str:
    """The node key of an outcome, e.g. `uitkomst:melden/acuut-gevaar`."""
    return f"uitkomst:{uitkomst.id}" + (f"/{uitkomst.reden}" if uitkomst.reden else "")


def wacht_key(vraag_id: str) -> str:
    """The node key of the wait after a `vereist` question."""
    return f"wacht:{vraag_id}"


def bouw(flow: Flow) -> Graaf:
    """Explore every path of `flow` with the engine and collect its nodes and edges."""
    refs = _verwijzingen(flow)
    labels: dict[str, dict[Waarde, str]] = {}

    def keuzes(vraag: AnyVraag) -> list[Waarde]:
        paren = _antwoorden(vraag, refs.get(vraag.id, set()))
        labels[vraag.id] = {check_antwoord(vraag, w): label for label, w in paren}
        return list(reversed(labels[vraag.id]))

    gelezen = tuple(sorted(refs))

    def sleutel(w: engine.Walk) -> tuple[object, ...]:
        assert w.volgende is not None  # noqa: S101 - only cases that go on are compared
        return w.volgende.id, _projectie(w.gegeven, gelezen)

    pijlen: dict[tuple[str, str], Pijl] = {}
    bereikt: dict[str, AnyVraag | None] = {}
    for tak in explore(flow, keuzes, sleutel):
        na, voor = tak.walk, tak.voor
        if voor is not None and voor.volgende is not None:
            _teken(pijlen, voor, labels[voor.volgende.id][tak.waarde], na)
        if na.volgende is not None and na.wacht is None:
            bereikt[na.volgende.id] = na.volgende
    return _graaf(flow, bereikt, pijlen)


def _teken(
    pijlen: dict[tuple[str, str], Pijl], voor: engine.Walk, label: str, na: engine.Walk
) -> None:
    """The edges one answer draws: to the next question, through a new outcome or to an end."""
    assert voor.volgende is not None  # noqa: S101 - an answer was given to it
    vervolg = voor.uitkomst is not None and Status(voor.uitkomst.status) is not Status.WACHT
    keys = [voor.volgende.id, *_volgende_knopen(voor.uitkomst, na)]
    for i, (van, naar) in enumerate(itertools.pairwise(keys)):
        pijl = pijlen.setdefault((van, naar), Pijl(van, naar))
        tekst = label if i == 0 else VERDER
        if tekst not in pijl.labels:
            pijl.labels.append(tekst)
        pijl.alleen_vervolg &= vervolg or i > 0


def pad_van(flow: Flow, state: State) -> tuple[str, ...]:
    """The node keys a case went through, for highlighting its path in the diagram."""
    gegeven = {a.vraag_id: a for a in state.antwoorden}
    keys: list[str] = []
    vorige: list[Uitkomst | None] = [None]

    def fill(vraag: AnyVraag, uitkomst: Uitkomst | None, _: object) -> Antwoord | None:
        if uitkomst is not None and uitkomst != vorige[-1]:
            keys.append(uitkomst_key(uitkomst))
        keys.append(vraag.id)
        vorige.append(uitkomst)
        antwoord = gegeven.get(vraag.id)
        if antwoord is None:
            return None
        return antwoord.model_copy(update={"waarde": check_antwoord(vraag, antwoord.waarde)})

    eind = engine.walk(flow, engine.replay_by(flow, State(sector=state.sector), fill))
    if keys and keys[-1] in gegeven:  # the last answer ended the path, or made it wait
        keys += _volgende_knopen(vorige[-1], eind)
    if keys and keys[-1] not in gegeven and not keys[-1].startswith(("uitkomst:", "wacht:", EINDE)):
        keys.pop()  # the question the case is at now has not been answered yet
    return tuple(keys)


def _volgende_knopen(voor: Uitkomst | None, na: engine.Walk) -> list[str]:
    """The nodes reached by one answer: a new outcome and/or the next question, or an end."""
    if na.wacht is not None:
        return [wacht_key(na.wacht.vraag_id)]
    nieuw = na.uitkomst if na.uitkomst is not None and na.uitkomst != voor else None
    keys = [uitkomst_key(nieuw)] if nieuw is not None else []
    if na.volgende is not None:
        keys.append(na.volgende.id)
    elif nieuw is None:
        keys.append(EINDE if na.uitkomst is not None else GEEN_UITKOMST)
    return keys


def _verwijzingen(flow: Flow) -> dict[str, set[str]]:
    """Question id → the answer values that some condition of the flow tests for."""
    refs: dict[str, set[str]] = {}

    def visit(als: Voorwaarde | None) -> None:
        if als is None:
            return
        for vraag_id in als.beantwoord or ():
            refs.setdefault(vraag_id, set())
        for vraag_id, waarden in (als.antwoord or {}).items():
            refs.setdefault(vraag_id, set()).update(str(w) for w in waarden)
        for sub in (*(als.alle or ()), *(als.een_van or ()), als.niet):
            visit(sub)

    for item in (*flow.vragen, *flow.uitkomsten):
        visit(item.als)
    for v in flow.vragen:
        visit(v.vereist_als)  # a wait that holds only for some answers (special forms)
    return refs


def _antwoorden(vraag: AnyVraag, getest: set[str]) -> list[tuple[str, Waarde]]:
    """(edge label, answer) pairs that together take every branch of `vraag`."""
    if vraag.soort == "ja-nee":
        paren: list[tuple[str, Waarde]] = [("ja", "ja"), ("nee", "nee")]
    elif vraag.soort == "keuze":
        paren = [(_kort(o.label), o.id) for o in vraag.opties]
    elif vraag.soort == "meerkeuze":
        paren = [(_kort(o.label), (o.id,)) for o in vraag.opties if o.id in getest]
        anders = [o.id for o in vraag.opties if o.id not in getest]
        paren += [("andere keuze", (anders[0],))] if anders else []
    else:
        paren = [("ingevuld", SAMPLE_DATUM if vraag.soort == "datum" else SAMPLE_TEKST)]
    return paren if vraag.verplicht else [*paren, ("leeg", None)]


@functools.cache
def _kort(label: str) -> str:
    """An option's label as an edge label: its head word(s), e.g. `Veiligheid`, not its id."""
    kop = label.split(":", 1)[0].split(" (", 1)[0]
    return kort(kop, 46)


def _projectie(gegeven: Mapping[str, Waarde], gelezen: tuple[str, ...]) -> tuple[object, ...]:
    """What of the answers can still change the path: the answers conditions look at."""
    return tuple((k, k in gegeven, gegeven.get(k)) for k in gelezen)


def _graaf(
    flow: Flow, bereikt: Mapping[str, AnyVraag | None], pijlen: Mapping[tuple[str, str], Pijl]
) -> Graaf:
    knopen = [Knoop(v.id, _wrap(v.tekst), stap=v.stap) for v in flow.vragen if v.id in bereikt]
    terminal: dict[str, Knoop] = {}
    for regel in flow.uitkomsten:
        u = regel.uitkomst
        regels = [NAMEN[u.id]]
        if u.reden and u.id != "medewerkersroute":  # its reden is the sector: the whole graph
            afsluitredenen = {o.id: o.label for o in flow.afsluitredenen}
            regels += _wrap(f"Reden: {reden_naam(u.reden, afsluitredenen)}")
        regels += [f"meldnorm {u.meldnorm}"] if u.meldnorm else []
        key = uitkomst_key(u)
        terminal.setdefault(key, Knoop(key, tuple(regels), kind=KINDS[u.id]))
    # The end of a walk-on first, then the waits in flow order: not in the order the paths
    # happened to be explored.
    ids = [v.id for v in flow.vragen]
    eind = sorted(
        {p.naar for p in pijlen.values()},
        key=lambda k: (
            k == GEEN_UITKOMST,
            k != EINDE,
            ids.index(k[6:]) if k[:6] == "wacht:" else 0,
        ),
    )
    for key in eind:
        if key.startswith("wacht:"):
            vraag = flow.vraag(key.removeprefix("wacht:"))
            tekst = f"Wacht: {vraag.vereist_uitleg or vraag.tekst}"
            terminal[key] = Knoop(key, _wrap(tekst), kind="wacht")
        elif key in (EINDE, GEEN_UITKOMST):
            terminal[key] = Knoop(key, _wrap(EINDE_TEKST[key]), kind="einde")
    alle = [*knopen, *terminal.values()]
    volgorde = {k.key: i for i, k in enumerate(alle)}
    return Graaf(
        sector=flow.sector.id,
        titel=f"Meldcode, sector {flow.sector.id} ({flow.sector.naam}), versie {flow.versie}",
        stappen={s: f"Stap {s.removeprefix('stap-')}: {n}" for s, n in flow.stap_namen.items()},
        knopen=tuple(alle),
        pijlen=tuple(sorted(pijlen.values(), key=lambda p: (volgorde[p.van], volgorde[p.naar]))),
    )


# Narrow blocks: the steps stand side by side on a wide (16:9) screen.
BREEDTE = 30


def _wrap(tekst: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(" ".join(tekst.split()), BREEDTE)) or ("",)
