"""`meldcode graaf`: the flow of a sector as a Mermaid or DOT diagram that really parses."""

from __future__ import annotations

import functools
import random
import re
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pydot
import pytest
from typer.testing import CliRunner

from meldcode import engine, graph
from meldcode.cli import app
from meldcode.engine.answers import check_antwoord
from meldcode.flows import flowset, load_flow
from meldcode.model import Antwoord, AnyVraag, Flow, State, Waarde
from meldcode.text.phrases import kort, reden_naam

with warnings.catch_warnings():
    # NOTE: pydot's parser module uses pyparsing names that pyparsing 3.3 deprecates, and warns
    # once at import; the warning is pydot's, not ours (pytest turns warnings into errors).
    warnings.simplefilter("ignore", DeprecationWarning)
    import pydot.dot_parser

SECTOREN = flowset().sector_ids()
KIND = {  # design.md §6: the outcome ids and the colour group each belongs to
    "afsluiten": "afsluiten", "hulp-bieden": "hulp", "hulp-afsluiten": "hulp",
    "melden": "melden", "medewerkersroute": "medewerkersroute",
}

# --- a strict checker for the Mermaid subset meldcode writes ---------------------------------

ID = r"[A-Za-z_][A-Za-z0-9_]*"
# Inside quotes: no raw quote, #, <, >, &, |, backtick or backslash; only entity codes and <br/>.
LABEL = r'(?:[^"#<>&|`\\\n]|#\d+;|<br/>)*'
RESERVED = {"end", "graph", "subgraph", "flowchart", "class", "classDef", "style", "linkStyle"}
MERMAID_LINES = {
    "subgraph": re.compile(rf'^    subgraph (?P<id>{ID})\["(?P<label>{LABEL})"\]$'),
    "end": re.compile(r"^    end$"),
    "direction": re.compile(r"^        direction TB$"),
    "node": re.compile(
        rf'^ {{4,8}}(?P<id>{ID})(?P<open>\[|\(\[)"(?P<label>{LABEL})"(?P<close>\]|\]\))$'
    ),
    "edge": re.compile(
        rf'^    (?P<van>{ID}) (?P<pijl>-->|-\.->)(?:\|"(?P<label>{LABEL})"\|)? (?P<naar>{ID})$'
    ),
    "classdef": re.compile(r"^    classDef (?P<cls>[a-z]+) [a-z-]+:#?[\w]+(?:,[a-z-]+:#?[\w]+)*$"),
    "class": re.compile(rf"^    class (?P<ids>{ID}(?:,{ID})*) (?P<cls>[a-z]+)$"),
    "linkstyle": re.compile(
        r"^    linkStyle (?P<nrs>\d+(?:,\d+)*) [a-z-]+:#?\w+(?:,[a-z-]+:#?\w+)*$"
    ),
}


@dataclass
class Mermaid:
    """What a Mermaid flowchart defines: nodes with labels and step, edges, classes."""

    nodes: dict[str, str] = field(default_factory=dict)
    stap: dict[str, str | None] = field(default_factory=dict)
    edges: list[tuple[str, str, str | None, bool]] = field(default_factory=list)
    classes: dict[str, set[str]] = field(default_factory=dict)
    links: set[int] = field(default_factory=set)


def unescape(label: str) -> str:
    """A Mermaid label as the reader sees it."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m[1])), label.replace("<br/>", "\n"))


def parse_mermaid(text: str) -> Mermaid:
    """Check every line against the grammar and the structure; fail on the first problem."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    m, subgraph, defined = Mermaid(), None, set()
    for nr, line in enumerate(lines[1:], start=2):
        found = [(k, p.match(line)) for k, p in MERMAID_LINES.items() if p.match(line)]
        kind, match = found[0] if found else (None, None)
        assert match is not None, f"line {nr} is not valid Mermaid: {line!r}"
        if kind == "subgraph":
            assert subgraph is None, f"line {nr}: nested subgraph"
            subgraph = match["id"]
        elif kind == "direction":
            assert subgraph is not None, f"line {nr}: direction outside a subgraph"
        elif kind == "end":
            assert subgraph is not None, f"line {nr}: 'end' without subgraph"
            subgraph = None
        elif kind == "node":
            node = match["id"]
            assert node not in m.nodes, f"line {nr}: node {node} again"
            assert node not in RESERVED, f"line {nr}: {node} is a Mermaid keyword"
            assert (match["open"], match["close"]) in {("[", "]"), ("([", "])")}
            m.nodes[node], m.stap[node] = unescape(match["label"]), subgraph
        elif kind == "edge":
            assert {match["van"], match["naar"]} <= set(m.nodes), f"line {nr}: unknown node"
            label = unescape(match["label"]) if match["label"] is not None else None
            m.edges.append((match["van"], match["naar"], label, match["pijl"] == "-.->"))
        elif kind == "classdef":
            defined.add(match["cls"])
        elif kind == "class":
            assert match["cls"] in defined, f"line {nr}: class without classDef"
            for node in match["ids"].split(","):
                assert node in m.nodes, f"line {nr}: unknown node {node}"
                m.classes.setdefault(node, set()).add(match["cls"])
        else:
            m.links |= {int(n) for n in match["nrs"].split(",")}
    assert subgraph is None, "subgraph not closed"
    assert all(n < len(m.edges) for n in m.links)
    return m


