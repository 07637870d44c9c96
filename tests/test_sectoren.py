"""The eight sector flows: outcomes, staff routes, kindcheck, KNMG step 2 and step placement."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from meldcode.engine import (
    Stand,
    Walk,
    advance,
    case_status,
    holds,
    mededelingen,
    replay,
    walk,
    walk_from,
    wijzig,
)
from meldcode.flows import load_flow, validate_dir
from meldcode.loading import load_flowset
from meldcode.model import Antwoord, Flow, KeuzeVraag, State, Uitkomst, Wacht

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "tests" / "scenarios" / "sectoren").glob("*.yaml"))
SECTOREN = [
    "basis", "artsen", "kinderopvang", "onderwijs", "jeugdhulp", "psychosociaal", "zorg", "wmo"
]
MET_MEDEWERKERSROUTE = ["kinderopvang", "onderwijs", "jeugdhulp", "zorg", "wmo"]
KADER_UITKOMSTEN = {
    ("melden", "acuut-gevaar"),
    ("afsluiten", "geen-vermoeden"),
    ("melden", "acute-of-structurele-onveiligheid"),
    ("melden", "geen-effectieve-hulp"),
    ("melden", "hulp-niet-aanvaard"),
    ("hulp-bieden", None),
    ("melden", "onvoldoende-resultaat"),
    ("hulp-afsluiten", "resultaat-bereikt"),
}


@cache
def scenario(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def run(sector: str, antwoorden: Mapping[str, object]) -> Walk:
    """Play `antwoorden` like a scripted run with --standaard; stop at an outcome or a wait."""
    f, state = load_flow(sector), State(sector=sector)
    while True:
        state = replay(f, state, antwoorden)
        w = walk(f, state)
        vraag = w.volgende
        gegeven = {v.id for v, _ in w.pad}
        nog = {v.id for v in f.vragen} & (set(antwoorden) - gegeven)
        if w.wacht is not None or vraag is None or (w.uitkomst is not None and not nog):
            return w
        # Not in the file: its standaard, or empty if optional (as `--standaard` does).
        assert vraag.standaard is not None or not vraag.verplicht, f"scenario mist {vraag.id}"
        state = advance(f, state, Antwoord(vraag_id=vraag.id, waarde=vraag.standaard))


def antwoorden_van(naam: str) -> dict[str, object]:
    """A copy of the answers of scenario `naam`, to vary on."""
    return dict(scenario(ROOT / "tests" / "scenarios" / "sectoren" / f"{naam}.yaml")["antwoorden"])


def run_scenario(naam: str) -> Walk:
    return run(naam.split("-", maxsplit=1)[0], antwoorden_van(naam))


def pad_ids(w: Walk) -> list[str]:
    return [v.id for v, _ in w.pad]


def notices(sector: str, w: Walk, stap: str) -> set[str]:
    """The ids of the notices shown at `stap` on the path of `w`."""
    state = State(sector=sector, antwoorden=tuple(a for _, a in w.pad))
    return {m.id for m in mededelingen(load_flow(sector), state, stap)}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_reaches_expected_outcome(path: Path) -> None:
    """Each scenario file ends in the outcome, reason, meldnorm and status it expects."""
    data = scenario(path)
    w = run(data["sector"], data["antwoorden"])
    u = w.uitkomst
    status = case_status(w)
    gekregen = {
        "uitkomst": u.id if u else None,
        "reden": u.reden if u else None,
        "meldnorm": u.meldnorm if u else None,
        "status": status,
    }
    assert gekregen == data["verwacht"]


@pytest.mark.parametrize("sector", SECTOREN)
def test_every_kader_outcome_has_a_scenario(sector: str) -> None:
    """For every sector there is a scenario per afwegingskader outcome (and staff route)."""
    gedekt = {
        (s["verwacht"]["uitkomst"], s["verwacht"]["reden"])
        for s in map(scenario, SCENARIOS)
        if s["sector"] == sector
    }
    verwacht = set(KADER_UITKOMSTEN)
    if sector in MET_MEDEWERKERSROUTE:
        verwacht.add(("medewerkersroute", sector))
    assert verwacht <= gedekt


@pytest.mark.parametrize(
    ("sector", "stap_1_2"),
    [(s, "stap-5" if s == "artsen" else "stap-4") for s in SECTOREN],
)
def test_afwegingen_are_asked_in_the_sector_step(sector: str, stap_1_2: str) -> None:
    """Afweging 1 and 2 are asked (logged) in stap-5 for artsen, stap-4 elsewhere; 3-5 in stap-5."""
    w = run_scenario(f"{sector}-resultaat-bereikt")
    stappen = {v.id: v.stap for v, _ in w.pad}
    assert stappen["afweging-1"] == stappen["afweging-2"] == stap_1_2
    assert {stappen[f"afweging-{i}"] for i in (3, 4, 5)} == {"stap-5"}


@pytest.mark.parametrize("sector", SECTOREN)
def test_kindcheck_is_asked_in_every_sector_but_kinderopvang(sector: str) -> None:
    """The kindcheck is on the path in stap-1, except in kinderopvang."""
    w = run_scenario(f"{sector}-geen-vermoeden")
    assert ("kindcheck" in pad_ids(w)) == (sector != "kinderopvang")


@pytest.mark.parametrize("sector", [s for s in SECTOREN if s not in ("basis", "kinderopvang")])
def test_kindcheck_is_worded_for_the_sector(sector: str) -> None:
    """Every sector with a kindcheck words it for its own clients."""
    eigen, basis = load_flow(sector).vraag("kindcheck"), load_flow("basis").vraag("kindcheck")
    assert eigen.tekst != basis.tekst


@pytest.mark.parametrize("sector", [s for s in SECTOREN if s != "kinderopvang"])
def test_positive_kindcheck_asks_children_and_continues_for_them(sector: str) -> None:
    """A positive kindcheck asks number and ages; the meldcode then goes on for the children."""
    data = antwoorden_van(f"{sector}-geen-vermoeden")
    data["kindcheck"] = "ja"
    if sector in ("zorg", "artsen"):  # a contract id, reached after kindcheck = ja
        data["haags-protocol"] = "nee"
    w = run(sector, data)
    assert "kindcheck-kinderen" in pad_ids(w)
    assert "kindcheck-meldcode-kinderen" in notices(sector, w, "stap-2")


def test_artsen_without_veilig_thuis_waits() -> None:
    """KNMG: Veilig Thuis not consulted leaves the case open (Wacht), and 'ja' lets it go on."""
    w = run_scenario("artsen-zonder-veilig-thuis")
    assert isinstance(w.wacht, Wacht)
    assert w.uitkomst is None
    assert w.wacht.vraag_id == "veilig-thuis-geraadpleegd"
    assert "gesprek-gevoerd" not in pad_ids(w)
    state = State(sector="artsen", antwoorden=tuple(a for _, a in w.pad))
    ja = Antwoord(vraag_id="veilig-thuis-geraadpleegd", waarde="ja")
    state = wijzig(load_flow("artsen"), state, ja)
    assert walk(load_flow("artsen"), state).volgende is not None


@pytest.mark.parametrize("sector", [s for s in SECTOREN if s != "artsen"])
def test_other_sectors_go_on_without_veilig_thuis(sector: str) -> None:
    """Only artsen must consult Veilig Thuis; elsewhere a 'nee' does not stop the case."""
    data = antwoorden_van(f"{sector}-geen-vermoeden")
    data["veilig-thuis-geraadpleegd"] = "nee"
    w = run(sector, data)
    assert w.wacht is None
    assert w.uitkomst is not None
    assert w.uitkomst.reden == "geen-vermoeden"


# Who must be told, in this order, with the law's deadline word, per staff route scenario.
VOLGORDE = {
    "kinderopvang-medewerker": ["houder", "vertrouwensinspecteur", "aangifte"],
    "kinderopvang-houder-verdacht": [
        "niet aan de houder", "vertrouwensinspecteur", "zelf onverwijld aangifte"
    ],
    "onderwijs-medewerker": ["bevoegd gezag", "vertrouwensinspecteur", "ouders", "aangifte"],
    "onderwijs-medewerker-ander-geweld": ["bevoegd gezag", "vertrouwensinspecteur"],
    "jeugdhulp-medewerker": ["leidinggevende", "Inspectie Gezondheidszorg en Jeugd"],
    "zorg-medewerker": ["leidinggevende", "Inspectie Gezondheidszorg en Jeugd"],
    "wmo-medewerker": ["leidinggevende", "gemeentelijke toezichthouder"],
}


@pytest.mark.parametrize(("naam", "volgorde"), VOLGORDE.items())
def test_staff_route_says_whom_to_inform_in_order(naam: str, volgorde: list[str]) -> None:
    """A staff route ends in medewerkersroute without afwegingen and says whom to tell, in order."""
    w = run_scenario(naam)
    assert isinstance(w.uitkomst, Uitkomst)
    assert w.uitkomst.id == "medewerkersroute"
    assert w.uitkomst.reden == naam.split("-", maxsplit=1)[0]
    assert not any(i.startswith("afweging") or i == "signalen" for i in pad_ids(w))
    tekst = w.uitkomst.tekst
    plek = 0
    for woord in volgorde:  # each one after the one before
        plek = tekst.find(woord, plek)
        assert plek != -1, f"'{woord}' ontbreekt of staat niet in de volgorde {volgorde}"
    assert "onverwijld" in tekst
    assert "112" in tekst


@pytest.mark.parametrize("sector", SECTOREN)
def test_route_options_match_the_sector(sector: str) -> None:
    """The route question offers exactly the sector's routes; no route question for 'thuis' only."""
    routes = list(load_flow(sector).sector.routes)
    if routes == ["thuis"]:
        assert not load_flow(sector).has_vraag("route")
        return
    vraag = load_flow(sector).vraag("route")
    assert isinstance(vraag, KeuzeVraag)
    assert [o.id for o in vraag.opties] == routes


