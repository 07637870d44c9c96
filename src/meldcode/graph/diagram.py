"""An explored flow (`Graaf`) as text: Mermaid for Markdown, Graphviz DOT for images."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from meldcode.graph.explore import EINDE, Graaf, Knoop, Pijl, bouw
from meldcode.model import Flow

# Labels of answers that do not choose a branch; left off where they would only add noise.
VRIJ = frozenset({"ingevuld", "leeg", "andere keuze"})
# (fill, stroke) per node class; `pad` marks the path of one case.
KLEUREN: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "afsluiten": ("#e2e3e5", "#41464b"),
        "hulp": ("#d1e7dd", "#0f5132"),
        "melden": ("#f8d7da", "#842029"),
        "medewerkersroute": ("#e0cffc", "#3d0a91"),
        "wacht": ("#fff3cd", "#664d03"),
        "einde": ("#ffffff", "#6c757d"),
    }
)
PAD_KLEUR = "#0d6efd"


def node_id(key: str) -> str:
    """A node id safe in Mermaid and DOT: questions get `v_`, so no id is a keyword."""
    veilig = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
    return veilig if ":" in key or key == EINDE else f"v_{veilig}"


def stap_id(stap: str) -> str:
    """The id of a step's cluster: `stap_1` (DOT: `cluster_stap_1`)."""
    return stap.replace("-", "_")


def edge_label(graaf: Graaf, pijl: Pijl) -> str | None:
    """The edge's answers joined; None where no answer chooses (free text, one way on)."""
    gewoon = [p for p in graaf.pijlen if p.van == pijl.van and not p.alleen_vervolg]
    if len(gewoon) <= 1 and all(set(p.labels) <= VRIJ for p in (pijl, *gewoon)):
        return None
    return " / ".join(pijl.labels)


def _pad_pijlen(graaf: Graaf, pad: Sequence[str]) -> set[tuple[str, str]]:
    stappen = set(itertools.pairwise(pad))
    return {(p.van, p.naar) for p in graaf.pijlen if (p.van, p.naar) in stappen}


def _stappen(graaf: Graaf) -> Iterator[tuple[str, str, list[Knoop]]]:
    for stap, naam in graaf.stappen.items():
        knopen = [k for k in graaf.knopen if k.stap == stap]
        if knopen:
            yield stap, naam, knopen


def mermaid(graaf: Graaf, pad: Sequence[str] | None = None) -> str:
    """The flowchart in Mermaid syntax, as GitHub and GitLab render it in Markdown."""
    pad = tuple(pad or ())
    # Left to right: a wide screen holds the steps side by side (a projector is 16:9).
    regels = ["flowchart LR"]
    for stap, naam, knopen in _stappen(graaf):
        regels.append(f'    subgraph {stap_id(stap)}["{_mm(naam)}"]')
        regels.append("        direction TB")
        regels += [f'        {node_id(k.key)}["{_mm_label(k)}"]' for k in knopen]
        regels.append("    end")
    regels += [f'    {node_id(k.key)}(["{_mm_label(k)}"])' for k in graaf.knopen if k.stap is None]
    op_pad = _pad_pijlen(graaf, pad)
    nummers = []
    for i, p in enumerate(graaf.pijlen):
        pijl = "-.->" if p.alleen_vervolg else "-->"
        label = edge_label(graaf, p)
        tekst = f'|"{_mm(label).replace(" / ", "<br/>")}"|' if label else ""
        regels.append(f"    {node_id(p.van)} {pijl}{tekst} {node_id(p.naar)}")
        if (p.van, p.naar) in op_pad:
            nummers.append(str(i))
    for kind, (fill, stroke) in KLEUREN.items():
        ids = [node_id(k.key) for k in graaf.knopen if k.kind == kind]
        if ids:
            regels.append(f"    classDef {kind} fill:{fill},stroke:{stroke},color:#000000")
            regels.append(f"    class {','.join(ids)} {kind}")
    gemarkeerd = [node_id(k.key) for k in graaf.knopen if k.key in pad]
    if gemarkeerd:
        regels.append(f"    classDef pad stroke:{PAD_KLEUR},stroke-width:4px")
        regels.append(f"    class {','.join(gemarkeerd)} pad")
    if nummers:
        regels.append(f"    linkStyle {','.join(nummers)} stroke:{PAD_KLEUR},stroke-width:4px")
    return "\n".join(regels) + "\n"