def parse_dot(text: str) -> pydot.Dot:
    """The one graph in `text`, parsed by pydot (once per text: 0.2-0.3 s a diagram; the tests
    only read the parsed graph)."""
    if text not in _PARSED:
        graphs = pydot.graph_from_dot_data(text)
        assert graphs is not None
        assert len(graphs) == 1
        _PARSED[text] = graphs[0]
    return _PARSED[text]


_PARSED: dict[str, pydot.Dot] = {}


def dot_nodes(g: pydot.Dot) -> list[pydot.Node]:
    """Every node statement, also inside the step clusters (not the default `node` lines)."""
    nodes = [*g.get_nodes(), *(n for sg in g.get_subgraphs() for n in sg.get_nodes())]
    # A bare name (in the `rank=sink` group of outcomes) only places a node defined elsewhere.
    return [
        n for n in nodes if n.get_name() not in {"node", "edge", "graph"} and n.get_attributes()
    ]


def attr(item: pydot.Node | pydot.Edge, name: str) -> str | None:
    """An attribute without DOT's quotes."""
    value = item.get(name)
    return None if value is None else str(value).strip('"')


def dot_edges(g: pydot.Dot) -> dict[tuple[str, str], str | None]:
    """(from, to) → label as drawn: an edge written backwards with `dir=back` points forward."""
    edges: dict[tuple[str, str], str | None] = {}
    for e in g.get_edges():
        van, naar = e.get_source(), e.get_destination()
        if attr(e, "dir") == "back":
            van, naar = naar, van
        label = attr(e, "label")
        edges[(str(van), str(naar))] = None if label is None else label.replace("\\n", "\n")
    return edges


# --- the flows --------------------------------------------------------------------------------


def sample(vraag: AnyVraag, rng: random.Random) -> Waarde:
    """A random valid answer, or None for an optional question now and then."""
    if not vraag.verplicht and rng.random() < 0.3:
        return None
    if vraag.soort == "ja-nee":
        return rng.choice(["ja", "nee"])
    if vraag.soort == "keuze":
        return rng.choice(vraag.opties).id
    if vraag.soort == "meerkeuze":
        return tuple(o.id for o in rng.sample(vraag.opties, rng.randint(1, 3)))
    return "2027-03-15" if vraag.soort == "datum" else "tekst"


def reachable(flow: Flow) -> set[str]:
    """Question ids seen on random engine walks (independent of the graph's own exploration)."""
    rng, seen = random.Random(flow.sector.id), set()  # noqa: S311 - test data, not secrets

    def fill(vraag: AnyVraag, *_: object) -> Antwoord:
        # Each question the walk reaches next, answered as advance() would (checked).
        seen.add(vraag.id)
        return Antwoord(vraag_id=vraag.id, waarde=check_antwoord(vraag, sample(vraag, rng)))

    for _ in range(120):
        engine.replay_by(flow, State(sector=flow.sector.id), fill)
    return seen


@functools.cache
def built(sector: str) -> tuple[Flow, graph.Graaf]:
    """The flow of `sector` and its graph, explored once for the tests that only read it."""
    flow = load_flow(sector)
    return flow, graph.bouw(flow)


def rendered(sector: str) -> tuple[Flow, Mermaid, pydot.Dot]:
    """The flow of `sector`, its Mermaid parsed by the checker and its DOT parsed by pydot."""
    flow, g = built(sector)
    return flow, parse_mermaid(graph.mermaid(g)), parse_dot(graph.dot(g))


