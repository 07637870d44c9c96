"""YAML flow files → checked, frozen models; sector overlays; every failure a located FlowError.

Three jobs, one module each: `yaml_source` (located YAML and Dutch problems), `files` (the flow
files of a folder, `FlowSet`) and `overlay` (one sector's flow). Nothing here validates a whole
flow: `meldcode.flows` loads *and* checks, and is what commands use.
"""

from meldcode.loading.files import (
    FlowSet,
    Located,
    clear_cache,
    flows_dir,
    flowset,
    load_flowset,
    shipped_dir,
)
from meldcode.loading.overlay import assemble
from meldcode.loading.yaml_source import (
    Loader,
    YamlFout,
    line_of,
    parse,
    parse_yaml,
    read_yaml,
)

__all__ = [
    "FlowSet",
    "Loader",
    "Located",
    "YamlFout",
    "assemble",
    "clear_cache",
    "flows_dir",
    "flowset",
    "line_of",
    "load_flowset",
    "parse",
    "parse_yaml",
    "read_yaml",
    "shipped_dir",
]