def test_kinderen_onderling_walks_its_own_route() -> None:
    """Kinderen-onderling (route 3): leidinggevende, ernst, maatregelen, nazorg, besluit; no
    signalen list and no afwegingskader."""
    w = run_scenario("kinderopvang-kinderen-onderling-maatregelen")
    ids = pad_ids(w)
    assert ids.index("leidinggevende-ingelicht") < ids.index("ernst-gedrag")
    assert ids.index("maatregelen-kinderen") < ids.index("besluit-kinderen-onderling")
    assert not {"signalen", "afweging-1"} & set(ids)
    assert "kinderen-onderling-ouders" in notices("kinderopvang", w, "stap-5")


def test_kinderopvang_asks_why_veilig_thuis_was_not_consulted() -> None:
    """Kinderopvang prompts for Veilig Thuis advice and asks a reason when it was not asked."""
    data = antwoorden_van("kinderopvang-geen-vermoeden")
    data["veilig-thuis-geraadpleegd"] = "nee"
    assert "veilig-thuis-niet-reden" in pad_ids(run("kinderopvang", data))
    assert "veilig-thuis-niet-reden" not in pad_ids(run_scenario("kinderopvang-geen-vermoeden"))


BIJZONDER = [
    "eergerelateerd-geweld",
    "huwelijksdwang",
    "achterlating",
    "vrouwelijke-genitale-verminking",
    "kindermishandeling-door-falsificatie",
]
# The expert notice at stap 2 for each special form (domain.md §9).
DESKUNDIGE = {
    "eergerelateerd-geweld": "deskundige-eergerelateerd-geweld",
    "huwelijksdwang": "deskundige-huwelijksdwang-achterlating",
    "achterlating": "deskundige-huwelijksdwang-achterlating",
    "vrouwelijke-genitale-verminking": "deskundige-vgv",
    "kindermishandeling-door-falsificatie": "deskundige-falsificatie",
}


