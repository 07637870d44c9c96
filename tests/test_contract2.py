"""Contract 2 (design.md §4, §6; flows 2026.3) in every sector: the follow-up after a melding,
special forms waiting for an expert, the staff duty in acute danger and the Haags protocol."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from inprocess import run_meldcode
from test_contract import MEDEWERKER_SECTOREN, SECTOREN

BIJZONDERE_VORMEN = [
    "eergerelateerd-geweld",
    "huwelijksdwang",
    "achterlating",
    "vrouwelijke-genitale-verminking",
    "kindermishandeling-door-falsificatie",
]
TERUGKOPPELING = {"terugkoppeling-veilig-thuis": "VT, 12/11: veiligheidsbeoordeling gedaan."}


def voor_afwegingen(sector: str, **extra: Any) -> dict[str, Any]:
    """The contract answers up to stap 3 on the `thuis` route of `sector`."""
    a: dict[str, Any] = {
        "acuut-gevaar": "nee",
        "signalen": ["psychisch-geweld"],
        "signalen-beschrijving": "Kind vertelt op 3/11 dat er thuis geschreeuwd wordt.",
        "kindcheck": "nee",
        "collegiale-consultatie": "Aandachtsfunctionaris, 4/11: de zorg blijft.",
        "veilig-thuis-geraadpleegd": "ja",
        "gesprek-gevoerd": "ja",
    }
    if sector in MEDEWERKER_SECTOREN:
        a["route"] = "thuis"
    if sector == "kinderopvang":
        del a["kindcheck"]
    return {**a, **extra}


# Each melden path of the afwegingskader (design.md §6), answered after stap 3.
MELDEN: dict[str, tuple[dict[str, Any], str, int]] = {
    "afweging-2-ja": (
        {"afweging-1": "ja", "afweging-2": "ja"},
        "acute-of-structurele-onveiligheid",
        1,
    ),
    "afweging-3-nee": (
        {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "nee"},
        "geen-effectieve-hulp",
        2,
    ),
    "afweging-4-nee": (
        {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "nee"},
        "hulp-niet-aanvaard",
        2,
    ),
    "afweging-5-nee": (
        {
            "afweging-1": "ja",
            "afweging-2": "nee",
            "afweging-3": "ja",
            "afweging-4": "ja",
            "evaluatiedatum": "2027-03-15",
            "afweging-5": "nee",
        },
        "onvoldoende-resultaat",
        3,
    ),
}


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test on the embedded store and on a fresh shared register, as the professional
    anna (MELDCODE_DATABASE, issue 15)."""
    if request.param == "postgresql":
        register = request.getfixturevalue("pg_register")
        monkeypatch.setenv("MELDCODE_DATABASE", register.dsn("anna"))
    return str(request.param)


def start(tmp_path: Path, sector: str, antwoorden: dict[str, Any], *opties: str) -> dict[str, Any]:
    """A scripted run; the JSON document it prints (exit 0 asserted)."""
    path = tmp_path / "antwoorden.yaml"
    doc = {"sector": sector, "antwoorden": antwoorden}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = run_meldcode(
        ["start", "--antwoorden", str(path), "--json", *opties],
        env={"MELDCODE_HOME": str(tmp_path / "home")},
    )
    assert 0 == result.returncode, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def uitkomst(data: dict[str, Any]) -> tuple[str | None, str | None, int | None, str]:
    u = data["uitkomst"] or {}
    return u.get("id"), u.get("reden"), u.get("meldnorm"), data["casus"]["status"]


def gevraagd(data: dict[str, Any]) -> list[str]:
    return [e["vraag"] for e in data["log"] if e["soort"] == "antwoord"]


@pytest.mark.parametrize("pad", list(MELDEN))
@pytest.mark.parametrize("sector", SECTOREN)
def test_melden_stays_in_vervolg_without_terugkoppeling(
    tmp_path: Path, sector: str, pad: str
) -> None:
    """Every melding ends in status `vervolg` when the file has no terugkoppeling (exit 0)."""
    rest, reden, norm = MELDEN[pad]
    data = start(tmp_path, sector, voor_afwegingen(sector, **rest))
    assert ("melden", reden, norm, "vervolg") == uitkomst(data)


@pytest.mark.parametrize("pad", list(MELDEN))
@pytest.mark.parametrize("sector", SECTOREN)
def test_terugkoppeling_completes_the_follow_up(tmp_path: Path, sector: str, pad: str) -> None:
    """`terugkoppeling-veilig-thuis` in the file completes the follow-up; the outcome stays."""
    rest, reden, norm = MELDEN[pad]
    data = start(tmp_path, sector, voor_afwegingen(sector, **rest, **TERUGKOPPELING))
    assert ("melden", reden, norm, "afgerond") == uitkomst(data)
    assert "terugkoppeling-veilig-thuis" in gevraagd(data)


