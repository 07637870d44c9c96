"""`meldcode valideer`: the shipped flows pass; each broken copy fails with code, file and line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from meldcode.cli import app

DATA = Path(__file__).parent / "data" / "ongeldig"
MARK = "# DEFECT"

# (name, file, ((regex, replacement), ...), code): each edit must match once; the problem is
# expected on the line that carries MARK afterwards.
DEFECTEN: list[tuple[str, str, tuple[tuple[str, str], ...], str]] = [
    ("yaml-syntax", "stappen/stap-2.yaml",
     ((r"- id: letselduiding\n", f"- id: letselduiding: fout  {MARK}\n"),), "MC101"),
    ("dubbele-sleutel", "stappen/stap-3.yaml",
     ((r"(- id: gesprek-gevoerd\n(?:    .*\n)*?    tekst: .*\n)",
       rf"\1    tekst: nog een tekst  {MARK}\n"),), "MC101"),
    ("overlay-ongeldige-standaard", "afwegingskader/artsen.yaml",
     ((r"(\n  kindcheck:\n)", rf"\1    standaard: misschien  {MARK}\n"),), "MC104"),
    ("onbekende-sleutel", "stappen/stap-3.yaml",
     ((r"(- id: gesprek-gevoerd\n)", rf"\1    kleur: rood  {MARK}\n"),), "MC102"),
    ("bron-ontbreekt", "stappen/stap-4.yaml",
     ((r"- id: weging\n((?:    .*\n)*?)    bron: .*\n", rf"- id: weging  {MARK}\n\1"),), "MC108"),
    ("id-niet-kebab", "stappen/stap-2.yaml",
     ((r"- id: letselduiding\n", f"- id: Letsel_duiding  {MARK}\n"),), "MC109"),
    ("dubbele-id", "stappen/stap-4.yaml",
     ((r"- id: weging\n", f"- id: letselduiding  {MARK}\n"),), "MC105"),
    ("onbekende-vraag", "stappen/stap-3.yaml",
     ((r"\{antwoord: \{gesprek-gevoerd: ja\}\}",
       f"{{antwoord: {{gesprek-gehouden: ja}}}}  {MARK}"),),
     "MC106"),
    ("onbekende-optie", "stappen/stap-2.yaml",
     ((r"signalen: \[eergerelateerd-geweld,", f"signalen: [eerwraak,  {MARK}\n         "),),
     "MC106"),
    ("onbekende-sector-in-als", "stappen/stap-4.yaml",
     ((r"(- id: weging\n)", rf"\1    als: {{sector: kinderdagverblijf}}  {MARK}\n"),), "MC106"),
    ("onbekende-sector", "afwegingskader/tandartsen.yaml", (), "MC106"),
    ("dubbele-overlay", "afwegingskader/wmo2.yaml", (), "MC105"),
    ("onbereikbaar", "stappen/stap-4.yaml",
     ((r"- id: weging\n", f"- id: weging  {MARK}\n    als: {{antwoord: {{acuut-gevaar: ja}}}}\n"),),
     "MC107"),
    ("pad-zonder-uitkomst", "afwegingskader/basis.yaml",
     ((r"  - id: geen-vermoeden\n(?:    .*\n)+", ""),
      (r"- id: afweging-1\n", f"- id: afweging-1  {MARK}\n")), "MC110"),
    ("vooruitverwijzing", "stappen/stap-2.yaml",
     ((r"(- id: letselduiding\n)",
       rf"\1    als: {{antwoord: {{gesprek-gevoerd: ja}}}}  {MARK}\n"),),
     "MC111"),
    ("meldnorm-omzeild", "afwegingskader/basis.yaml",
     ((r"(- id: geen-effectieve-hulp\n(?:    .*\n)*?      id: )melden", rf"\1afsluiten  {MARK}"),),
     "MC112"),
    ("meldnorm-2-hulp", "afwegingskader/basis.yaml",
     ((r"(- id: acute-of-structurele-onveiligheid\n(?:    .*\n)*?      id: )melden",
       rf"\1hulp-bieden  {MARK}"),), "MC112"),
    ("contractvraag-ontbreekt", "stappen/stap-1.yaml",
     ((r"  - id: signalen-beschrijving\n(?:    .*\n)+", ""),
      (r"\nvragen:\n(  - id: .*)", rf"\nvragen:\n\1  {MARK}")),
     "MC113"),
    ("verkeerde-soort", "stappen/stap-3.yaml",
     ((r"(- id: gesprek-gevoerd\n(?:    .*\n)*?    soort: )ja-nee", rf"\1tekst  {MARK}"),),
     "MC113"),
    ("standaard-bij-afweging", "afwegingskader/basis.yaml",
     ((r"(- id: afweging-3\n)", rf"\1    standaard: ja  {MARK}\n"),), "MC113"),
    # Issue 16, probe 1: afweging-5 nee ends in hulp-afsluiten (meldnorm 3 bypassed).
    ("afweging-5-nee-hulp-afsluiten", "afwegingskader/basis.yaml",
     ((r"(- id: onvoldoende-resultaat\n(?:    .*\n)*?      id: )melden",
       rf"\1hulp-afsluiten  {MARK}"),), "MC112"),
    ("afweging-4-nee-hulp-bieden", "afwegingskader/basis.yaml",
     ((r"(- id: hulp-niet-aanvaard\n(?:    .*\n)*?      id: )melden", rf"\1afsluiten  {MARK}"),),
     "MC112"),
    ("acuut-gevaar-andere-reden", "afwegingskader/basis.yaml",
     ((r"(- id: acuut-gevaar\n(?:    .*\n)*?      id: melden)\n      reden: acuut-gevaar",
       rf"\1  {MARK}\n      reden: acute-of-structurele-onveiligheid"),), "MC112"),
    ("verkeerde-meldnorm", "afwegingskader/basis.yaml",
     ((r"(- id: geen-effectieve-hulp\n(?:    .*\n)*?      id: melden)\n(      reden: .*\n)"
       r"      meldnorm: 2",
       rf"\1  {MARK}\n\2      meldnorm: 3"),), "MC112"),
    ("haags-protocol-met-meldnorm", "afwegingskader/basis.yaml",
     ((r"(- id: haags-protocol\n(?:    .*\n)*?      id: melden)\n",
       rf"\1  {MARK}\n      meldnorm: 1\n"),), "MC112"),
    # Issue 16, probe 2: an artsen overlay lets afweging-2 = ja wait (meldnorm 1 bypassed).
    ("vereist-op-afweging-2", "afwegingskader/artsen.yaml",
     ((r"(  afweging-2:\n    stap: stap-5\n)", rf"\1    vereist: nee  {MARK}\n"),), "MC115"),
    # Issue 16, probe 3: an overlay rule closes the case on kindcheck = nee before afweging 1.
    ("afsluiten-voor-afweging-1", "afwegingskader/psychosociaal.yaml",
     ((r"\Z", "\nuitkomsten:\n  - id: kindcheck-sluit\n    als: {antwoord: {kindcheck: nee}}\n"
       "    bron: domain.md §1.4\n    uitkomst:\n"
       f"      id: afsluiten  {MARK}\n      reden: geen-kinderen\n      tekst: Geen kinderen.\n"),),
     "MC116"),
    ("medewerkersroute-zonder-vervolg", "afwegingskader/wmo.yaml",
     ((r"(          id: medewerkersroute)\n(          reden: wmo\n)          status: vervolg\n",
       rf"\1  {MARK}\n\2"),), "MC117"),
    ("melden-zonder-terugkoppeling", "afwegingskader/basis.yaml",
     ((r"(- id: terugkoppeling-veilig-thuis\n(?:    .*\n)*?)    vervolg: true\n", r"\1"),
      (r"(- id: geen-effectieve-hulp\n(?:    .*\n)*?      id: melden)\n", rf"\1  {MARK}\n")),
     "MC117"),
    # Falsificatie left out of the special forms that wait for an expert.
    ("falsificatie-zonder-deskundige", "stappen/stap-2.yaml",
     ((r"(    vereist-als:\n      antwoord:)\n(        signalen: \[.*), "
       r"kindermishandeling-door-falsificatie\]",
       rf"\1  {MARK}\n\2]"),), "MC118"),
    ("route-zonder-overlay", "afwegingskader/sectoren.yaml",
     ((r"(- id: onderwijs\n(?:    .*\n)*?    routes: \[thuis, medewerker)\]",
       rf"\1, stagiair]  {MARK}"),), "MC114"),
]


def _breek(root: Path, name: str, edits: tuple[tuple[str, str], ...], bestand: str) -> int:
    """Apply one defect to the copy at `root`; return the line that MARK ends up on."""
    extra = DATA / name
    if extra.is_dir():
        shutil.copytree(extra, root, dirs_exist_ok=True)
    path = root / bestand
    text = path.read_text(encoding="utf-8")
    for pattern, repl in edits:
        text, n = re.subn(pattern, repl, text, count=1)
        assert n == 1, f"{name}: '{pattern}' matches nothing in {bestand}"
    path.write_text(text, encoding="utf-8")
    return text[: text.index(MARK)].count("\n") + 1


def test_shipped_flows_are_valid() -> None:
    """The shipped flows pass `meldcode valideer` with exit 0."""
    result = CliRunner().invoke(app, ["valideer"])
    assert result.exit_code == 0, result.output
    assert "In orde: 8 sectorflows" in result.output


def test_copied_flows_are_valid(flows_copy: Path) -> None:
    """A copy of the shipped flows in another folder passes too (the baseline of each defect)."""
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "bestand", "edits", "code"), DEFECTEN, ids=[d[0] for d in DEFECTEN]
)
def test_defect_is_reported_with_code_file_and_line(
    flows_copy: Path, name: str, bestand: str, edits: tuple[tuple[str, str], ...], code: str
) -> None:
    """Each broken flow set exits 2 and names the code, the file and the line of the defect."""
    regel = _breek(flows_copy, name, edits, bestand)
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert result.exit_code == 2, result.output
    assert f"{bestand}:{regel}: {code} " in result.output, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("inhoud", "verwacht"),
    [
        ("stap: stap-2\nvragen: [1, 2\n", "een lijst tussen [ ] is niet gesloten"),
        ("stap: stap-2\nvragen: [a, ,]\n", "er ontbreekt een waarde"),
        ("stap: - stap-2\n", "een lijst ('- …') op de regel van haar sleutel"),
        ("stap: stap-2\n\tnaam: x\n", "een tab; spring in met spaties"),
        ('stap: "stap-2\n', "mist er een aanhalingsteken?"),
        ("stap: !!python/object x\n", "een onbekend label"),
        ("- stap-2\n- stap-3\n", "het bestand is een lijst of losse waarde"),
        ("", "het bestand is leeg"),
        (b"stap: caf\xe9\n", "geen UTF-8"),
    ],
)
def test_broken_file_is_explained_in_dutch(
    flows_copy: Path, inhoud: str | bytes, verwacht: str
) -> None:
    """A file that is no YAML, or no mapping, is named with a Dutch reason (no libyaml English)."""
    pad = flows_copy / "stappen" / "stap-2.yaml"
    if isinstance(inhoud, bytes):
        pad.write_bytes(inhoud)
    else:
        pad.write_text(inhoud, encoding="utf-8")
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    regel = next(r for r in result.output.splitlines() if "stap-2.yaml" in r)
    assert (2, True, False) == (
        result.exit_code, verwacht in regel, any(w in regel for w in ("found", "expected", "Input"))
    ), regel


def test_a_folder_named_like_a_flow_file_is_explained(flows_copy: Path) -> None:
    """A folder where a flow file should be is reported as a folder, not as an exception name."""
    pad = flows_copy / "stappen" / "stap-2.yaml"
    pad.unlink()
    pad.mkdir()
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert (2, True) == (result.exit_code, "dit is een map, geen bestand" in result.output)


@pytest.mark.parametrize(
    ("first", "second"),
    [("onbekende-sleutel", "id-niet-kebab"), ("pad-zonder-uitkomst", "vooruitverwijzing")],
)
def test_all_problems_are_reported_at_once(flows_copy: Path, first: str, second: str) -> None:
    """Two defects in two files are both reported by one run (reading, then whole-flow)."""
    codes = []
    for name, bestand, edits, code in DEFECTEN:
        if name in (first, second):
            _breek(flows_copy, name, edits, bestand)
            codes.append(code)
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert result.exit_code == 2
    assert all(f": {code} " in result.output for code in codes), result.output


def test_path_without_outcome_names_sector_and_answers(flows_copy: Path) -> None:
    """MC110 says in which sector and with which answers a path ends without outcome."""
    name, bestand, edits, _ = next(d for d in DEFECTEN if d[0] == "pad-zonder-uitkomst")
    _breek(flows_copy, name, edits, bestand)
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert "in sector 'basis'" in result.output
    assert "acuut-gevaar=nee" in result.output
    assert "afweging-1=nee" in result.output


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    """A folder without stappen/ and afwegingskader/ exits 2 with MC100."""
    result = CliRunner().invoke(app, ["valideer", str(tmp_path)])
    assert result.exit_code == 2
    assert "MC100" in result.output


def test_flows_are_read_with_libyaml() -> None:
    """The loader uses libyaml's CSafeLoader (several times faster than the pure one)."""
    import yaml

    from meldcode import loading

    assert yaml.__with_libyaml__
    assert issubclass(loading.Loader, yaml.CSafeLoader)


