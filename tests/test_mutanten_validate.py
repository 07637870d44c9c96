"""Defect flows that kill the mutants of the meldnorm proof (`validate_paths`, docs/mutatie.md).

Each test breaks a copy of the shipped flows the way an organisation editing its own flows
(`MELDCODE_FLOWS`) might, and checks what `meldcode valideer` says about it: exit 2, the MC code
at the file and line of the defect, and the wording that tells the author what to repair.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from meldcode.cli import app

MARK = "# DEFECT"


def _breek(root: Path, bestand: str, *edits: tuple[str, str]) -> int:
    """Apply the edits to `bestand` in the copy; return the line that carries MARK."""
    path = root / bestand
    text = path.read_text(encoding="utf-8")
    for pattern, repl in edits:
        text, n = re.subn(pattern, repl, text, count=1)
        assert n == 1, f"'{pattern}' matches nothing in {bestand}"
    path.write_text(text, encoding="utf-8")
    return text[: text.find(MARK)].count("\n") + 1


def _valideer(root: Path) -> tuple[int, str]:
    """Exit code and output of `meldcode valideer ROOT`, with line wrapping undone."""
    result = CliRunner().invoke(app, ["valideer", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())


# Seven defects of the meldnorm proof in one flow set (file, edits, code), each marked with its
# own MARK-n: one `valideer` run must name all of them. This runs first and fast, so that CI's
# mutation subset (`benchmarks/mutatie.py --ci`) kills most mutants within a second.
SAMEN: list[tuple[str, tuple[tuple[str, str], ...], str]] = [
    # issue 16, probe 1: afweging-5 = nee ends in hulp-afsluiten (meldnorm 3 bypassed)
    ("afwegingskader/basis.yaml",
     ((r"(- id: onvoldoende-resultaat\n(?:    .*\n)*?      id: )melden",
       r"\1hulp-afsluiten  {m}"),), "MC112"),
    # acute danger reported with the reason (and so the norm) of afweging 2
    ("afwegingskader/basis.yaml",
     ((r"(- id: acuut-gevaar\n(?:    .*\n)*?      id: melden)\n      reden: acuut-gevaar",
       r"\1  {m}\n      reden: acute-of-structurele-onveiligheid"),), "MC112"),
    # afweging-4 = nee closes the case instead of reporting (meldnorm 2 bypassed)
    ("afwegingskader/basis.yaml",
     ((r"(- id: hulp-niet-aanvaard\n(?:    .*\n)*?      id: )melden", r"\1afsluiten  {m}"),),
     "MC112"),
    # issue 16, probe 2: afweging-2 = ja waits instead of reporting (meldnorm 1 bypassed)
    ("afwegingskader/artsen.yaml",
     ((r"(  afweging-2:\n    stap: stap-5\n)", r"\1    vereist: nee  {m}\n"),), "MC115"),
    # issue 16, probe 3: kindcheck = nee closes the case before afweging 1
    ("afwegingskader/psychosociaal.yaml",
     ((r"\Z", "\nuitkomsten:\n  - id: kindcheck-sluit\n    als: {{antwoord: {{kindcheck: nee}}}}\n"
       "    bron: domain.md §1.4\n    uitkomst:\n"
       "      id: afsluiten  {m}\n      reden: geen-kinderen\n      tekst: Geen kinderen.\n"),),
     "MC116"),
    # the staff route without follow-up
    ("afwegingskader/wmo.yaml",
     ((r"(          id: medewerkersroute)\n(          reden: wmo\n)          status: vervolg\n",
       r"\1  {m}\n\2"),), "MC117"),
    # falsificatie left out of the special forms that wait for an expert
    ("stappen/stap-2.yaml",
     ((r"(    vereist-als:\n      antwoord:)\n(        signalen: \[.*), "
       r"kindermishandeling-door-falsificatie\]",
       r"\1  {m}\n\2]"),), "MC118"),
]


def test_every_probe_of_the_meldnorm_proof_in_one_run(flows_copy: Path) -> None:
    """An organisation that broke the meldnormen in seven places at once (issue 16's three
    probes among them) gets all seven refused in one run, each with its code, file and line:
    no defect hides another, and none of these flow sets can reach a user."""
    for n, (bestand, edits, _) in enumerate(SAMEN):
        m = f"{MARK}-{n}"
        _breek(flows_copy, bestand, *((p, r.format(m=m)) for p, r in edits))
    code, uit = _valideer(flows_copy)
    assert code == 2, uit
    for n, (bestand, _, mc) in enumerate(SAMEN):
        tekst = (flows_copy / bestand).read_text(encoding="utf-8")
        regel = tekst[: tekst.index(f"{MARK}-{n}")].count("\n") + 1
        assert f"{bestand}:{regel}: {mc} " in uit, (n, uit)


def test_afweging_1_nee_must_close_the_case(flows_copy: Path) -> None:
    """No suspicion (afweging-1 = nee) that ends in 'hulp afsluiten' instead of 'afsluiten' with
    reason geen-vermoeden is refused: the user would otherwise be told help was completed
    where there never was a suspicion, and the dossier would record the wrong reason."""
    regel = _breek(
        flows_copy, "afwegingskader/basis.yaml",
        (r"(- id: geen-vermoeden\n(?:    .*\n)*?      id: )afsluiten",
         rf"\1hulp-afsluiten  {MARK}"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/basis.yaml:{regel}: MC112 " in uit), uit
    assert "leidt afweging-1 = nee tot uitkomst 'hulp-afsluiten'" in uit


def test_melden_with_an_unknown_reason_names_the_norms_it_may_have(flows_copy: Path) -> None:
    """A `melden` outcome with a reason of its own (not in design.md §6) is refused, and the
    message says it must have meldnorm 1-3 with a known reason: the author learns what to
    write, and no report with an unaccountable norm reaches the user."""
    regel = _breek(
        flows_copy, "afwegingskader/basis.yaml",
        (r"(- id: hulp-niet-aanvaard\n(?:    .*\n)*?      id: melden)\n"
         r"      reden: hulp-niet-aanvaard",
         rf"\1  {MARK}\n      reden: hulp-geweigerd"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/basis.yaml:{regel}: MC112 " in uit), uit
    assert (
        "uitkomst 'melden' (reden 'hulp-geweigerd') moet meldnorm 1-3 hebben, met een reden uit "
        "design.md §6." in uit
    ), uit


def test_haags_protocol_with_a_norm_is_told_it_has_none(flows_copy: Path) -> None:
    """A Haags-protocol melding given meldnorm 1 is refused with 'moet geen meldnorm hebben':
    that melding is made without weighing, and the dossier must not claim a meldnorm."""
    regel = _breek(
        flows_copy, "afwegingskader/basis.yaml",
        (r"(- id: haags-protocol\n(?:    .*\n)*?      id: melden)\n",
         rf"\1  {MARK}\n      meldnorm: 1\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/basis.yaml:{regel}: MC112 " in uit), uit
    assert "uitkomst 'melden' (reden 'haags-protocol') moet geen meldnorm hebben" in uit, uit


def test_melden_on_an_own_route_with_a_wrong_norm_is_refused(flows_copy: Path) -> None:
    """An organisation's own route (the Wmo staff route) that ends in `melden` with a known
    reason but the wrong meldnorm is refused, although no afweging was answered on that path:
    the norm of every melding is checked, not only of those the afwegingen decide."""
    regel = _breek(
        flows_copy, "afwegingskader/wmo.yaml",
        (r"(          id: )medewerkersroute\n          reden: wmo\n",
         rf"\1melden  {MARK}\n          reden: acuut-gevaar\n          meldnorm: 2\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/wmo.yaml:{regel}: MC112 " in uit), uit
    assert "uitkomst 'melden' (reden 'acuut-gevaar') moet meldnorm 1 hebben" in uit, uit


def test_a_wait_on_afweging_1_is_refused(flows_copy: Path) -> None:
    """`vereist: nee` on afweging-1 (an artsen overlay) makes 'ja, I suspect violence' a wait
    point, so the case never reaches afweging 2 and no report can follow: refused with MC115
    at the overlay's line, although 'ja' on afweging 1 itself decides no outcome and no
    earlier answer on that path asks for a report."""
    regel = _breek(
        flows_copy, "afwegingskader/artsen.yaml",
        (r"(\n  afweging-1:\n    stap: stap-5\n)", rf"\1    vereist: nee  {MARK}\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/artsen.yaml:{regel}: MC115 " in uit), uit


def test_missing_follow_up_names_what_the_path_needs(flows_copy: Path) -> None:
    """MC117 tells the author what is missing: after `melden` the question
    'terugkoppeling-veilig-thuis', after a staff route a follow-up question."""
    _breek(
        flows_copy, "afwegingskader/basis.yaml",
        (r"(- id: terugkoppeling-veilig-thuis\n(?:    .*\n)*?)    vervolg: true\n", r"\1"),
        (r"(- id: geen-effectieve-hulp\n(?:    .*\n)*?      id: melden)\n", rf"\1  {MARK}\n"),
    )
    _breek(
        flows_copy, "afwegingskader/wmo.yaml",
        (r"(          id: medewerkersroute)\n(          reden: wmo\n)          status: vervolg\n",
         rf"\1  {MARK}\n\2"),
    )
    code, uit = _valideer(flows_copy)
    assert code == 2, uit
    assert (
        "heeft uitkomst 'melden' (reden 'geen-effectieve-hulp') geen vervolg: de uitkomst moet "
        "'status: vervolg' hebben en het pad 'terugkoppeling-veilig-thuis'" in uit
    ), uit
    assert (
        "heeft uitkomst 'medewerkersroute' (reden 'wmo') geen vervolg: de uitkomst moet "
        "'status: vervolg' hebben en het pad een vervolgvraag" in uit
    ), uit


def test_a_defect_in_an_overlay_without_own_outcomes_is_found(flows_copy: Path) -> None:
    """`vereist: nee` on afweging-2 in the psychosociaal overlay, which shares all outcome rules
    with the basis flow, is still refused at that overlay's line (MC115): each sector whose
    questions differ is walked on its own, not assumed to walk like another."""
    regel = _breek(
        flows_copy, "afwegingskader/psychosociaal.yaml",
        (r"\nvragen:\n", f"\nvragen:\n  afweging-2:\n    vereist: nee  {MARK}\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/psychosociaal.yaml:{regel}: MC115 " in uit), uit