@pytest.mark.parametrize("sector", SECTOREN)
def test_acuut_gevaar_goes_on_in_vervolg(tmp_path: Path, sector: str) -> None:
    """Acute danger: melden / acuut-gevaar / 1 in `vervolg`; afgerond after the terugkoppeling."""
    data = start(tmp_path, sector, {"acuut-gevaar": "ja"})
    assert ("melden", "acuut-gevaar", 1, "vervolg") == uitkomst(data)
    data = start(tmp_path, sector, {"acuut-gevaar": "ja", **TERUGKOPPELING})
    assert ("melden", "acuut-gevaar", 1, "afgerond") == uitkomst(data)
    vragen = gevraagd(data)
    assert ["acuut-gevaar", "acuut-gezien", "acuut-gebeld"] == vragen[:3]
    assert ("route" in vragen) == (sector in MEDEWERKER_SECTOREN)


@pytest.mark.parametrize("sector", MEDEWERKER_SECTOREN)
def test_acute_advice_names_the_staff_duty(tmp_path: Path, sector: str) -> None:
    """In the five staff-route sectors the acute advice names the houder or bevoegd gezag."""
    data = start(tmp_path, sector, {"acuut-gevaar": "ja"})
    tekst = " ".join(data["uitkomst"]["tekst"].split())
    assert "112" in tekst
    assert "houder" in tekst or "bevoegd gezag" in tekst


@pytest.mark.parametrize("sector", MEDEWERKER_SECTOREN)
def test_acute_danger_by_a_staff_member_walks_the_staff_route(tmp_path: Path, sector: str) -> None:
    """After acute danger, route = medewerker asks the staff route and its follow-up."""
    data = start(tmp_path, sector, {"acuut-gevaar": "ja", "route": "medewerker", **TERUGKOPPELING})
    assert ("melden", "acuut-gevaar", 1, "afgerond") == uitkomst(data)
    vragen = gevraagd(data)
    assert "medewerker-feiten" in vragen
    assert "advies-inspectie" in vragen


@pytest.mark.parametrize("sector", MEDEWERKER_SECTOREN)
def test_medewerkersroute_stays_in_vervolg_until_its_follow_up(tmp_path: Path, sector: str) -> None:
    """A staff route is `vervolg` until when the leiding was told and the advice are recorded."""
    data = start(tmp_path, sector, {"acuut-gevaar": "nee", "route": "medewerker"}, "--standaard")
    assert ("medewerkersroute", sector, None, "vervolg") == uitkomst(data)
    data = start(
        tmp_path,
        sector,
        {
            "acuut-gevaar": "nee",
            "route": "medewerker",
            "advies-inspectie": "Vertrouwensinspecteur: aangifte.",
        },
        "--standaard",
    )
    assert ("medewerkersroute", sector, None, "afgerond") == uitkomst(data)


