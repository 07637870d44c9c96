"""Defect flows that kill the remaining mutants of `validate` (docs/mutatie.md, issue 16 item 4).

An organisation with its own flows (`MELDCODE_FLOWS`) adds sectors, overlays, notices and
compound conditions that the shipped flows do not have. Each test builds such a flow set from a
copy of the shipped flows and checks what `meldcode valideer` says: exit 2 with the MC code at the
file and line and the words of the message, or exit 0 for a correct flow set.
"""

from __future__ import annotations

from pathlib import Path

from test_mutanten_validate import MARK, _breek, _valideer

SECTOR = """  - id: {id}
    naam: Eigen sector {id}
    beroepen: [Eigen beroep]
    wetten: [Geen eigen wet]
    afwegingen: als basis
    bron: eigen
    trefwoorden: [{id}]
"""


def _sector(root: Path, sector: str, routes: str = "") -> None:
    """Add a sector of the organisation's own to sectoren.yaml (routes: a YAML list or none)."""
    pad = root / "afwegingskader" / "sectoren.yaml"
    extra = SECTOR.format(id=sector) + (f"    routes: {routes}\n" if routes else "")
    pad.write_text(pad.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _regel(root: Path, bestand: str, merk: str) -> int:
    tekst = (root / bestand).read_text(encoding="utf-8")
    return tekst[: tekst.index(merk)].count("\n") + 1


def test_a_question_only_for_an_own_sector_is_accepted(flows_copy: Path) -> None:
    """An organisation adds a sector without an overlay (it walks like the basis flow) and one
    question only for that sector (`als: {sector: [...]}`). The flow set is correct and
    accepted: the sector is walked on its own, so its question is reached, and the author is
    not told that the question is asked on no path (MC107)."""
    _sector(flows_copy, "eigen")
    _breek(
        flows_copy, "stappen/stap-1.yaml",
        (r"\nmededelingen:\n",
         "\n  - id: eigen-vraag\n    stap: stap-1\n    soort: tekst\n    verplicht: false\n"
         "    tekst: Wat zegt uw eigen protocol?\n    bron: eigen\n    als: {sector: [eigen]}\n"
         "mededelingen:\n"),
    )
    assert _valideer(flows_copy) == (0, f"In orde: 9 sectorflows in {flows_copy} zijn geldig.")


def test_an_own_sector_with_only_own_outcomes_is_walked(flows_copy: Path) -> None:
    """An own sector whose overlay changes no question but adds an outcome rule (kindcheck = nee
    closes the case, before afweging 1) is refused with MC116 at that rule: a sector with the
    basis questions but other outcomes is walked on its own, not assumed to walk like basis."""
    _sector(flows_copy, "eigen")
    (flows_copy / "afwegingskader" / "eigen.yaml").write_text(
        "sector: eigen\nbron: eigen\n\nuitkomsten:\n  - id: kindcheck-sluit\n"
        "    als: {antwoord: {kindcheck: nee}}\n    bron: eigen\n    uitkomst:\n"
        f"      id: afsluiten  {MARK}\n      reden: geen-kinderen\n      tekst: Geen kinderen.\n",
        encoding="utf-8",
    )
    regel = _regel(flows_copy, "afwegingskader/eigen.yaml", MARK)
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/eigen.yaml:{regel}: MC116 " in uit), uit
    assert "in sector 'eigen' valt uitkomst 'afsluiten' vóór afweging 1" in uit, uit


def test_a_sector_that_cannot_be_assembled_is_named_once(flows_copy: Path) -> None:
    """`route` made a ja-nee question: every overlay that names a route option gets MC106 at
    that condition, and an own sector with a route but no such condition (nothing else to say
    about its overlay) gets MC104 at its overlay, 'niet samen te stellen'. The sectors whose
    overlay already has a precise problem get no MC104 on top: the author reads one reason
    per file."""
    _sector(flows_copy, "eigen", "[thuis, eigen]")
    (flows_copy / "afwegingskader" / "eigen.yaml").write_text(
        "sector: eigen\nbron: eigen\n\nroutes:\n  - id: eigen\n    naam: Eigen route\n"
        "    bron: eigen\n    vragen:\n      - id: eigen-feiten\n        stap: stap-1\n"
        "        soort: tekst\n        verplicht: false\n        tekst: Wat is er gebeurd?\n"
        "        bron: eigen\n",
        encoding="utf-8",
    )
    _breek(
        flows_copy, "stappen/stap-1.yaml",
        (r"(  - id: route\n    stap: stap-1\n)    soort: keuze\n", r"\1    soort: ja-nee\n"),
        (r"    standaard: thuis\n    ook-in-vervolg: true\n    opties:\n(?:      .*\n)*",
         "    ook-in-vervolg: true\n"),
    )
    code, uit = _valideer(flows_copy)
    assert code == 2, uit
    assert (
        "afwegingskader/eigen.yaml:1: MC104 sector 'eigen' is niet samen te stellen: "
        "zie hierboven." in uit
    ), uit
    assert uit.count("MC104") == 1, uit
    assert "afwegingskader/wmo.yaml:79: MC106 vraag 'route' heeft geen antwoord 'medewerker'" in uit


def test_a_missing_question_of_the_kader_is_named_in_the_kader(flows_copy: Path) -> None:
    """The contract question 'evaluatiedatum' renamed in basis.yaml (with every condition on
    it) is refused with MC113 at the questions of basis.yaml, where it belongs, naming every
    sector: a case file would otherwise lack the date on which afweging 5 is due."""
    pad = flows_copy / "afwegingskader" / "basis.yaml"
    tekst = pad.read_text(encoding="utf-8")
    pad.write_text(tekst.replace("evaluatiedatum", "evaluatie-datum"), encoding="utf-8")
    regel = tekst[: tekst.index("\nvragen:\n")].count("\n") + 3  # the first question
    code, uit = _valideer(flows_copy)
    assert code == 2, uit
    assert (
        f"afwegingskader/basis.yaml:{regel}: MC113 vraag 'evaluatiedatum' (design.md §6) "
        "ontbreekt in sector basis, artsen, kinderopvang, onderwijs, jeugdhulp, psychosociaal, "
        "zorg, wmo." in uit
    ), uit


def test_a_notice_of_the_kader_on_a_later_question_is_refused(flows_copy: Path) -> None:
    """A notice in basis.yaml shown at step 1 when afweging-1 = ja can never be shown (afweging
    1 is asked in a later step): refused with MC111 at its condition."""
    pad = flows_copy / "afwegingskader" / "basis.yaml"
    pad.write_text(
        pad.read_text(encoding="utf-8")
        + "\nmededelingen:\n  - id: eigen-mededeling\n    stap: stap-1\n"
        f"    als: {{antwoord: {{afweging-1: ja}}}}  {MARK}\n    tekst: Let op.\n    bron: eigen\n",
        encoding="utf-8",
    )
    regel = _regel(flows_copy, "afwegingskader/basis.yaml", MARK)
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/basis.yaml:{regel}: MC111 " in uit), uit
    assert "de voorwaarde noemt vraag 'afweging-1', die niet vóór stap-1 wordt gesteld" in uit


def test_unknown_questions_inside_een_van_and_niet_are_named(flows_copy: Path) -> None:
    """A notice whose condition names a question that does not exist, once inside `een-van` and
    once inside `niet`, gets MC106 at each of those lines: a typo in a compound condition is
    found as surely as one in a plain condition."""
    _breek(
        flows_copy, "stappen/stap-2.yaml",
        (r"\nmededelingen:\n",
         "\nmededelingen:\n  - id: eigen-mededeling\n    stap: stap-2\n    als:\n"
         "      een-van:\n"
         f"        - {{beantwoord: [onbekend-een]}}  {MARK}-1\n"
         "        - {antwoord: {kindcheck: ja}}\n"
         f"      niet: {{beantwoord: [onbekend-twee]}}  {MARK}-2\n"
         "    tekst: Let op.\n    bron: eigen\n"),
    )
    code, uit = _valideer(flows_copy)
    assert code == 2, uit
    for n, vraag in ((1, "onbekend-een"), (2, "onbekend-twee")):
        regel = _regel(flows_copy, "stappen/stap-2.yaml", f"{MARK}-{n}")
        assert (
            f"stappen/stap-2.yaml:{regel}: MC106 de voorwaarde noemt onbekende vraag '{vraag}'."
            in uit
        ), uit


def test_a_repeated_question_id_is_named_once_at_the_repeat(flows_copy: Path) -> None:
    """An artsen overlay that adds a question with the id of an existing one ('weging') gets
    exactly one MC105, at the added question: not at the original (which the author must not
    change), nor at any other question."""
    regel = _breek(
        flows_copy, "afwegingskader/artsen.yaml",
        (r"      id: overleg-betrokken-professionals\n", f"      id: weging  {MARK}\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/artsen.yaml:{regel}: MC105 " in uit), uit
    assert uit.count("MC105") == 1, uit


def test_an_own_sector_is_walked_apart_from_a_named_sector(flows_copy: Path) -> None:
    """An outcome rule for every sector except the shipped ones (`niet: {sector: [...]}`) that
    closes the case when kindcheck = nee holds only in the organisation's own sector. The own
    sector has the basis questions and outcomes, but is walked on its own, not assumed to walk
    like basis (which the rule names): the defect is refused with MC116 at the rule."""
    _sector(flows_copy, "eigen")
    alle = "basis, artsen, kinderopvang, onderwijs, jeugdhulp, psychosociaal, zorg, wmo"
    regel = _breek(
        flows_copy, "afwegingskader/basis.yaml",
        (r"\nuitkomsten:\n",
         "\nuitkomsten:\n  - id: kindcheck-sluit\n"
         f"    als: {{alle: [{{niet: {{sector: [{alle}]}}}}, {{antwoord: {{kindcheck: nee}}}}]}}\n"
         "    bron: eigen\n    uitkomst:\n"
         f"      id: afsluiten  {MARK}\n      reden: geen-kinderen\n      tekst: Geen kinderen.\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/basis.yaml:{regel}: MC116 " in uit), uit
    assert "in sector 'eigen' valt uitkomst 'afsluiten' vóór afweging 1" in uit, uit


def test_a_question_asked_on_no_path_is_named_once(flows_copy: Path) -> None:
    """A question whose condition can never hold (kindcheck both ja and nee) is refused with
    MC107 at the question, once: not also at a notice that happens to share its id, which the
    author did not get wrong."""
    regel = _breek(
        flows_copy, "stappen/stap-1.yaml",
        (r"\nmededelingen:\n",
         f"\n  - id: eigen-vraag  {MARK}\n    stap: stap-1\n    soort: tekst\n"
         "    verplicht: false\n"
         "    tekst: Wat zegt uw eigen protocol?\n    bron: eigen\n"
         "    als: {alle: [{antwoord: {kindcheck: ja}}, {antwoord: {kindcheck: nee}}]}\n"
         "mededelingen:\n  - id: eigen-vraag\n    stap: stap-2\n"
         "    als: {antwoord: {kindcheck: ja}}\n    tekst: Let op.\n    bron: eigen\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"stappen/stap-1.yaml:{regel}: MC107 " in uit), uit
    assert uit.count("MC107") == 1, uit


def test_a_notice_of_an_overlay_on_a_later_question_is_refused(flows_copy: Path) -> None:
    """A notice in the zorg overlay shown at step 1 when afweging-2 = ja can never be shown
    (afweging 2 is asked in a later step): refused with MC111 at its condition in zorg.yaml, as
    surely as a notice in the basis files."""
    _breek(
        flows_copy, "afwegingskader/zorg.yaml",
        (r"\nmededelingen:\n",
         "\nmededelingen:\n  - id: eigen-mededeling\n    stap: stap-1\n"
         f"    als: {{antwoord: {{afweging-2: ja}}}}  {MARK}\n"
         "    tekst: Let op.\n    bron: eigen\n"),
    )
    regel = _regel(flows_copy, "afwegingskader/zorg.yaml", MARK)
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/zorg.yaml:{regel}: MC111 " in uit), uit
    assert "de voorwaarde noemt vraag 'afweging-2', die niet vóór stap-1 wordt gesteld" in uit