def test_valideer_runs_from_another_directory(tmp_path: Path) -> None:
    """`python -m meldcode valideer` finds the shipped flows whatever the working directory."""
    result = subprocess.run(
        [sys.executable, "-m", "meldcode", "valideer"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={k: v for k, v in os.environ.items() if k != "MELDCODE_FLOWS"},
    )
    assert result.returncode == 0, result.stderr
    assert "In orde" in result.stdout


def test_start_with_broken_own_flows_exits_2_with_the_problem(flows_copy: Path) -> None:
    """Own flows (MELDCODE_FLOWS) are checked before a case starts: exit 2, never exit 1."""
    zorg = flows_copy / "afwegingskader" / "zorg.yaml"
    tekst = zorg.read_text(encoding="utf-8")
    assert "na: kindcheck-kinderen" in tekst
    zorg.write_text(tekst.replace("na: kindcheck-kinderen", "na: bestaat-niet"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["start", "--sector", "zorg"],
        env={"MELDCODE_FLOWS": str(flows_copy), "MELDCODE_HOME": str(flows_copy / "home")},
    )
    assert 2 == result.exit_code, result.output
    assert "zorg.yaml" in result.output
    assert "MC106" in result.output



def test_scripted_run_with_own_flows_missing_an_outcome_exits_2(flows_copy: Path) -> None:
    """A scripted run on own flows where a path has no outcome: exit 2 with MC110, never 1."""
    name, bestand, edits, _ = next(d for d in DEFECTEN if d[0] == "pad-zonder-uitkomst")
    _breek(flows_copy, name, edits, bestand)
    antwoorden = flows_copy / "a.yaml"
    antwoorden.write_text("sector: basis\nantwoorden: {acuut-gevaar: nee}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["start", "--antwoorden", str(antwoorden), "--standaard"],
        env={"MELDCODE_FLOWS": str(flows_copy), "MELDCODE_HOME": str(flows_copy / "home")},
    )
    assert 2 == result.exit_code, result.output
    assert "MC110" in result.output


def test_a_pipe_named_like_a_flow_file_does_not_hang(flows_copy: Path) -> None:
    """A FIFO among the flow files is reported, not read (reading it would block forever)."""
    pad = flows_copy / "stappen" / "stap-2.yaml"
    pad.unlink()
    os.mkfifo(pad)
    result = CliRunner().invoke(app, ["valideer", str(flows_copy)])
    assert (2, True) == (result.exit_code, "geen gewoon bestand" in result.output)


def test_multiple_choice_is_explored_once_per_kind_of_option() -> None:
    """Options that the conditions cannot tell apart are tried once (fast enough for the 50 ms
    budget), options that a condition names each get their own path, and all at once too."""
    from meldcode.checks.paths import _waarden
    from meldcode.loading import load_flow

    signalen = load_flow("basis").vraag("signalen")
    bijzonder = ("huwelijksdwang", "achterlating")
    waarden = _waarden(signalen, True, [bijzonder, ("stalking",)])
    enkel = [w for w in waarden if isinstance(w, tuple) and len(w) == 1]
    alle = tuple(o.id for o in signalen.opties)  # type: ignore[union-attr]
    assert (4, True, True) == (
        # one of the two named together, stalking, one of the other special forms (MC118 must
        # try a special form that no condition names), and one of the rest
        len(enkel),
        ("stalking",) in enkel,
        alle in waarden,
    )