@pytest.mark.parametrize("vorm", BIJZONDERE_VORMEN)
@pytest.mark.parametrize("sector", SECTOREN)
def test_special_form_without_expert_waits_before_stap_3(
    tmp_path: Path, sector: str, vorm: str
) -> None:
    """A special form (mixed with an ordinary signal) and no expert: `open`, no outcome."""
    antwoorden = voor_afwegingen(
        sector,
        **{"signalen": ["psychisch-geweld", vorm], "veilig-thuis-geraadpleegd": "nee"},
        **{"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "ja"},
        evaluatiedatum="2027-03-15",
    )
    data = start(tmp_path, sector, antwoorden)
    assert (None, None, None, "open") == uitkomst(data)
    assert "gesprek-gevoerd" not in gevraagd(data)


@pytest.mark.parametrize("sector", SECTOREN)
def test_ordinary_signals_need_no_expert(tmp_path: Path, sector: str) -> None:
    """Without a special form, Veilig Thuis = nee goes on to stap 3 (artsen excepted: KNMG)."""
    antwoorden = voor_afwegingen(
        sector, **{"veilig-thuis-geraadpleegd": "nee", "afweging-1": "nee"}
    )
    data = start(tmp_path, sector, antwoorden)
    if sector == "artsen":
        assert (None, None, None, "open") == uitkomst(data)
    else:
        assert ("afsluiten", "geen-vermoeden", None, "afgerond") == uitkomst(data)


@pytest.mark.parametrize("sector", ["zorg", "artsen"])
def test_haags_protocol_ends_in_its_own_melding(tmp_path: Path, sector: str) -> None:
    """haags-protocol = ja: melden / haags-protocol / null, `vervolg` until the terugkoppeling."""
    antwoorden = {
        "acuut-gevaar": "nee",
        **({"route": "thuis"} if sector == "zorg" else {}),
        "signalen": ["partnergeweld"],
        "signalen-beschrijving": "Moeder op de SEH met letsel na partnergeweld.",
        "kindcheck": "ja",
        "haags-protocol": "ja",
    }
    data = start(tmp_path, sector, antwoorden)
    assert ("melden", "haags-protocol", None, "vervolg") == uitkomst(data)
    data = start(tmp_path, sector, {**antwoorden, **TERUGKOPPELING})
    assert ("melden", "haags-protocol", None, "afgerond") == uitkomst(data)
    assert "collegiale-consultatie" not in gevraagd(data)


@pytest.mark.parametrize("ontbreekt", ["haags-protocol", "signalen-beschrijving"])
def test_haags_protocol_is_a_contract_id_like_the_others_also_with_standaard(
    tmp_path: Path, ontbreekt: str
) -> None:
    """design.md §6: contract ids have no standaard; reached and not answered, a scripted run
    stops with exit 2 naming them, --standaard or not (haags-protocol as signalen-beschrijving)."""
    antwoorden = voor_afwegingen("zorg", kindcheck="ja", **{"haags-protocol": "nee"})
    del antwoorden[ontbreekt]
    bestand = tmp_path / "a.yaml"
    bestand.write_text(yaml.safe_dump({"sector": "zorg", "antwoorden": antwoorden}), "utf-8")
    for opties in ([], ["--standaard"]):
        result = run_meldcode(
            ["start", "--antwoorden", str(bestand), "--json", *opties],
            env={"MELDCODE_HOME": str(tmp_path / "home")},
        )
        assert result.returncode == 2, (opties, result.stdout[:200])
        assert ontbreekt in result.stderr


@pytest.mark.parametrize(
    "sector", ["basis", "onderwijs", "psychosociaal", "wmo", "jeugdhulp", "kinderopvang"]
)
def test_haags_protocol_is_offered_only_in_zorg_and_artsen(tmp_path: Path, sector: str) -> None:
    """Other sectors never ask the Haags protocol question."""
    antwoorden = voor_afwegingen(sector, **{"afweging-1": "nee"})
    antwoorden.pop("kindcheck", None)
    if sector != "kinderopvang":
        antwoorden["kindcheck"] = "ja"
    data = start(tmp_path, sector, antwoorden)
    assert "haags-protocol" not in gevraagd(data)


def test_joint_afwegingen_begun_keep_the_case_in_vervolg(tmp_path: Path) -> None:
    """After afweging-2 ja, afwegingen 3-5 begun with Veilig Thuis hold `vervolg` until 5."""
    rest = {"afweging-1": "ja", "afweging-2": "ja", "afweging-3": "ja", "afweging-4": "ja"}
    rest["evaluatiedatum"] = "2027-03-15"
    data = start(tmp_path, "basis", voor_afwegingen("basis", **rest, **TERUGKOPPELING))
    assert ("melden", "acute-of-structurele-onveiligheid", 1, "vervolg") == uitkomst(data)
    data = start(
        tmp_path,
        "basis",
        voor_afwegingen("basis", **rest, **TERUGKOPPELING, **{"afweging-5": "nee"}),
    )
    assert ("melden", "acute-of-structurele-onveiligheid", 1, "afgerond") == uitkomst(data)


def test_kinderen_onderling_walks_its_own_route(tmp_path: Path) -> None:
    """Kinderopvang route 3: no afwegingskader, its own outcomes (docs/flows-2026.3.md)."""
    basis = {"acuut-gevaar": "nee", "route": "kinderen-onderling"}
    data = start(tmp_path, "kinderopvang", {**basis, "ernst-gedrag": "passend"})
    assert ("afsluiten", "gedrag-past-bij-ontwikkeling", None, "afgerond") == uitkomst(data)
    assert not [v for v in gevraagd(data) if v.startswith("afweging-")]
    data = start(
        tmp_path,
        "kinderopvang",
        {
            **basis,
            "ernst-gedrag": "grensoverschrijdend",
            "besluit-kinderen-onderling": "eigen-maatregelen",
        },
    )
    assert ("afsluiten", "maatregelen-kinderen-onderling", None, "afgerond") == uitkomst(data)
    data = start(tmp_path, "kinderopvang", basis, "--standaard")
    assert ("afsluiten", "kinderen-onderling-naar-veilig-thuis", None, "afgerond") == uitkomst(data)


def test_hervat_with_the_terugkoppeling_completes_a_case_in_vervolg(tmp_path: Path) -> None:
    """A melding left in `vervolg` is completed later by `hervat ID --antwoorden` with the
    terugkoppeling; the outcome stays and the log only grows."""
    rest, reden, norm = MELDEN["afweging-3-nee"]
    eerst = start(tmp_path, "basis", voor_afwegingen("basis", **rest))
    assert "vervolg" == eerst["casus"]["status"]
    path = tmp_path / "terugkoppeling.yaml"
    path.write_text(yaml.safe_dump({"antwoorden": TERUGKOPPELING}), encoding="utf-8")
    result = run_meldcode(
        ["hervat", eerst["casus"]["id"], "--antwoorden", str(path), "--json"],
        env={"MELDCODE_HOME": str(tmp_path / "home")},
    )
    assert 0 == result.returncode, result.stderr
    data = json.loads(result.stdout)
    assert ("melden", reden, norm, "afgerond") == uitkomst(data)
    assert eerst["log"] == data["log"][: len(eerst["log"])]