@pytest.mark.parametrize("sector", SECTOREN)
@pytest.mark.parametrize("signaal", BIJZONDER)
def test_special_forms_prompt_veilig_thuis_and_warn(sector: str, signaal: str) -> None:
    """A special form, mixed with an ordinary signal, shows its expert and the direct-contact
    notice at stap-2 and, once the expert was consulted, warns about the talk at stap-3."""
    data = antwoorden_van(f"{sector}-geen-vermoeden")
    data["signalen"] = ["psychisch-geweld", signaal]
    data["veilig-thuis-geraadpleegd"] = "ja"
    w = run(sector, data)
    stap_2 = notices(sector, w, "stap-2")
    assert {"bijzondere-vormen-direct-veilig-thuis", DESKUNDIGE[signaal]} <= stap_2
    assert set(DESKUNDIGE.values()) - {DESKUNDIGE[signaal]} == set(DESKUNDIGE.values()) - stap_2
    assert "bijzondere-vormen-gesprek-gevaar" in notices(sector, w, "stap-3")


@pytest.mark.parametrize("sector", SECTOREN)
def test_ordinary_signals_show_no_special_form_notice(sector: str) -> None:
    """Without a special form no expert or special-form notice is shown (the notices' off side)."""
    data = antwoorden_van(f"{sector}-geen-vermoeden")
    data["signalen"] = ["psychisch-geweld", "partnergeweld"]
    data["veilig-thuis-geraadpleegd"] = "ja"
    w = run(sector, data)
    assert not (set(DESKUNDIGE.values()) | {"bijzondere-vormen-direct-veilig-thuis"}) & notices(
        sector, w, "stap-2"
    )
    assert "bijzondere-vormen-gesprek-gevaar" not in notices(sector, w, "stap-3")


