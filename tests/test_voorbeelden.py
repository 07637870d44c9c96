"""Every command example in the README and in docs/ runs as written (issue 13 point 5).

An example is a line `$ meldcode ...` inside a ``` block. The examples of one page run in
order, in one fresh MELDCODE_HOME, as a reader following the page would:

- the working folder is like the root of a checkout (`stappen/`, `afwegingskader/` and `src/`
  are there), and every ```yaml block with a line `# bestand: NAAM` is written there as NAAM
  before the first example runs;
- `ID` stands for the newest case (of the practice store with `--oefening` or `oefen --hervat`),
  so a page first makes the case it shows;
- an example must end with exit code 0;
- a block after the comment `<!-- interactief: TEKST -->` needs a person at a terminal: each of
  its examples runs in a pseudo-terminal until TEKST shows, then gets Ctrl-C (exit code 130).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from meldcode.cli import app
from pgserver import Register

REPO = Path(__file__).resolve().parents[1]
PAGINAS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
INTERACTIEF = re.compile(r"^\s*<!-- interactief: (.+?) -->\s*$")
# A block after this marker is run by the administrator on a real shared register (issue 15).
REGISTER = "<!-- register -->"


@dataclass(frozen=True)
class Voorbeeld:
    regel: int
    args: tuple[str, ...]
    interactief: str | None  # what the terminal shows before Ctrl-C, or None
    register: bool = False  # run on a real PostgreSQL register (docs/register.md)


@dataclass(frozen=True)
class Pagina:
    voorbeelden: tuple[Voorbeeld, ...]
    bestanden: dict[str, str]
    kale_opdrachten: tuple[str, ...]  # `meldcode ...` in a block without the `$ `


def lees(pad: Path) -> Pagina:
    """The examples, the files and the bare command lines in the ``` blocks of one page."""
    voorbeelden: list[Voorbeeld] = []
    bestanden: dict[str, str] = {}
    kaal: list[str] = []
    blok: list[str] | None = None
    markering: str | None = None
    register = False
    for nummer, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), start=1):
        if regel.strip().startswith("```"):
            if blok is None:
                blok = []
                continue
            inhoud = textwrap.dedent("\n".join(blok)) + "\n"
            naam = re.search(r"^# bestand: (\S+)$", inhoud, flags=re.M)
            if naam:
                bestanden[naam.group(1)] = inhoud
            blok, markering, register = None, None, False
            continue
        if blok is None:
            gevonden = INTERACTIEF.match(regel)
            markering = gevonden.group(1) if gevonden else markering
            register = register or regel.strip() == REGISTER
            continue
        blok.append(regel)
        tekst = regel.strip()
        if tekst.startswith("$ meldcode "):
            args = tuple(shlex.split(tekst.removeprefix("$ meldcode "), comments=True))
            voorbeelden.append(Voorbeeld(nummer, args, markering, register))
        elif tekst.startswith("meldcode "):
            kaal.append(f"{pad.name}:{nummer}: {tekst}")
    return Pagina(tuple(voorbeelden), bestanden, tuple(kaal))


MET_VOORBEELDEN = [p for p in PAGINAS if lees(p).voorbeelden]


def test_the_pages_have_examples_and_few_need_a_person() -> None:
    """README and docs show runnable examples; only a handful needs a person at a terminal."""
    alle = [v for p in PAGINAS for v in lees(p).voorbeelden]
    assert len(alle) >= 30
    assert len([v for v in alle if v.interactief]) <= 6


def test_every_command_line_in_a_block_is_an_example() -> None:
    """A `meldcode ...` line in a code block is written as an example (`$ meldcode ...`), so the
    tests run it; a synopsis with placeholders belongs in the text or the commands table."""
    assert [] == [k for p in PAGINAS for k in lees(p).kale_opdrachten]


def _invoke(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"MELDCODE_HOME": str(home)})
    return result.exit_code, result.output


def _nieuwste(home: Path, oefening: bool) -> str:
    code, uit = _invoke(home, "lijst", "--json", "--aantal", "1", *(["--oefening"] * oefening))
    casussen = json.loads(uit) if code == 0 else []
    assert casussen, "the example uses ID, but the page made no case before it"
    return str(casussen[0]["id"])


def _met_id(args: tuple[str, ...], home: Path) -> list[str]:
    if "ID" not in args:
        return list(args)
    oefening = "--oefening" in args or (args[0] == "oefen" and "--hervat" in args)
    casus = _nieuwste(home, oefening)
    return [casus if a == "ID" else a for a in args]


def _in_terminal(args: list[str], home: Path, tekst: str) -> tuple[int, str]:
    """Run in a pseudo-terminal until `tekst` shows, then press Ctrl-C."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "meldcode", *args],
        env={**os.environ, "MELDCODE_HOME": str(home), "TERM": "xterm"},
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 100),
    )
    try:
        child.expect_exact(tekst)
        child.sendintr()
        child.expect(pexpect.EOF)
    except pexpect.ExceptionPexpect:
        child.close(force=True)
        return -1, f"'{tekst}' did not show: {child.before!r}"
    child.close()
    return (child.exitstatus if child.exitstatus is not None else -1), str(child.before)


@pytest.mark.parametrize("pagina", MET_VOORBEELDEN, ids=lambda p: p.name)
def test_every_example_on_the_page_runs(
    pagina: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `$ meldcode ...` example of the page, in order, ends as the page promises."""
    home, werk = tmp_path / "home", tmp_path / "werk"
    werk.mkdir()
    for naam in ("stappen", "afwegingskader", "src"):
        (werk / naam).symlink_to(REPO / naam)
    inhoud = lees(pagina)
    for naam, tekst in inhoud.bestanden.items():
        (werk / naam).write_text(tekst, encoding="utf-8")
    monkeypatch.chdir(werk)
    fouten = []
    for v in inhoud.voorbeelden:
        if v.register:
            continue  # test_the_register_examples_run_on_a_real_register
        args = _met_id(v.args, home)
        if v.interactief:
            code, uit = _in_terminal(args, home, v.interactief)
            verwacht = 130
        else:
            code, uit = _invoke(home, *args)
            verwacht = 0
        if code != verwacht:
            opdracht = f"meldcode {shlex.join(v.args)}"
            fouten.append(f"{pagina.name}:{v.regel}: {opdracht} -> {code}\n{uit}")
    assert [] == fouten


def test_the_register_examples_run_on_a_real_register(
    pg_register: Register, tmp_path: Path
) -> None:
    """The administrator's examples of docs/register.md, in order, on a real PostgreSQL register
    (MELDCODE_DATABASE set as the page says first; a password typed as one line of stdin)."""
    from test_register_cli import meldcode

    voorbeelden = [v for v in lees(REPO / "docs" / "register.md").voorbeelden if v.register]
    assert len(voorbeelden) >= 3
    fouten = []
    for v in voorbeelden:
        r = meldcode(*v.args, url=pg_register.admin_dsn, home=tmp_path, stdin="Wacht-Woord-42\n")
        if r.returncode != 0:
            fouten.append(f"register.md:{v.regel}: meldcode {shlex.join(v.args)} -> {r.returncode}")
            fouten.append(r.stderr)
    assert [] == fouten
