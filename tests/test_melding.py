"""`meldcode melding`: the draft melding and the adviesvraag for Veilig Thuis (issue 14)."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from meldcode.cli import app
from meldcode.melding.adviesvraag import herkenbaar

SECTOREN = Path(__file__).parent / "scenarios" / "sectoren"
GOLDEN = Path(__file__).parent / "data" / "melding"
BIJWERKEN = os.environ.get("MELDCODE_GOLDEN_BIJWERKEN") == "1"
MELDEN = (
    "acuut-gevaar",
    "acute-of-structurele-onveiligheid",
    "geen-effectieve-hulp",
    "hulp-niet-aanvaard",
    "onvoldoende-resultaat",
    "haags-protocol",
)
# One case per sector and per melden reden, from the sector scenarios.
MELDEN_SCENARIOS = sorted(p for p in SECTOREN.glob("*.yaml") if p.stem.endswith(MELDEN))
STAFF_SCENARIOS = sorted(
    p for p in SECTOREN.glob("*.yaml") if "medewerker" in p.stem or "houder" in p.stem
)
SECTIES = (
    "1. Meldcode",
    "2. Melder",
    "3. Betrokkenen",
    "4. De melding",
    "5. Ondersteunend netwerk",
    "6. Overige informatie",
    "NIET TER INZAGE VOOR BETROKKENEN",
)
LABEL = "dossier-4711"


def meldcode(home: Path, *args: str) -> Any:
    """Run meldcode with its data in `home`."""
    return CliRunner().invoke(app, list(args), env={"MELDCODE_HOME": str(home)})


def nieuwe_casus(home: Path, sector: str, antwoorden: dict[str, Any], *opties: str) -> str:
    """A case from answers (with --standaard); its id."""
    home.mkdir(exist_ok=True)
    pad = home / f"antwoorden-{len(list(home.glob('antwoorden-*')))}.yaml"
    doc = {"sector": sector, "label": LABEL, "antwoorden": antwoorden}
    pad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = meldcode(home, "start", "--antwoorden", str(pad), "--json", "--standaard", *opties)
    assert 0 == result.exit_code, result.stderr
    casus_id: str = json.loads(result.stdout)["casus"]["id"]
    return casus_id


def scenario_antwoorden(naam: str) -> dict[str, Any]:
    """The answers of a sector scenario, to change before a run."""
    doc = yaml.safe_load((SECTOREN / f"{naam}.yaml").read_text(encoding="utf-8"))
    antwoorden: dict[str, Any] = doc["antwoorden"]
    return antwoorden


def uit_scenario(home: Path, pad: Path) -> str:
    scenario = yaml.load(pad.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return nieuwe_casus(home, scenario["sector"], scenario["antwoorden"])


def oefencasus(home: Path, naam: str) -> str:
    """A shipped practice case walked with its intended answers into the practice store."""
    from io import StringIO

    from meldcode.practice import shipped_dir
    from meldcode.store import open_store
    from meldcode.walk.scripted_run import run_answers

    casus = yaml.safe_load((shipped_dir() / f"{naam}.yaml").read_text(encoding="utf-8"))
    bestand = home / f"{naam}.yaml"
    doc = {"sector": casus["sector"], "antwoorden": casus["antwoorden"]}
    bestand.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out = StringIO()
    store = open_store(oefening=True, home=home)
    try:
        code = run_answers(str(bestand), standaard=True, as_json=True, store=store,
                           stdin=StringIO(), out=out, err=StringIO(), oefening=True)  # fmt: skip
    finally:
        store.close()
    assert 0 == code
    casus_id: str = json.loads(out.getvalue())["casus"]["id"]
    return casus_id


def normaal(tekst: str) -> str:
    """Text with what differs per run (case ids, dates) made constant."""
    tekst = re.sub(r"mc-[a-z0-9]{4}-[a-z0-9]{4}", "mc-xxxx-xxxx", tekst)
    return re.sub(r"\b\d{2}-\d{2}-\d{4}\b", "dd-mm-jjjj", tekst)


def golden(naam: str, tekst: str) -> None:
    """`tekst` equals the golden file `naam` (MELDCODE_GOLDEN_BIJWERKEN=1 rewrites it)."""
    pad = GOLDEN / naam
    if BIJWERKEN:
        pad.write_text(tekst, encoding="utf-8")
    assert pad.read_text(encoding="utf-8") == tekst


@pytest.mark.parametrize("pad", MELDEN_SCENARIOS, ids=lambda p: p.stem)
def test_draft_melding_matches_its_golden_text(tmp_path: Path, pad: Path) -> None:
    """Each sector and melden reden gives its draft, sections in form order, Niet ter inzage
    apart at the end, and never the label."""
    casus_id = uit_scenario(tmp_path, pad)
    result = meldcode(tmp_path, "melding", casus_id)
    assert 0 == result.exit_code, result.stderr
    tekst = result.stdout
    plaatsen = [tekst.index(f"\n{s}\n") for s in SECTIES]
    assert sorted(plaatsen) == plaatsen
    apart = tekst[plaatsen[-1] :]
    assert apart.startswith("\nNIET TER INZAGE")
    assert "#" * 72 in tekst[plaatsen[-1] - 80 :]
    assert "0800-2000" in tekst.split("1. Meldcode")[0]  # the top notes: call first
    assert "Privacy:" in tekst
    assert LABEL not in tekst
    golden(f"{pad.stem}.txt", normaal(tekst))


def test_acute_danger_by_a_staff_member_adds_the_staff_duty(tmp_path: Path) -> None:
    """Acute danger in a staff route is a melding, with the duty to tell the houder on top."""
    casus_id = nieuwe_casus(tmp_path, "kinderopvang", {"acuut-gevaar": "ja", "route": "medewerker"})
    result = meldcode(tmp_path, "melding", casus_id)
    assert 0 == result.exit_code, result.stderr
    assert "Geweld door een medewerker: de wettelijke route geldt ook" in result.stdout
    golden("kinderopvang-acuut-gevaar-medewerker.txt", normaal(result.stdout))


@pytest.mark.parametrize("pad", STAFF_SCENARIOS, ids=lambda p: p.stem)
def test_a_staff_route_gets_no_veilig_thuis_form(tmp_path: Path, pad: Path) -> None:
    """A medewerkersroute case is refused (exit 2): it reports to the houder or inspectie."""
    casus_id = uit_scenario(tmp_path, pad)
    result = meldcode(tmp_path, "melding", casus_id)
    assert (2, "") == (result.exit_code, result.stdout)
    assert "wettelijke route bij geweld door een medewerker" in result.stderr


@pytest.mark.parametrize(
    ("scenario", "uitleg"),
    [
        ("basis-geen-vermoeden", "afgesloten zonder melding"),
        ("basis-resultaat-bereikt", "afgesloten zonder melding"),
        ("basis-hulp-bieden", "staat op hulp bieden"),
        ("artsen-zonder-veilig-thuis", "nog geen uitkomst"),
    ],
)
def test_no_outcome_melden_is_refused(tmp_path: Path, scenario: str, uitleg: str) -> None:
    """Without outcome melden: exit 2, a Dutch explanation, and the way to advice."""
    casus_id = uit_scenario(tmp_path, SECTOREN / f"{scenario}.yaml")
    result = meldcode(tmp_path, "melding", casus_id)
    assert (2, "") == (result.exit_code, result.stdout)
    assert uitleg in result.stderr
    advies = f"meldcode melding {casus_id} --advies"
    assert (advies in result.stderr) == ("afgesloten" not in uitleg)
    if advies in result.stderr:  # the hint works
        assert 0 == meldcode(tmp_path, *advies.split()[1:]).exit_code


def test_markdown_and_html_escape_free_text(tmp_path: Path) -> None:
    """Markdown and HTML show the same sections, free text as text, Niet ter inzage apart."""
    antwoorden = scenario_antwoorden("basis-acute-of-structurele-onveiligheid")
    antwoorden["signalen-beschrijving"] = "<script>alert(1)</script> **vet** op 3/11 gezien"
    casus_id = nieuwe_casus(tmp_path, "basis", antwoorden)
    md = meldcode(tmp_path, "melding", casus_id, "--formaat", "markdown").stdout
    html = meldcode(tmp_path, "melding", casus_id, "-f", "html").stdout
    assert "## 4. De melding" in md
    assert "---\n\n## Niet ter inzage voor betrokkenen" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*vet\\*\\*" in md
    assert '<section class="apart">\n<h2>Niet ter inzage voor betrokkenen</h2>' in html
    assert html.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **vet**" in html
    assert "<script>" not in html


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    """--formaat pdf is refused with exit 2."""
    result = meldcode(tmp_path, "melding", "mc-zzzz-zzzz", "--formaat", "pdf")
    assert (2, True) == (result.exit_code, "--formaat" in result.stderr)


def test_uitvoer_is_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    """--uitvoer writes a 0600 file, refuses an existing one, and replaces it with --overschrijf."""
    casus_id = uit_scenario(tmp_path, SECTOREN / "basis-acuut-gevaar.yaml")
    doel = tmp_path / "melding.txt"
    assert 0 == meldcode(tmp_path, "melding", casus_id, "--uitvoer", str(doel)).exit_code
    assert 0o600 == stat.S_IMODE(doel.stat().st_mode)
    doel.write_text("oud", encoding="utf-8")
    weer = meldcode(tmp_path, "melding", casus_id, "--uitvoer", str(doel))
    assert (2, "oud") == (weer.exit_code, doel.read_text(encoding="utf-8"))
    over = meldcode(tmp_path, "melding", casus_id, "-o", str(doel), "--overschrijf")
    assert (0, True) == (over.exit_code, "Concept-melding" in doel.read_text(encoding="utf-8"))


def test_melder_comes_from_the_profile(tmp_path: Path) -> None:
    """The Melder section shows the owner-only profile; an empty field stays a placeholder."""
    casus_id = uit_scenario(tmp_path, SECTOREN / "wmo-hulp-niet-aanvaard.yaml")
    zet = meldcode(
        tmp_path, "melding", "--profiel", "--organisatie", "Wijkteam Oost", "--telefoon", "010-1"
    )
    assert 0 == zet.exit_code, zet.stderr
    assert 0o600 == stat.S_IMODE((tmp_path / "melder.toml").stat().st_mode)
    tekst = meldcode(tmp_path, "melding", casus_id).stdout
    assert "Organisatie: Wijkteam Oost\nFunctie: [in te vullen]\nTelefoon: 010-1\n" in tekst


def test_a_broken_profile_exits_2(tmp_path: Path) -> None:
    """A melder.toml with other keys is refused with exit 2, without a traceback."""
    casus_id = uit_scenario(tmp_path, SECTOREN / "wmo-hulp-niet-aanvaard.yaml")
    (tmp_path / "melder.toml").write_text('naam = "x"\n', encoding="utf-8")
    result = meldcode(tmp_path, "melding", casus_id)
    assert (2, True) == (result.exit_code, "geen geldig TOML-bestand" in result.stderr)


def test_open_melden_exception_goes_to_niet_ter_inzage(tmp_path: Path) -> None:
    """An exception to open melden is named only in the part not to be shown."""
    antwoorden = scenario_antwoorden("basis-geen-effectieve-hulp")
    antwoorden["open-melden"] = "veiligheid-professional"
    casus_id = nieuwe_casus(tmp_path, "basis", antwoorden)
    tekst = meldcode(tmp_path, "melding", casus_id).stdout
    openbaar, apart = tekst.split("NIET TER INZAGE VOOR BETROKKENEN")
    assert "veiligheid van mijzelf" not in openbaar
    assert "veiligheid van mijzelf of collega's" in apart


def test_practice_case_is_marked_oefening(tmp_path: Path) -> None:
    """A practice case (--oefening) gives a draft marked OEFENING."""
    casus_id = oefencasus(tmp_path, "psychosociaal-ex-partner")
    result = meldcode(tmp_path, "melding", casus_id, "--oefening")
    assert 0 == result.exit_code, result.stderr
    assert "OEFENING" in result.stdout.split("Privacy:")[0]


# The adviesvraag


@pytest.mark.parametrize(
    ("tekst", "soort"),
    [
        ("Gesprek met mevrouw R. over de blauwe plek.", "een naam of initialen"),
        ("Op maandag kwam de vader, Jansen, de kinderen halen.", "een naam of initialen"),
        ("Het gezin woont in Tilburg sinds de zomer.", "een naam of initialen"),
        ("Het gezin woont op 5021 AB, tweede verdieping.", "een postcode"),
        ("Moeder belde vanaf 06-12345678 in paniek.", "een telefoonnummer"),
        ("Moeder belde vanaf +31 6 1234 5678.", "een telefoonnummer"),
        ("Zijn nummer in het dossier is 123456782.", "een BSN-achtig nummer"),
        ("Het kind is geboren op 14-03-2019.", "een volledige datum (mogelijk een geboortedatum)"),
    ],
)
def test_identifying_text_is_recognised(tekst: str, soort: str) -> None:
    """Names, initials, places, postcodes, phone and BSN-like numbers, full dates are found."""
    assert soort in herkenbaar(tekst)[1]


@pytest.mark.parametrize(
    "tekst",
    [
        "Kind vertelt op 3/11 dat het 's nachts geschreeuw hoort (eigen waarneming).",
        "Aandachtsfunctionaris, 4/11: de zorg blijft. Veilig Thuis bellen (0800-2000).",
    ],
)
def test_ordinary_text_raises_no_warning(tekst: str) -> None:
    """Plain facts with short dates and the Veilig Thuis number are not identifying."""
    assert [] == herkenbaar(tekst)[1]


def test_numbers_that_identify_are_replaced() -> None:
    """A postcode and a phone number never reach the adviesvraag."""
    schoon, _ = herkenbaar("Woont op 5021 AB; moeder: 06-12345678.")
    assert "Woont op [postcode]; moeder: [telefoonnummer]." == schoon


def test_adviesvraag_never_holds_the_label_and_warns(tmp_path: Path) -> None:
    """The adviesvraag of an open case leaves out label, case id and postcode, and warns on
    stderr about the name and postcode, naming the question but not the text."""
    antwoorden = scenario_antwoorden("artsen-zonder-veilig-thuis")
    antwoorden["signalen-beschrijving"] = "Mevrouw R. vertelt dat haar man Piet dreigt; 5021 AB."
    casus_id = nieuwe_casus(tmp_path, "artsen", antwoorden)
    result = meldcode(tmp_path, "melding", casus_id, "--advies")
    assert 0 == result.exit_code, result.stderr
    for weg in (LABEL, casus_id, "5021 AB"):
        assert weg not in result.stdout
    assert "Let op: De tekst bij 'beschrijving van de signalen'" in result.stderr
    assert "een naam of initialen, een postcode" in result.stderr
    assert "Piet" not in result.stderr
    golden("advies-open.txt", normaal(result.stdout))


def test_adviesvraag_of_a_closed_case_is_refused(tmp_path: Path) -> None:
    """A case that is afgerond gets no adviesvraag (exit 2)."""
    casus_id = uit_scenario(tmp_path, SECTOREN / "basis-geen-vermoeden.yaml")
    result = meldcode(tmp_path, "melding", casus_id, "--advies")
    assert (2, True) == (result.exit_code, "is afgerond" in result.stderr)


# The dossier check (toon and the dossier exports)

VOLLEDIG: dict[str, Any] = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld"],
    "signalen-beschrijving": "Op 3/11 zag ik zelf een kind huilen bij het ophalen. "
    "Interpretatie: vermoeden van psychisch geweld thuis.",
    "kindcheck": "ja",
    "kindcheck-kinderen": "Twee kinderen, 4 en 7 jaar; moeder zorgt alleen; geen zwangerschap.",
    "collegiale-consultatie": "Aandachtsfunctionaris, 4/11: de zorg blijft.",
    "veilig-thuis-geraadpleegd": "ja",
    "veilig-thuis-advies": "5/11, anoniem: gesprek voeren, dan wegen.",
    "gesprek-gevoerd": "ja",
    "gesprek-verslag": "Moeder herkent de spanning thuis; kind apart gesproken.",
    "weging": "Risico: spanning en isolement. Beschermend: betrokken oma.",
    "eindverantwoordelijke": "Teamleider",
    "afweging-1": "ja",
    "afweging-2": "nee",
    "afweging-3": "nee",
    "open-melden": "verteld",
    "terugkoppeling-veilig-thuis": "Veilig Thuis start een onderzoek.",
    "vervolgafspraken": "Ik blijf het gezin wekelijks zien.",
}


def test_a_complete_dossier_shows_no_check(tmp_path: Path) -> None:
    """Nothing missing: no 'Nog vast te leggen' in toon, Markdown or HTML."""
    casus_id = nieuwe_casus(tmp_path, "basis", VOLLEDIG)
    for args in (("toon",), ("exporteer", "-f", "markdown"), ("exporteer", "-f", "html")):
        result = meldcode(tmp_path, *args[:1], casus_id, *args[1:])
        assert (0, False) == (result.exit_code, "Nog vast te leggen" in result.stdout), args


@pytest.mark.parametrize(
    ("wijziging", "ontbreekt"),
    [
        ({"collegiale-consultatie": "Aandachtsfunctionaris: de zorg blijft."},
         "De datum van de collegiale consultatie."),
        ({"veilig-thuis-advies": "Anoniem: gesprek voeren."},
         "De datum waarop u Veilig Thuis om advies vroeg."),
        ({"signalen-beschrijving": "Het kind huilt vaak. Interpretatie: vermoeden."},
         "De bron van elk feit in de beschrijving van de signalen"),
        ({"signalen-beschrijving": "Op 3/11 zag ik zelf een kind huilen."},
         "Uw interpretatie, apart van de feiten"),
        ({"signalen-beschrijving": "Ik zag zelf een kind huilen. Interpretatie: zorg."},
         "De datum van de feiten in de beschrijving van de signalen."),
        ({"kindcheck-kinderen": "Moeder zorgt alleen."},
         "Het aantal en de leeftijden van de kinderen (kindcheck)."),
        ({"open-melden": "veiligheid-kind-of-gezin"}, "De gronden waarom u de cliënt niet"),
        ({"eindverantwoordelijke": ""}, "Wie is eindverantwoordelijk voor het besluit?"),
    ],
)  # fmt: skip
def test_the_dossier_check_names_what_is_missing(
    tmp_path: Path, wijziging: dict[str, str], ontbreekt: str
) -> None:
    """Each gap of domain.md §4.1 is listed under one heading in toon and both exports."""
    casus_id = nieuwe_casus(tmp_path, "basis", {**VOLLEDIG, **wijziging})
    for args in (("toon",), ("exporteer", "-f", "markdown"), ("exporteer", "-f", "html")):
        uit = meldcode(tmp_path, *args[:1], casus_id, *args[1:]).stdout
        assert 1 == uit.count("Nog vast te leggen"), args
        assert ontbreekt in " ".join(uit.replace("│", " ").split()), args


def test_who_decided_is_asked_when_the_path_skipped_it(tmp_path: Path) -> None:
    """After acute danger (no stap 4 on the path) the check still asks who decided."""
    casus_id = nieuwe_casus(tmp_path, "basis", {"acuut-gevaar": "ja"})
    uit = meldcode(tmp_path, "exporteer", casus_id, "-f", "markdown").stdout
    assert "- Wie eindverantwoordelijk is voor het besluit (functie, geen naam" in uit


def test_the_json_export_keeps_its_contract(tmp_path: Path) -> None:
    """The dossier check adds nothing to the JSON export (contract)."""
    casus_id = nieuwe_casus(tmp_path, "basis", {"acuut-gevaar": "ja"})
    data = json.loads(meldcode(tmp_path, "exporteer", casus_id).stdout)
    assert {"schema_versie", "casus", "uitkomst", "log", "flow"} == set(data)
    assert "Nog vast te leggen" not in json.dumps(data, ensure_ascii=False)


def test_the_docs_show_a_current_draft_of_a_practice_case(tmp_path: Path) -> None:
    """docs/melding.md shows the draft meldcode makes today from its practice case."""
    docs = (Path(__file__).parents[1] / "docs" / "melding.md").read_text(encoding="utf-8")
    begin = docs.index("<!-- begin concept -->\n```text\n") + len(
        "<!-- begin concept -->\n```text\n"
    )
    getoond = docs[begin : docs.index("```\n<!-- einde concept -->")]
    casus_id = oefencasus(tmp_path, "psychosociaal-ex-partner")
    result = meldcode(tmp_path, "melding", casus_id, "--oefening")
    assert normaal(getoond) == normaal(result.stdout)


def onderbouw(home: Path, casus_id: str, teksten: dict[str, str]) -> None:
    """Record a reasoning after answered questions, as the interactive walk does."""
    from meldcode.flows import load_flow
    from meldcode.store import open_store
    from meldcode.walk.recorder import Recorder

    store = open_store(home=home)
    recorder, state = Recorder.resume(store, casus_id, load_flow(store.get(casus_id).sector))
    try:
        for vraag_id, tekst in teksten.items():
            recorder.onderbouwing(recorder.flow.vraag(vraag_id), tekst, state)
    finally:
        recorder.close()
        store.close()


def test_onderbouwing_and_grounds_reach_the_draft(tmp_path: Path) -> None:
    """An afweging's onderbouwing shows under it; the grounds of an exception to open melden
    show only in Niet ter inzage, and the dossier check no longer asks for them."""
    antwoorden = {**VOLLEDIG, "open-melden": "veiligheid-kind-of-gezin"}
    casus_id = nieuwe_casus(tmp_path, "basis", antwoorden)
    onderbouw(
        tmp_path,
        casus_id,
        {"afweging-2": "Geen acuut gevaar: oma woont in.", "open-melden": "Vader dreigde eerder."},
    )
    tekst = meldcode(tmp_path, "melding", casus_id).stdout
    assert "Afweging 2 – Veiligheid:\n  Antwoord: nee\n  Onderbouwing: Geen acuut gevaar" in tekst
    openbaar, apart = tekst.split("NIET TER INZAGE VOOR BETROKKENEN")
    assert "Vader dreigde eerder." not in openbaar
    assert "Vader dreigde eerder." in apart
    assert "Nog vast te leggen" not in meldcode(tmp_path, "toon", casus_id).stdout