def signature(f: Flow) -> object:
    """What a professional sees of a flow, without the sector's own name and hash."""
    return (
        [(v.id, v.stap, v.tekst, v.uitleg, v.vereist, getattr(v, "opties", None))
         for v in f.vragen],
        [(m.id, m.tekst) for m in f.mededelingen],
        [(r.id, r.uitkomst.tekst) for r in f.uitkomsten],
    )


@pytest.mark.parametrize("sector", [s for s in SECTOREN if s != "basis"])
def test_no_sector_flow_equals_basis(sector: str) -> None:
    """Each sector overlay changes what the professional sees."""
    assert signature(load_flow(sector)) != signature(load_flow("basis"))


# What each overlay claims to change: (sector, question id, field, text it must contain).
CLAIMS = [
    ("artsen", "afweging-1", "tekst", "stappen 1 tot en met 4"),
    ("artsen", "veilig-thuis-geraadpleegd", "vereist_uitleg", "KNMG-meldcode"),
    ("artsen", "overleg-betrokken-professionals", "tekst", "Verwijsindex"),
    ("jeugdhulp", "afweging-1", "tekst", "stappen 0 tot en met 3"),
    ("psychosociaal", "afweging-1", "uitleg", "NVO"),
    ("psychosociaal", "kindcheck", "tekst", "intake"),
    ("onderwijs", "afweging-3", "tekst", "hulp organiseren"),
    ("onderwijs", "collegiale-consultatie", "tekst", "intern begeleider"),
    ("zorg", "mantelzorgverleningscheck", "tekst", "afhankelijk"),
    ("zorg", "pleger", "uitleg", "solist"),
    ("kinderopvang", "ernst-gedrag", "tekst", "ernstig"),
    ("wmo", "kindcheck", "tekst", "opvang"),
    ("kinderopvang", "veilig-thuis-niet-reden", "tekst", "Veilig Thuis"),
]


@pytest.mark.parametrize(("sector", "vraag_id", "veld", "woorden"), CLAIMS)
def test_overlay_changes_what_it_claims(
    sector: str, vraag_id: str, veld: str, woorden: str
) -> None:
    """The sector's question reads as its own kader says, and basis does not say the same."""
    assert woorden in str(getattr(load_flow(sector).vraag(vraag_id), veld))
    if load_flow("basis").has_vraag(vraag_id):
        assert woorden not in str(getattr(load_flow("basis").vraag(vraag_id), veld))


def test_shipped_flows_pass_valideer() -> None:
    """`meldcode valideer` accepts every sector flow."""
    assert validate_dir(ROOT) == len(SECTOREN)