@pytest.fixture(scope="module", params=SECTOREN)
def sector(request: pytest.FixtureRequest) -> tuple[Flow, Mermaid, pydot.Dot]:
    """Each sector once, in both formats."""
    return rendered(request.param)


@pytest.fixture(scope="module")
def basis() -> Mermaid:
    """The basis flow's Mermaid, parsed."""
    return parse_mermaid(graph.mermaid(built("basis")[1]))


# --- the diagrams -----------------------------------------------------------------------------


def test_every_reachable_question_is_one_node(sector: tuple[Flow, Mermaid, pydot.Dot]) -> None:
    """Every question a case can reach is a node, once, in its step's cluster, in both formats."""
    flow, m, d = sector
    verwacht = {graph.node_id(v) for v in reachable(flow)}
    vragen = {n: s for n, s in m.stap.items() if s is not None}
    assert verwacht <= set(vragen)
    assert {graph.node_id(v.id) for v in flow.vragen} >= set(vragen)
    stap = {graph.node_id(v.id): v.stap.replace("-", "_") for v in flow.vragen}
    assert all(s == stap[n] for n, s in vragen.items())
    dot_names = [n.get_name() for n in dot_nodes(d)]
    assert sorted(dot_names) == sorted(m.nodes)
    assert len(dot_names) == len(set(dot_names))


def test_every_outcome_is_one_node_coloured_by_kind(
    sector: tuple[Flow, Mermaid, pydot.Dot],
) -> None:
    """Each outcome (id and reden) is a terminal node, once, with its kind's class and fill."""
    flow, m, d = sector
    dot_by_name = {n.get_name(): n for n in dot_nodes(d)}
    for regel in flow.uitkomsten:
        node = graph.node_id(graph.uitkomst_key(regel.uitkomst))
        kind = KIND[regel.uitkomst.id]
        assert m.stap[node] is None
        assert {kind} == m.classes[node]
        if regel.uitkomst.reden is not None and regel.uitkomst.id != "medewerkersroute":
            # The reason in words, as the summary says it; never its id (issue 11).
            afsluit = {o.id: o.label for o in flow.afsluitredenen}
            woorden = f"Reden: {reden_naam(regel.uitkomst.reden, afsluit)}"
            assert woorden in " ".join(m.nodes[node].split())
            assert regel.uitkomst.reden not in m.nodes[node]
        uit = [(label, dashed) for van, _, label, dashed in m.edges if van == node]
        assert all(e == ("verder", True) for e in uit)
        assert kind == attr(dot_by_name[node], "class")
        assert attr(dot_by_name[node], "fillcolor") == graph.KLEUREN[kind][0]


def test_branches_are_labelled_with_their_answers(sector: tuple[Flow, Mermaid, pydot.Dot]) -> None:
    """Every edge out of a ja-nee or keuze question carries the answers that take it."""
    flow, m, d = sector
    for vraag in flow.vragen:
        node = graph.node_id(vraag.id)
        uit = [e for e in m.edges if e[0] == node]
        if vraag.soort not in {"ja-nee", "keuze"} or not uit:
            continue
        # Options in words (their label's head), never their ids.
        koppen = {o.label.split(":")[0].split(" (")[0] for o in getattr(vraag, "opties", ())}
        toegestaan = {"ja", "nee", "leeg"} | {kort(k, 46) for k in koppen}
        for _, _, label, _ in uit:
            assert label is not None, vraag.id
            assert set(label.split("\n")) <= toegestaan, (vraag.id, label)
    assert dot_edges(d) == {(e[0], e[1]): e[2] for e in m.edges}


def test_every_question_node_leads_on(sector: tuple[Flow, Mermaid, pydot.Dot]) -> None:
    """No question is a dead end: each has an edge out, and only terminals have none."""
    _, m, _ = sector
    met_uitgang = {e[0] for e in m.edges}
    assert {n for n, s in m.stap.items() if s is not None} <= met_uitgang


def test_vereist_question_leads_to_a_wait_node(sector: tuple[Flow, Mermaid, pydot.Dot]) -> None:
    """A question that must be answered one way (KNMG) has a 'wacht' node for the other answer."""
    flow, m, _ = sector
    for vraag in flow.vragen:
        if vraag.vereist is not None and graph.node_id(vraag.id) in m.nodes:
            wacht = graph.node_id(graph.wacht_key(vraag.id))
            assert {"wacht"} == m.classes[wacht]
            assert any(e[:2] == (graph.node_id(vraag.id), wacht) for e in m.edges)


