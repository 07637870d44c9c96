"""What `meldcode start` does on its way to the first question (design.md §7).

Functional guards, not timings: benchmarks/bench_session.py times the start. The import list is
read while the first question is on screen (`python -X importtime` writes each import as it
ends), so what runs after it does not count.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from inprocess import run_meldcode
from meldcode.loading import load_flowset, shipped_dir

EERSTE_VRAAG = "acuut gevaar voor"
TIMEOUT = 20  # a 2-core CI box with a cold disk can be slow
# Not needed to ask the first question: rich draws summaries and lists, the checks validate
# flows that CI has not seen, and the others serve other commands.
START_LAADT_NIET = (
    "rich",
    "meldcode.checks",
    "meldcode.render",
    "meldcode.practice",
    "meldcode.dossier",
    "meldcode.graph",
)


def imports_at_first_question(home: Path, extra: dict[str, str] | None = None) -> set[str]:
    """The modules `meldcode start --sector basis`, in a pseudo-terminal, has imported by the
    time its first question is on screen."""
    log = home / "importtime.txt"
    env = {
        **os.environ,
        **(extra or {}),
        "MELDCODE_HOME": str(home),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    # stderr to the log, so that the terminal shows only what a person sees.
    script = 'exec "$0" -X importtime -m meldcode start --sector basis 2>"$1"'
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", script, sys.executable, str(log)],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=TIMEOUT,
    )
    try:
        child.expect(EERSTE_VRAAG)
        tekst = log.read_text(encoding="utf-8")
    finally:
        child.terminate(force=True)
        child.close()
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in tekst.splitlines()
        if line.startswith("import time:")
    }


def loads(modules: set[str], name: str) -> bool:
    """Whether package or module `name`, or any module inside it, is among `modules`."""
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.fixture(scope="module")
def start_modules(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules `start` with the shipped flows imports before its first question."""
    return imports_at_first_question(tmp_path_factory.mktemp("home"))


@pytest.mark.parametrize("name", ["questionary", "meldcode.flows", "meldcode.store.sqlite"])
def test_start_import_list_sees_the_walk(start_modules: set[str], name: str) -> None:
    """The import list is real: it shows `start` loading the prompt, the flows and the store."""
    assert loads(start_modules, name)


@pytest.mark.parametrize("name", START_LAADT_NIET)
def test_start_does_not_import_before_the_first_question(
    start_modules: set[str], name: str
) -> None:
    """`start` asks its first question without loading what only later steps or other commands
    need; the shipped flows are checked in CI, not at every start."""
    assert not loads(start_modules, name)


def test_start_checks_own_flows_before_the_first_question(tmp_path: Path, flows_copy: Path) -> None:
    """An organisation's own flows (MELDCODE_FLOWS), which CI has not seen, are still checked
    whole before the first question."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    modules = imports_at_first_question(home, {"MELDCODE_FLOWS": str(flows_copy)})
    assert loads(modules, "meldcode.checks")


def test_importing_the_cli_leaves_the_collector_as_it_was() -> None:
    """Loading meldcode.cli pauses the garbage collector only while it loads (the tests and
    any program that imports it keep their own settings)."""
    code = (
        "import gc; voor = (gc.isenabled(), gc.get_threshold()); import meldcode.cli; "
        "print(voor == (gc.isenabled(), gc.get_threshold()))"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert "True" == proc.stdout.strip()


def test_main_gives_the_collector_thresholds_back() -> None:
    """`main()` collects garbage in larger batches while it runs, and afterwards the calling
    process has its own thresholds again."""
    voor = gc.get_threshold()
    result = run_meldcode(["--version"])
    assert (0, voor) == (result.returncode, gc.get_threshold())


def test_oefen_checks_the_shipped_cases_on_own_flows(home: Path, flows_copy: Path) -> None:
    """`oefen` replays the shipped practice cases only where CI has not: on an organisation's
    own flows it still names a case that no longer fits them (here: its sector is gone)."""
    sectoren = flows_copy / "afwegingskader" / "sectoren.yaml"
    tekst = sectoren.read_text(encoding="utf-8")
    sectoren.write_text(tekst[: tekst.index("  - id: wmo")], encoding="utf-8")
    (flows_copy / "afwegingskader" / "wmo.yaml").unlink()
    env = {"MELDCODE_HOME": str(home), "MELDCODE_FLOWS": str(flows_copy)}
    assert 0 == run_meldcode(["valideer"], env=env).returncode  # the flows themselves are fine
    result = run_meldcode(["oefen"], env=env)
    assert (2, True) == (result.returncode, "wmo-geld-van-moeder.yaml:4: MC210" in result.stderr)


def test_shipped_overlays_read_as_needed_are_those_read_whole() -> None:
    """Every shipped overlay is named after its sector, so reading each when it is needed gives
    the same overlays as reading them all at once (which `meldcode valideer` and CI do)."""
    heel = load_flowset(shipped_dir()).overlays
    per_sector = load_flowset(shipped_dir(), shipped=True).overlays
    assert (list(heel), dict(heel)) == (list(per_sector), dict(per_sector))


# Which flow files a fresh process opens for one sector's flow, as `start --sector` loads it.
GEOPEND = """
import sys
from pathlib import Path
geopend = []
sys.addaudithook(lambda e, a: geopend.append(Path(a[0]).name) if e == "open" else None)
from meldcode.flows import flowset, load_flow
flowset()
load_flow(sys.argv[1])
print(" ".join(sorted({n for n in geopend if n.endswith(".yaml")})))
"""


@pytest.mark.parametrize(
    ("sector", "bestanden"),
    [
        ("basis", "basis.yaml sectoren.yaml"),
        ("zorg", "basis.yaml sectoren.yaml zorg.yaml"),
    ],
)
def test_one_sector_reads_only_its_own_overlay(sector: str, bestanden: str) -> None:
    """With the shipped flows, a sector's flow reads the steps, the kader, the sector list and
    that sector's overlay only: not the overlays of the other sectors."""
    stappen = " ".join(f"stap-{n}.yaml" for n in range(1, 6))
    env = {k: v for k, v in os.environ.items() if k != "MELDCODE_FLOWS"}
    proc = subprocess.run(
        [sys.executable, "-c", GEOPEND, sector], env=env, check=True, capture_output=True, text=True
    )
    assert " ".join(sorted(f"{bestanden} {stappen}".split())) == proc.stdout.strip()