def test_every_uncertain_point_is_listed_in_the_docs() -> None:
    """Each question marked onzeker in a sector flow is named in docs/sectoren.md."""
    sectoren = (ROOT / "docs" / "sectoren.md").read_text(encoding="utf-8")
    onzeker = {v.id for s in SECTOREN for v in load_flow(s).vragen if v.onzeker is not None}
    assert onzeker, "geen enkel onzeker punt gevonden"
    assert {i for i in onzeker if f"`{i}`" not in sectoren} == set()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_exported_advice_is_the_advice_the_walk_reached(path: Path, tmp_path: Path) -> None:
    """`uitkomst.tekst` in the JSON export is the text of the rule the case reached, also where
    two rules share an outcome and reason (kinderopvang: houder suspect or not)."""
    import json

    from test_scripted import meldcode
    from test_scripted import scenario as answers_file

    bestand, _ = answers_file(path, tmp_path)
    result = meldcode(tmp_path, "start", "--antwoorden", str(bestand), "--standaard", "--json")
    export = json.loads(result.stdout)["uitkomst"]
    bereikt = run(scenario(path)["sector"], scenario(path)["antwoorden"]).uitkomst
    assert (export or {}).get("tekst") == (bereikt.tekst if bereikt else None)


@pytest.mark.parametrize(
    ("sector", "bereik"),
    [
        ("basis", "stappen 1 tot en met 3"),
        ("kinderopvang", "stappen 1 tot en met 3"),
        ("onderwijs", "stappen 1 tot en met 3"),
        ("psychosociaal", "stappen 1 tot en met 3"),
        ("zorg", "stappen 1 tot en met 3"),
        ("wmo", "stappen 1 tot en met 3"),
        ("artsen", "stappen 1 tot en met 4"),
        ("jeugdhulp", "stappen 0 tot en met 3"),
    ],
)
def test_afweging_1_names_the_steps_of_the_sector(sector: str, bereik: str) -> None:
    """Afweging 1 says which steps it weighs, as the sector's own kader does (domain.md §2.2)."""
    assert bereik in load_flow(sector).vraag("afweging-1").tekst


@pytest.mark.parametrize("sector", SECTOREN)
@pytest.mark.parametrize("signaal", BIJZONDER)
def test_special_form_without_expert_waits_and_can_be_closed(sector: str, signaal: str) -> None:
    """A special form with no expert consulted waits at veilig-thuis-geraadpleegd (no stap 3);
    the waiting case can still be closed with a reason, and then has that outcome."""
    from meldcode.engine import afsluiten

    data = antwoorden_van(f"{sector}-geen-vermoeden")
    data["signalen"] = ["getuige-huiselijk-geweld", signaal]
    data["veilig-thuis-geraadpleegd"] = "nee"
    w = run(sector, data)
    assert isinstance(w.wacht, Wacht)
    assert "veilig-thuis-geraadpleegd" == w.wacht.vraag_id
    assert not [v for v, _ in w.pad if v.stap == "stap-3"]
    state = State(sector=sector, antwoorden=tuple(a for _, a in w.pad))
    gesloten = walk(load_flow(sector), afsluiten(load_flow(sector), state, "andere-verklaring"))
    assert (None, "afsluiten", "andere-verklaring") == (
        gesloten.wacht,
        gesloten.uitkomst.id if gesloten.uitkomst else None,
        gesloten.uitkomst.reden if gesloten.uitkomst else None,
    )


STAPPEN = ("stap-1", "stap-2", "stap-3", "stap-4", "stap-5")