def _mm(tekst: str) -> str:
    """Escape text for a quoted Mermaid label with entity codes."""
    return "".join(f"#{ord(c)};" if c in '#"&<>|`\\' else c for c in tekst)


def _mm_label(knoop: Knoop) -> str:
    return "<br/>".join(_mm(r) for r in knoop.label)


def dot(graaf: Graaf, pad: Sequence[str] | None = None) -> str:
    """The flowchart in Graphviz DOT: one column per step, then a column of outcomes.

    Steps side by side and each step's questions under each other fit a wide (16:9) screen;
    edges within a step run down its column, edges to the next step to the right.
    """
    pad = tuple(pad or ())
    regels = [
        f"digraph {_dq('meldcode_' + graaf.sector)} {{",
        "    graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.6, fontname=Helvetica,",
        f"           labelloc=t, label={_dq(graaf.titel)}];",
        "    node [shape=box, style=rounded, fontname=Helvetica, fontsize=10];",
        "    edge [fontname=Helvetica, fontsize=9];",
    ]
    accent = f"penwidth=3, color={_dq(PAD_KLEUR)}"
    for stap, naam, knopen in _stappen(graaf):
        regels.append(f"    subgraph cluster_{stap_id(stap)} {{")
        regels.append(f'        label={_dq(naam)}; style=rounded; color="#adb5bd"; rank=same;')
        for k in knopen:
            extra = f", {accent}" if k.key in pad else ""
            regels.append(f"        {node_id(k.key)} [label={_dq(chr(10).join(k.label))}{extra}];")
        regels.append("    }")
    for k in graaf.knopen:
        if k.stap is None and k.kind is not None:
            fill, stroke = KLEUREN[k.kind]
            kleur = accent if k.key in pad else f"color={_dq(stroke)}"
            regels.append(
                f"    {node_id(k.key)} [label={_dq(chr(10).join(k.label))}, "
                f'style="rounded,filled", fillcolor={_dq(fill)}, {kleur}, class={_dq(k.kind)}];'
            )
    terminals = [node_id(k.key) for k in graaf.knopen if k.stap is None]
    if terminals:
        regels.append(f"    {{ rank=sink; {'; '.join(terminals)}; }}")
    op_pad = _pad_pijlen(graaf, pad)
    stap_van = {k.key: k.stap for k in graaf.knopen}
    for p in graaf.pijlen:
        attrs = []
        label = edge_label(graaf, p)
        if label:
            attrs.append(f"label={_dq(label.replace(' / ', chr(10)))}")
        if p.alleen_vervolg:
            attrs.append("style=dashed")
        if (p.van, p.naar) in op_pad:
            attrs.append(accent)
        van, naar = node_id(p.van), node_id(p.naar)
        if stap_van.get(p.van) is not None and stap_van.get(p.van) == stap_van.get(p.naar):
            # NOTE: within a column dot puts an edge's head above its tail; written the other
            # way round and drawn back, the questions read from top to bottom.
            van, naar = naar, van
            attrs.append("dir=back")
        else:
            attrs.append("weight=0")  # each column from the top, no staircase of steps
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        regels.append(f"    {van} -> {naar}{suffix};")
    regels.append("}")
    return "\n".join(regels) + "\n"


def _dq(tekst: str) -> str:
    """A DOT quoted string; newlines become DOT's centred line breaks."""
    escaped = tekst.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def svg(graaf: Graaf, pad: Sequence[str] | None = None) -> str:
    """The DOT diagram drawn by Graphviz as SVG; GraphvizMissing when `dot` is not installed."""
    import shutil
    import subprocess

    from meldcode.errors import GraphvizMissing

    programma = shutil.which("dot")
    if programma is None:
        raise GraphvizMissing
    # A fixed program found on PATH, our own DOT text on stdin: no shell, no user input.
    klaar = subprocess.run(
        [programma, "-Tsvg"],
        input=dot(graaf, pad),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    if klaar.returncode != 0:
        msg = f"Graphviz could not draw the diagram: {klaar.stderr.strip()[:500]}"
        raise RuntimeError(msg)
    return klaar.stdout


FORMATEN: Mapping[str, Callable[[Graaf, Sequence[str] | None], str]] = MappingProxyType(
    {"mermaid": mermaid, "dot": dot, "svg": svg}
)


def render(flow: Flow, formaat: str, pad: Sequence[str] | None = None) -> str:
    """The diagram of `flow` in `formaat` (`mermaid`, `dot` or `svg`), with `pad` highlighted."""
    return FORMATEN[formaat](bouw(flow), pad)