@pytest.mark.parametrize("sector_id", SECTOREN)
def test_ends_are_listed_in_one_order_in_every_sector(sector_id: str) -> None:
    """After the outcomes: the end of a walk-on, then the waits in flow order, whatever order
    the paths happened to be explored in (artsen listed its wait first before issue 13)."""
    flow, g = built(sector_id)
    ids = [v.id for v in flow.vragen]
    eind = [k.key for k in g.knopen if k.kind in ("einde", "wacht")]
    verwacht = sorted(
        eind, key=lambda k: (k != "einde", ids.index(k[6:]) if k.startswith("wacht:") else 0)
    )
    assert verwacht == eind
    assert "einde" in eind


@pytest.mark.parametrize(
    ("van", "antwoord", "naar"),
    [
        ("acuut-gevaar", "ja", "uitkomst:melden/acuut-gevaar"),
        ("acuut-gevaar", "nee", "signalen"),
        ("afweging-1", "nee", "uitkomst:afsluiten/geen-vermoeden"),
        ("afweging-2", "ja", "uitkomst:melden/acute-of-structurele-onveiligheid"),
        ("afweging-3", "nee", "uitkomst:melden/geen-effectieve-hulp"),
        ("afweging-4", "nee", "uitkomst:melden/hulp-niet-aanvaard"),
        ("afweging-5", "nee", "uitkomst:melden/onvoldoende-resultaat"),
        ("afweging-5", "ja", "uitkomst:hulp-afsluiten/resultaat-bereikt"),
    ],
)
def test_basis_edges_follow_the_afwegingskader(
    basis: Mermaid, van: str, antwoord: str, naar: str
) -> None:
    """In the basis flow each afweging's answer points at its outcome (domain.md §2)."""
    edges = {(e[0], e[1]): e[2] for e in basis.edges if not e[3]}
    label = edges[(graph.node_id(van), graph.node_id(naar))]
    assert label is not None
    assert antwoord in label.split("\n")


def test_walking_on_after_a_melding_is_dashed(basis: Mermaid) -> None:
    """After melden on afweging 2, the way on (samen met Veilig Thuis) is a dashed 'verder'."""
    melding = graph.node_id("uitkomst:melden/acute-of-structurele-onveiligheid")
    assert [(e[2], e[3]) for e in basis.edges if e[0] == melding] == [("verder", True)]


@pytest.mark.parametrize("tekst", ['Zeg "ja" #1 <b> a|b & `c` \\ (x)', "gewoon"])
def test_labels_are_escaped_in_both_formats(tekst: str) -> None:
    """Quotes, #, <, |, & and backslashes in a label keep both syntaxes valid and read back."""
    g = graph.Graaf(
        sector="test", titel=tekst, stappen={"stap-1": tekst},
        knopen=(
            graph.Knoop("a", (tekst,), stap="stap-1"),
            graph.Knoop("uitkomst:melden", (tekst,), kind="melden"),
        ),
        pijlen=(graph.Pijl("a", "uitkomst:melden", [tekst, "ja"], alleen_vervolg=False),),
    )
    m = parse_mermaid(graph.mermaid(g))
    assert tekst == m.nodes["v_a"]
    assert f"{tekst}\nja" == m.edges[0][2]
    d = parse_dot(graph.dot(g))
    assert tekst == (attr(dot_nodes(d)[0], "label") or "").replace('\\"', '"').replace("\\\\", "\\")


# --- a case's path ----------------------------------------------------------------------------

PAD = ("acuut-gevaar", "uitkomst:melden/acuut-gevaar")


def test_pad_is_highlighted_in_mermaid() -> None:
    """The nodes and the edge of a case's path get the 'pad' class and a thick link style."""
    m = parse_mermaid(graph.mermaid(built("basis")[1], PAD))
    assert {n for n, c in m.classes.items() if "pad" in c} == {graph.node_id(k) for k in PAD}
    assert [(graph.node_id(PAD[0]), graph.node_id(PAD[1]))] == [m.edges[i][:2] for i in m.links]


def test_pad_is_highlighted_in_dot() -> None:
    """Nodes and the edge on the path get a thick pen in DOT; nothing else does."""
    d = parse_dot(graph.dot(built("basis")[1], PAD))
    dik = {n.get_name() for n in dot_nodes(d) if attr(n, "penwidth") == "3"}
    assert dik == {graph.node_id(k) for k in PAD}
    dik_edges = [e for e in d.get_edges() if attr(e, "penwidth") == "3"]
    edges = [(e.get_source(), e.get_destination()) for e in dik_edges]
    assert [(graph.node_id(PAD[0]), graph.node_id(PAD[1]))] == edges