@cache
def _notice_paths(sector: str) -> list[frozenset[str]]:
    """The notice ids shown on each distinct path of the sector (every step), walked with the
    engine; multiple choice tried per kind of option, as `meldcode valideer` does."""
    from meldcode.checks.paths import answers_to_try, named_answers

    f = load_flow(sector)
    voorwaarden = [
        c
        for item in (*f.vragen, *f.uitkomsten, *f.mededelingen)
        for c in (item.als, getattr(item, "vereist_als", None))
        if c is not None
    ]
    lijsten: dict[str, list[tuple[str, ...]]] = {}
    for als in voorwaarden:
        for vraag_id, opties in named_answers(als):
            lijsten.setdefault(vraag_id, []).append(opties)
    gelezen = {i for als in voorwaarden for i in als.vraag_ids()}
    paden: list[frozenset[str]] = []
    gezien: set[object] = set()
    # Each case walked on from where the case it came from stopped (engine.walk_from).
    stack: list[tuple[State, Stand | None]] = [(State(sector=sector), None)]
    while stack:
        state, vanaf = stack.pop()
        w, stand = walk_from(f, state, vanaf)
        if w.wacht is not None or w.volgende is None:
            # What `mededelingen(f, state, stap)` shows, read off the walk just made (it walks
            # the same state again for each step); every 25th path also through it, to be sure.
            paden.append(frozenset(
                m.id for m in f.mededelingen
                if m.stap in STAPPEN and holds(m.als, sector, w.gegeven)
            ))
            if len(paden) % 25 == 1:
                assert paden[-1] == {m.id for s in STAPPEN for m in mededelingen(f, state, s)}
            continue
        v = w.volgende
        sleutel = (v.id, tuple(sorted((k, str(x)) for k, x in w.gegeven.items() if k in gelezen)))
        if sleutel in gezien:
            continue
        gezien.add(sleutel)
        for waarde in answers_to_try(v, v.id in gelezen, lijsten.get(v.id, [])):
            antwoord = Antwoord(vraag_id=v.id, waarde=waarde)
            stack.append(
                (state.model_copy(update={"antwoorden": (*state.antwoorden, antwoord)}), stand)
            )
    return paden


@pytest.mark.parametrize("sector", SECTOREN)
def test_every_notice_shows_on_its_route_and_not_off_it(sector: str) -> None:
    """Each notice a sector's overlay adds is shown on some path of that sector (its route); each
    notice of the basis files on some path of some sector; and each is left out on some path
    (off it): no notice is dead, none shows everywhere by mistake."""
    fs = load_flowset(ROOT)
    overlay = fs.overlays.get(sector)
    eigen = {m.id for m in overlay.model.mededelingen} if overlay else set()
    basis = {m.id for _, st in fs.stappen for m in st.mededelingen}
    basis |= {m.id for m in fs.kader.model.mededelingen}
    op = set().union(*_notice_paths(sector))
    assert eigen <= op
    assert op <= eigen | basis
    if sector == "basis":
        assert basis <= set().union(*(set().union(*_notice_paths(s)) for s in SECTOREN))
    for m in op:
        assert any(m not in pad for s in SECTOREN for pad in _notice_paths(s)), m


@pytest.mark.parametrize(
    ("notice", "sectoren_met", "sectoren_zonder"),
    [
        ("kinderopvang-wie-legt-vast", ["kinderopvang"], ["basis", "onderwijs"]),
        ("kinderopvang-veilig-thuis-advies", ["kinderopvang"], ["basis", "zorg"]),
        ("artsen-geen-medewerkersroute", ["artsen"], ["zorg", "basis"]),
        ("jeugdhulp-verwijsindex", ["jeugdhulp"], ["basis", "onderwijs"]),
        ("wmo-samenwerkingsafspraken", ["wmo"], ["basis", "jeugdhulp"]),
        ("psychosociaal-geen-medewerkersroute", ["psychosociaal"], ["basis", "zorg"]),
    ],
)
def test_a_sector_notice_is_shown_in_its_sector_only(
    notice: str, sectoren_met: list[str], sectoren_zonder: list[str]
) -> None:
    """A sector's own notice is shown in that sector and never in another."""
    for s in sectoren_met:
        assert any(notice in pad for pad in _notice_paths(s)), s
    for s in sectoren_zonder:
        assert not any(notice in pad for pad in _notice_paths(s)), s


def test_kinderopvang_notices_stay_off_the_staff_route() -> None:
    """Kinderopvang's Veilig Thuis notice is not shown on the staff route (it has its own
    statutory order), and route 3's notice only on route 3."""
    medewerker = run_scenario("kinderopvang-medewerker")
    onderling = run_scenario("kinderopvang-kinderen-onderling-maatregelen")
    thuis = run_scenario("kinderopvang-geen-vermoeden")
    assert "kinderopvang-veilig-thuis-advies" not in notices("kinderopvang", medewerker, "stap-2")
    assert "kinderopvang-veilig-thuis-advies" in notices("kinderopvang", thuis, "stap-2")
    assert "kinderen-onderling-ouders" in notices("kinderopvang", onderling, "stap-5")
    assert "kinderen-onderling-ouders" not in notices("kinderopvang", thuis, "stap-5")
