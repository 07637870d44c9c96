"""A sector's flow as a diagram, Mermaid or Graphviz DOT, for `meldcode graaf`.

`explore` walks every path with the engine into a `Graaf`; `diagram` writes that as text.
"""

from meldcode.graph.diagram import KLEUREN, dot, mermaid, node_id, render
from meldcode.graph.explore import Graaf, Knoop, Pijl, bouw, pad_van, uitkomst_key, wacht_key

__all__ = [
    "KLEUREN",
    "Graaf",
    "Knoop",
    "Pijl",
    "bouw",
    "dot",
    "mermaid",
    "node_id",
    "pad_van",
    "render",
    "uitkomst_key",
    "wacht_key",
]