def test_pad_van_follows_a_case_to_its_outcome() -> None:
    """The path of a case is its questions in order, then its outcome, as node keys."""
    flow = load_flow("basis")
    state = engine.replay(flow, State(sector="basis"), {"acuut-gevaar": "ja"})
    assert graph.pad_van(flow, state) == PAD


def test_a_case_without_answers_has_an_empty_pad() -> None:
    """A case that has answered nothing yet highlights nothing."""
    assert graph.pad_van(load_flow("basis"), State(sector="basis")) == ()


def test_exploring_a_sector_is_fast_enough_for_the_cli() -> None:
    """Building the graph of the sector with the most questions takes under 200 ms of processor
    time (best of 3; processor time, so other processes on a busy machine do not count)."""
    flow = max((load_flow(s) for s in SECTOREN), key=lambda f: len(f.vragen))
    tijden = []
    for _ in range(3):
        start = time.process_time()
        graph.bouw(flow)
        tijden.append(time.process_time() - start)
    assert min(tijden) < 0.2


# --- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formaat", "begin"), [("mermaid", "flowchart LR\n"), ("dot", 'digraph "meldcode_')]
)
def test_graaf_prints_the_diagram(formaat: str, begin: str) -> None:
    """Without --uitvoer the diagram goes to stdout, and it parses."""
    result = CliRunner().invoke(app, ["graaf", "--sector", "basis", "--formaat", formaat])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(begin)
    if formaat == "mermaid":
        parse_mermaid(result.stdout)
    else:
        parse_dot(result.stdout)


def test_graaf_writes_an_owner_only_file(tmp_path: Path) -> None:
    """--uitvoer writes a new file with mode 0600."""
    doel = tmp_path / "basis.dot"
    result = CliRunner().invoke(app, ["graaf", "--formaat", "dot", "--uitvoer", str(doel)])
    assert result.exit_code == 0, result.output
    assert doel.stat().st_mode & 0o777 == 0o600
    parse_dot(doel.read_text(encoding="utf-8"))


def test_graaf_refuses_to_overwrite(tmp_path: Path) -> None:
    """An existing file is left alone, with exit 2 and a Dutch hint at --overschrijf."""
    doel = tmp_path / "basis.mmd"
    doel.write_text("van mij", encoding="utf-8")
    result = CliRunner().invoke(app, ["graaf", "--uitvoer", str(doel)])
    assert result.exit_code == 2
    assert "bestaat al" in result.stderr
    assert "--overschrijf" in result.stderr
    assert doel.read_text(encoding="utf-8") == "van mij"


def test_graaf_overschrijf_replaces_and_tightens_mode(tmp_path: Path) -> None:
    """With --overschrijf the file is replaced and made owner-only."""
    doel = tmp_path / "basis.mmd"
    doel.write_text("oud", encoding="utf-8")
    doel.chmod(0o644)
    result = CliRunner().invoke(app, ["graaf", "--uitvoer", str(doel), "--overschrijf"])
    assert result.exit_code == 0, result.output
    assert doel.stat().st_mode & 0o777 == 0o600
    parse_mermaid(doel.read_text(encoding="utf-8"))


def test_graaf_unknown_sector_exits_2() -> None:
    """An unknown sector exits 2 and names the sectors there are."""
    result = CliRunner().invoke(app, ["graaf", "--sector", "onbekend"])
    assert result.exit_code == 2
    assert "Sector 'onbekend' bestaat niet" in result.stderr
    assert "basis" in result.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
@pytest.mark.parametrize("sector_id", SECTOREN)
def test_dot_renders_with_graphviz(sector_id: str) -> None:
    """Graphviz itself renders every sector's DOT to SVG without a warning."""
    tekst = graph.dot(built(sector_id)[1])
    result = subprocess.run(
        ["dot", "-Tsvg"], input=tekst, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "<svg" in result.stdout


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_graaf_svg_draws_a_wide_picture_with_graphviz() -> None:
    """--formaat svg is Graphviz's drawing, wider than high: the steps stand side by side."""
    result = CliRunner().invoke(app, ["graaf", "--sector", "basis", "--formaat", "svg"])
    assert result.exit_code == 0, result.output
    maat = re.search(r'<svg width="(\d+)pt" height="(\d+)pt"', result.stdout)
    assert maat is not None
    breedte, hoogte = int(maat[1]), int(maat[2])
    assert breedte > 16 / 9 * hoogte, (breedte, hoogte)


def test_graaf_svg_without_graphviz_explains_and_exits_2(tmp_path: Path) -> None:
    """Without `dot` on PATH, --formaat svg says what to install, in Dutch, and exits 2."""
    result = CliRunner().invoke(
        app, ["graaf", "--formaat", "svg"], env={"PATH": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert "Graphviz" in result.stderr
    assert "--formaat dot" in result.stderr
    assert "Traceback" not in result.output


def test_readme_shows_the_current_basis_graph() -> None:
    """docs/oefenen.md's Mermaid block is what `meldcode graaf --sector basis` prints now."""
    readme = (Path(__file__).parents[1] / "docs" / "oefenen.md").read_text(encoding="utf-8")
    blok = re.search(r"^```mermaid\n(.*?)^```$", readme, flags=re.M | re.S)
    assert blok is not None
    assert blok[1] == graph.render(load_flow("basis"), "mermaid"), (
        "docs/oefenen.md is stale: paste the output of 'meldcode graaf --sector basis' there"
    )


def test_graaf_casus_highlights_the_path_of_a_stored_case(tmp_path: Path) -> None:
    """`graaf --casus ID` marks the questions the stored case answered and its outcome."""
    from meldcode.engine import replay
    from meldcode.model import State
    from meldcode.store import open_store
    from meldcode.walk.recorder import Recorder

    flow = load_flow("basis")
    store = open_store(home=tmp_path)
    recorder = Recorder.start(store, flow)
    antwoorden = {"acuut-gevaar": "nee", "signalen": ["partnergeweld"],
                  "signalen-beschrijving": "feit", "kindcheck": "nee",
                  "kindcheck-toelichting": None,
                  "collegiale-consultatie": "advies", "veilig-thuis-geraadpleegd": "nee",
                  "letselduiding": None, "gesprek-gevoerd": "ja", "gesprek-verslag": None,
                  "weging": None, "eindverantwoordelijke": None, "afweging-1": "nee"}
    state = replay(flow, State(sector="basis"), antwoorden)
    for vraag_id in antwoorden:
        vraag = flow.vraag(vraag_id)
        antwoord = next(a for a in state.antwoorden if a.vraag_id == vraag_id)
        recorder.antwoord(vraag, antwoord, state)
    casus_id = recorder.casus.id
    recorder.close()
    store.close()

    result = CliRunner().invoke(app, ["graaf", "--casus", casus_id],
                                env={"MELDCODE_HOME": str(tmp_path)})
    assert 0 == result.exit_code, result.output
    assert "class " in result.output
    assert graph.render(flow, "mermaid", graph.pad_van(flow, state)) == result.output
    assert graph.render(flow, "mermaid") != result.output


def test_graaf_unknown_casus_exits_2(tmp_path: Path) -> None:
    """`graaf --casus` with an id the store does not have exits 2 with a Dutch message."""
    result = CliRunner().invoke(app, ["graaf", "--casus", "mc-xxxx-xxxx"],
                                env={"MELDCODE_HOME": str(tmp_path)})
    assert 2 == result.exit_code
    assert "bestaat niet" in result.output


def test_graaf_casus_of_an_older_flow_version_says_so(tmp_path: Path) -> None:
    """A case walked with flows whose options no longer exist: exit 2 naming the flow version,
    not an 'invalid answer' the user never gave."""
    from meldcode.store import open_store
    from meldcode.store.log import NieuwEvent

    store = open_store(home=tmp_path)
    casus = store.create(sector="basis", flow_versie="2025.9", flow_hash="sha256:oud")
    store.append(casus, NieuwEvent(soort="antwoord", stap="stap-1", vraag="acuut-gevaar",
                                   antwoord="nee"))
    casus = store.get(casus.id)
    store.append(casus, NieuwEvent(soort="antwoord", stap="stap-1", vraag="signalen",
                                   antwoord=["vervallen-signaal"]))
    store.close()
    result = CliRunner().invoke(app, ["graaf", "--casus", casus.id],
                                env={"MELDCODE_HOME": str(tmp_path)})
    assert (2, True) == (result.exit_code, "flowversie 2025.9" in result.output), result.output
