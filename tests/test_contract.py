"""Black-box acceptance tests against the published contracts (design.md §6, domain.md §2, §3.1).

These tests run the console script's entry point only; they know nothing about the package
internals. Each test gets its own MELDCODE_HOME. Commands run in-process (`run`, through
tests/inprocess.py: same arguments, environment and separate stdout/stderr, 0.4 s less each);
what is about the process itself runs the installed script (`run_process`): the time zone, and
a second writer while another process holds the case.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from inprocess import run_meldcode

MELDCODE = str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "meldcode")
if not Path(MELDCODE).exists():  # pragma: no cover - installed elsewhere
    MELDCODE = "meldcode"

SECTOREN = [
    "basis",
    "artsen",
    "kinderopvang",
    "onderwijs",
    "jeugdhulp",
    "psychosociaal",
    "zorg",
    "wmo",
]
MEDEWERKER_SECTOREN = ["kinderopvang", "onderwijs", "jeugdhulp", "zorg", "wmo"]

CASUS_KEYS = {"id", "sector", "status", "label", "oefening", "aangemaakt", "bijgewerkt"}
UITKOMST_KEYS = {"id", "reden", "meldnorm", "tekst"}
LOG_KEYS = {
    "volgnummer",
    "tijd",
    "soort",
    "stap",
    "vraag",
    "antwoord",
    "toelichting",
    "vorige_hash",
    "hash",
}
FLOW_KEYS = {"sector", "versie", "hash"}

# The contract ids up to and including stap-3 for the "thuis" route (basis sector).
VOOR_AFWEGINGEN: dict[str, Any] = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld", "getuige-huiselijk-geweld"],
    "signalen-beschrijving": "Kind vertelt op 3/11 dat er thuis geschreeuwd wordt.",
    "kindcheck": "ja",
    "collegiale-consultatie": "Aandachtsfunctionaris, 4/11: signalen serieus nemen.",
    "veilig-thuis-geraadpleegd": "nee",
    "gesprek-gevoerd": "ja",
}


# --------------------------------------------------------------------------- helpers


@pytest.fixture(params=["sqlite", "postgresql"])
def home(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder; with "postgresql" the same commands run on a fresh shared register, as
    the professional anna (MELDCODE_DATABASE, issue 15): every contract holds on both stores."""
    if request.param == "postgresql":
        register = request.getfixturevalue("pg_register")
        monkeypatch.setenv("MELDCODE_DATABASE", register.dsn("anna"))
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def sqlite_home(tmp_path: Path) -> Path:
    """A data folder with the embedded store, for what only a file has (modes, bytes)."""
    h = tmp_path / "home"
    h.mkdir()
    return h


def run(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`meldcode *args` in-process, as `run_process` would run it."""
    env = {"MELDCODE_HOME": str(home), "MELDCODE_FLOWS": None, "NO_COLOR": "1", "COLUMNS": "200"}
    return run_meldcode(args, env=env, input=stdin if stdin is not None else "")


def run_process(
    home: Path, *args: str, stdin: str | None = None, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    """`meldcode *args` as the installed console script, in a process of its own."""
    env = dict(os.environ)
    env["MELDCODE_HOME"] = str(home)
    env.pop("MELDCODE_FLOWS", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return subprocess.run(
        [MELDCODE, *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def write_answers(tmp_path: Path, sector: str, antwoorden: dict[str, Any], **extra: Any) -> Path:
    doc: dict[str, Any] = {"sector": sector, **extra, "antwoorden": antwoorden}
    path = tmp_path / "antwoorden.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def start_json(
    home: Path, path: Path | str, *, standaard: bool = True, stdin: str | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    args = ["start", "--antwoorden", str(path), "--json"]
    if standaard:
        args.append("--standaard")
    proc = run(home, *args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    # With --json, stdout holds exactly one JSON document (json.loads rejects trailing data).
    data = json.loads(proc.stdout)
    return proc, data


def answered(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The last 'antwoord' event per question id."""
    out: dict[str, dict[str, Any]] = {}
    for entry in data["log"]:
        if entry["soort"] == "antwoord" and entry["vraag"]:
            out[entry["vraag"]] = entry
    return out


def find_db(home: Path) -> Path:
    dbs = [p for p in home.rglob("*.db") if p.is_file()]
    assert dbs, f"no .db file under {home}"
    dbs.sort(key=lambda p: p.stat().st_size, reverse=True)
    return dbs[0]


# --------------------------------------------------------------------------- outcomes table

# (name, antwoorden after stap-3, expected uitkomst id, reden, meldnorm, casus status)
OUTCOME_ROWS: list[tuple[str, dict[str, Any], str, str | None, int | None, str]] = [
    (
        "afsluiten-geen-vermoeden",
        {"afweging-1": "nee"},
        "afsluiten",
        "geen-vermoeden",
        None,
        "afgerond",
    ),
    (
        "melden-acute-of-structurele-onveiligheid",
        {"afweging-1": "ja", "afweging-2": "ja"},
        "melden",
        "acute-of-structurele-onveiligheid",
        1,
        "vervolg",
    ),
    (
        "melden-geen-effectieve-hulp",
        {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "nee"},
        "melden",
        "geen-effectieve-hulp",
        2,
        "vervolg",
    ),
    (
        "melden-hulp-niet-aanvaard",
        {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "nee"},
        "melden",
        "hulp-niet-aanvaard",
        2,
        "vervolg",
    ),
    (
        "hulp-bieden-wacht-op-evaluatie",
        {
            "afweging-1": "ja",
            "afweging-2": "nee",
            "afweging-3": "ja",
            "afweging-4": "ja",
            "evaluatiedatum": "2027-03-15",
        },
        "hulp-bieden",
        None,
        None,
        "wacht-op-evaluatie",
    ),
    (
        "hulp-afsluiten-resultaat-bereikt",
        {
            "afweging-1": "ja",
            "afweging-2": "nee",
            "afweging-3": "ja",
            "afweging-4": "ja",
            "evaluatiedatum": "2027-03-15",
            "afweging-5": "ja",
        },
        "hulp-afsluiten",
        "resultaat-bereikt",
        None,
        "afgerond",
    ),
    (
        "melden-onvoldoende-resultaat",
        {
            "afweging-1": "ja",
            "afweging-2": "nee",
            "afweging-3": "ja",
            "afweging-4": "ja",
            "evaluatiedatum": "2027-03-15",
            "afweging-5": "nee",
        },
        "melden",
        "onvoldoende-resultaat",
        3,
        "vervolg",
    ),
    (
        "afweging-2-ja-then-3-5-together-with-veilig-thuis",
        {
            "afweging-1": "ja",
            "afweging-2": "ja",
            "terugkoppeling-veilig-thuis": "Veilig Thuis belde terug.",
            "afweging-3": "ja",
            "afweging-4": "ja",
            "evaluatiedatum": "2027-03-15",
            "afweging-5": "ja",
        },
        "melden",
        "acute-of-structurele-onveiligheid",
        1,
        "afgerond",
    ),
    (
        "afweging-2-ja-then-3-nee-no-second-melding",
        {
            "afweging-1": "ja",
            "afweging-2": "ja",
            "terugkoppeling-veilig-thuis": "Veilig Thuis belde terug.",
            "afweging-3": "nee",
        },
        "melden",
        "acute-of-structurele-onveiligheid",
        1,
        "afgerond",
    ),
]


def _scripted_scenarios() -> dict[str, tuple[str, dict[str, Any]]]:
    scen: dict[str, tuple[str, dict[str, Any]]] = {
        row[0]: ("basis", {**VOOR_AFWEGINGEN, **row[1]}) for row in OUTCOME_ROWS
    }
    for sector in MEDEWERKER_SECTOREN:
        scen[f"medewerker-{sector}"] = (sector, {"acuut-gevaar": "nee", "route": "medewerker"})
    return scen


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def scripted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Run the table-driven scenarios once for the module (each in its own MELDCODE_HOME);
    with "postgresql" all in one shared register, as the professional anna.

    Returns, per scenario name, (completed process, parsed JSON or None).
    """
    with pytest.MonkeyPatch.context() as mp:  # only while the scenarios run
        if request.param == "postgresql":
            from pgserver import new_register

            register = new_register(request.getfixturevalue("pg_server"))
            mp.setenv("MELDCODE_DATABASE", register.dsn("anna"))
        return _run_scripted(tmp_path_factory)


def _run_scripted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:

    def one(item: tuple[str, tuple[str, dict[str, Any]]]) -> tuple[str, Any]:
        name, (sector, antwoorden) = item
        base = tmp_path_factory.mktemp(name)
        home = base / "home"
        home.mkdir()
        path = write_answers(base, sector, antwoorden)
        proc = run(home, "start", "--antwoorden", str(path), "--json", "--standaard")
        data = json.loads(proc.stdout) if proc.returncode == 0 else None
        return name, (proc, data)

    # One after the other: in-process commands share sys.stdout, so no threads.
    return dict(one(item) for item in _scripted_scenarios().items())


@pytest.mark.parametrize(
    ("rest", "uitkomst_id", "reden", "meldnorm", "status"),
    [pytest.param(*row[1:], id=row[0]) for row in OUTCOME_ROWS],
)
def test_outcomes_table_basis(
    scripted: dict[str, Any],
    request: pytest.FixtureRequest,
    rest: dict[str, Any],
    uitkomst_id: str,
    reden: str | None,
    meldnorm: int | None,
    status: str,
) -> None:
    # The row's id, without the store's ("sqlite-" or "postgresql-") in front.
    proc, data = scripted[request.node.callspec.id.split("-", 1)[1]]
    assert 0 == proc.returncode, proc.stderr
    assert data["uitkomst"] is not None
    assert uitkomst_id == data["uitkomst"]["id"]
    assert reden == data["uitkomst"]["reden"]
    assert meldnorm == data["uitkomst"]["meldnorm"]
    assert status == data["casus"]["status"]
    # Every answer given was on the path and is recorded as given.
    a = answered(data)
    for vraag, antwoord in rest.items():
        assert antwoord == a[vraag]["antwoord"], vraag
    # Placement in the basis sector (domain §1.1, §3.1): afweging 1–2 in stap-4, 3–5 in stap-5.
    plaats = {"afweging-1": "stap-4", "afweging-2": "stap-4", "evaluatiedatum": "stap-5"}
    plaats |= {f"afweging-{i}": "stap-5" for i in (3, 4, 5)}
    plaats |= dict.fromkeys(("signalen", "signalen-beschrijving", "kindcheck"), "stap-1")
    plaats |= dict.fromkeys(("collegiale-consultatie", "veilig-thuis-geraadpleegd"), "stap-2")
    plaats["gesprek-gevoerd"] = "stap-3"
    for vraag, stap in plaats.items():
        if vraag in a:
            assert stap == a[vraag]["stap"], vraag


def test_acuut_gevaar_ja(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    _proc, data = start_json(home, path)
    assert {"id", "reden", "meldnorm"} <= data["uitkomst"].keys()
    assert ("melden", "acuut-gevaar", 1) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    # Contract 2: after acute danger the case goes on in `vervolg` (design.md §4).
    assert "vervolg" == data["casus"]["status"]
    tekst = data["uitkomst"]["tekst"]
    assert "112" in tekst
    assert "0800-2000" in tekst


def test_acuut_gevaar_is_asked_before_route(home: Path, tmp_path: Path) -> None:
    """Order: acuut-gevaar, then route. acuut-gevaar ja reaches its outcome before route; the
    follow-up (contract 2) asks route only afterwards, and a file without it stops there."""
    path = write_answers(tmp_path, "kinderopvang", {"acuut-gevaar": "ja"})
    _proc, data = start_json(home, path, standaard=False)
    assert ("melden", "acuut-gevaar", 1) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    vragen = [e["vraag"] for e in data["log"] if e["soort"] == "antwoord"]
    assert ["acuut-gevaar"] == vragen
    assert "vervolg" == data["casus"]["status"]


def test_afweging_2_ja_then_5_nee(home: Path, tmp_path: Path) -> None:
    # AMBIGUOUS: design §6 says after melden on afweging 2 "the outcome (id, reden, meldnorm)
    # stays as it was"; domain §2.5 (safer reading) says "a nee at 5 still means melden again
    # (norm 3)". We test the contract (design §6) literally.
    rest = {
        "afweging-1": "ja",
        "afweging-2": "ja",
        "terugkoppeling-veilig-thuis": "Veilig Thuis belde terug.",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
        "afweging-5": "nee",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(home, path)
    assert ("melden", "acute-of-structurele-onveiligheid", 1) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    assert "nee" == answered(data)["afweging-5"]["antwoord"]


def test_afweging_2_ja_then_4_ja_without_5(home: Path, tmp_path: Path) -> None:
    # Contract 2: the outcome stays melden, and the joint help track with Veilig Thuis that
    # waits for afweging-5 keeps the case in `vervolg` (design.md §4).
    rest = {
        "afweging-1": "ja",
        "afweging-2": "ja",
        "terugkoppeling-veilig-thuis": "Veilig Thuis belde terug.",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(home, path)
    assert ("melden", "acute-of-structurele-onveiligheid", 1) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    assert "vervolg" == data["casus"]["status"]


# --------------------------------------------------------------------------- sectors


def test_sectoren_json_lists_exactly_the_contract_ids(home: Path) -> None:
    proc = run(home, "sectoren", "--json")
    assert 0 == proc.returncode, proc.stderr
    data = json.loads(proc.stdout)
    ids = [s["id"] if isinstance(s, dict) else s for s in data]
    assert len(ids) == len(set(ids))
    assert sorted(SECTOREN) == sorted(ids)


def test_artsen_all_afwegingen_in_stap_5(home: Path, tmp_path: Path) -> None:
    rest = {
        "haags-protocol": "nee",  # a contract id: reached after kindcheck = ja (design.md §6)
        "veilig-thuis-geraadpleegd": "ja",
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
        "afweging-5": "ja",
    }
    path = write_answers(tmp_path, "artsen", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(home, path)
    assert "artsen" == data["casus"]["sector"]
    assert "artsen" == data["flow"]["sector"]
    a = answered(data)
    for i in range(1, 6):
        assert "stap-5" == a[f"afweging-{i}"]["stap"], f"afweging-{i}"
    assert ("hulp-afsluiten", "resultaat-bereikt", None) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )


def test_artsen_without_veilig_thuis_stays_open(home: Path, tmp_path: Path) -> None:
    rest = {
        "haags-protocol": "nee",
        "veilig-thuis-geraadpleegd": "nee",
        "afweging-1": "ja",
        "afweging-2": "ja",
    }
    path = write_answers(tmp_path, "artsen", {**VOOR_AFWEGINGEN, **rest})
    proc, data = start_json(home, path)
    assert {"schema_versie", "casus", "uitkomst", "log", "flow"} == set(data)
    assert "open" == data["casus"]["status"]
    assert data["uitkomst"] is None
    a = answered(data)
    assert "gesprek-gevoerd" not in a  # Veilig Thuis is required before stap-3
    assert "afweging-1" not in a
    # "a scripted run then exits 0 and reports the unused answers"
    assert "afweging-1" in proc.stderr
    assert "gesprek-gevoerd" in proc.stderr


@pytest.mark.parametrize("sector", MEDEWERKER_SECTOREN)
def test_medewerkersroute(scripted: dict[str, Any], sector: str) -> None:
    proc, data = scripted[f"medewerker-{sector}"]
    assert 0 == proc.returncode, proc.stderr
    assert sector == data["casus"]["sector"]
    assert ("medewerkersroute", sector, None) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    assert "vervolg" == data["casus"]["status"]  # contract 2: the staff route's follow-up
    vragen = [e["vraag"] for e in data["log"] if e["soort"] == "antwoord"]
    assert ["acuut-gevaar", "route"] == vragen[:2]
    # "its own short flow, no afwegingen"
    assert not [v for v in vragen if v and v.startswith("afweging-")]


@pytest.mark.parametrize("sector", ["psychosociaal"])
def test_thuis_route_sectors_follow_afwegingskader(home: Path, tmp_path: Path, sector: str) -> None:
    antwoorden = dict(VOOR_AFWEGINGEN)
    if sector != "psychosociaal":
        antwoorden = {"acuut-gevaar": "nee", "route": "thuis", **antwoorden}
    antwoorden.update({"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "nee"})
    path = write_answers(tmp_path, sector, antwoorden)
    _proc, data = start_json(home, path)
    assert ("melden", "geen-effectieve-hulp", 2) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    assert "stap-4" == answered(data)["afweging-1"]["stap"]


def test_route_defaults_to_thuis_with_standaard(home: Path, tmp_path: Path) -> None:
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "nee"}
    path = write_answers(tmp_path, "wmo", antwoorden)
    _proc, data = start_json(home, path, standaard=True)
    assert "afsluiten" == data["uitkomst"]["id"]
    assert "geen-vermoeden" == data["uitkomst"]["reden"]


def test_route_has_no_default_without_standaard_is_missing(home: Path, tmp_path: Path) -> None:
    # route has a standaard, but without --standaard a reached question must be answered.
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "nee"}
    path = write_answers(tmp_path, "jeugdhulp", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path))
    assert 2 == proc.returncode
    assert "route" in proc.stderr


def test_kinderopvang_thuis_needs_no_kindcheck(home: Path, tmp_path: Path) -> None:
    """kindcheck: every sector but kinderopvang. Given anyway, it is unused: reported, ignored."""
    antwoorden = {**VOOR_AFWEGINGEN, "route": "thuis", "afweging-1": "ja", "afweging-2": "ja"}
    path = write_answers(tmp_path, "kinderopvang", antwoorden)
    proc, data = start_json(home, path, standaard=False)
    assert "kindcheck" not in answered(data)
    assert "kindcheck" in proc.stderr
    assert ("melden", "acute-of-structurele-onveiligheid", 1) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )


def test_kinderopvang_kinderen_onderling_ends_in_table_outcome(home: Path, tmp_path: Path) -> None:
    antwoorden = {
        "acuut-gevaar": "nee",
        "route": "kinderen-onderling",
        **{k: v for k, v in VOOR_AFWEGINGEN.items() if k not in ("acuut-gevaar", "kindcheck")},
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "nee",
    }
    path = write_answers(tmp_path, "kinderopvang", antwoorden)
    _proc, data = start_json(home, path, standaard=True)
    assert data["uitkomst"] is not None
    assert data["uitkomst"]["id"] in {
        "afsluiten",
        "melden",
        "hulp-bieden",
        "hulp-afsluiten",
    }


# --------------------------------------------------------------------------- answers file


@pytest.mark.parametrize(
    ("ja", "nee"),
    [
        pytest.param(True, False, id="true-false"),
    ],
)
def test_yaml_booleans_for_ja_nee(home: Path, tmp_path: Path, ja: Any, nee: Any) -> None:
    lines = [
        "sector: basis",
        "antwoorden:",
        f"  acuut-gevaar: {str(nee).lower()}",
        "  signalen: [partnergeweld]",
        "  signalen-beschrijving: feiten",
        f"  kindcheck: {str(ja).lower()}",
        "  collegiale-consultatie: collega",
        f"  veilig-thuis-geraadpleegd: {str(nee).lower()}",
        f"  gesprek-gevoerd: {str(ja).lower()}",
        f"  afweging-1: {str(ja).lower()}",
        f"  afweging-2: {str(nee).lower()}",
        f"  afweging-3: {str(ja).lower()}",
        f"  afweging-4: {str(nee).lower()}",
    ]
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _proc, data = start_json(home, path)
    assert ("melden", "hulp-niet-aanvaard", 2) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    # AMBIGUOUS: the log example shows "antwoord": "nee"; we expect booleans normalised.
    assert "nee" == answered(data)["acuut-gevaar"]["antwoord"]
    assert "ja" == answered(data)["afweging-3"]["antwoord"]


def test_iso_date_unquoted(home: Path, tmp_path: Path) -> None:
    """Quoted dates are covered by the outcome rows (yaml.safe_dump quotes them)."""
    datum = "2027-03-15"
    lines = [
        "sector: basis",
        "antwoorden:",
        "  acuut-gevaar: nee",
        "  signalen: [verwaarlozing]",
        "  signalen-beschrijving: feiten",
        "  kindcheck: ja",
        "  collegiale-consultatie: collega",
        "  veilig-thuis-geraadpleegd: nee",
        "  gesprek-gevoerd: ja",
        "  afweging-1: ja",
        "  afweging-2: nee",
        "  afweging-3: ja",
        "  afweging-4: ja",
        f"  evaluatiedatum: {datum}",
    ]
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _proc, data = start_json(home, path)
    assert "hulp-bieden" == data["uitkomst"]["id"]
    assert "wacht-op-evaluatie" == data["casus"]["status"]
    assert "2027-03-15" == answered(data)["evaluatiedatum"]["antwoord"]


def test_dutch_date_refused_in_answers_file(home: Path, tmp_path: Path) -> None:
    # AMBIGUOUS: "only interactive prompts also accept 15-03-2027" read as: a scripted run
    # refuses it (exit 2, invalid input).
    rest = {
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "15-03-2027",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    proc = run(home, "start", "--antwoorden", str(path), "--standaard")
    assert 2 == proc.returncode
    assert "evaluatiedatum" in proc.stderr


def test_missing_reached_answers_exit_2_names_the_ids(home: Path, tmp_path: Path) -> None:
    """'else the run stops with exit 2 naming the missing ids' (plural: all of them)."""
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "ja"}  # afweging-2 missing
    del antwoorden["kindcheck"]
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--json")
    assert 2 == proc.returncode
    assert "kindcheck" in proc.stderr
    assert "afweging-2" in proc.stderr
    assert "" == proc.stdout.strip()


@pytest.mark.parametrize(
    ("weglaten", "extra"),
    [
        ("kindcheck", {"afweging-1": "nee"}),
        ("afweging-1", {}),
        (
            "evaluatiedatum",
            {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "ja"},
        ),
        ("gesprek-overgeslagen-reden", {"gesprek-gevoerd": "nee", "afweging-1": "nee"}),
    ],
)
def test_contract_ids_have_no_standaard(
    home: Path, tmp_path: Path, weglaten: str, extra: dict[str, Any]
) -> None:
    """'The ids in this table have no standaard (a scripted run must give them when reached)'."""
    antwoorden = {**VOOR_AFWEGINGEN, **extra}
    antwoorden.pop(weglaten, None)
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--standaard")
    assert 2 == proc.returncode, proc.stdout
    assert weglaten in proc.stderr


def test_gesprek_overgeslagen_reden_valid(home: Path, tmp_path: Path) -> None:
    antwoorden = {
        **VOOR_AFWEGINGEN,
        "gesprek-gevoerd": "nee",
        "gesprek-overgeslagen-reden": "contact-verlies",
        "afweging-1": "ja",
        "afweging-2": "ja",
    }
    path = write_answers(tmp_path, "basis", antwoorden)
    _proc, data = start_json(home, path)
    assert "contact-verlies" == answered(data)["gesprek-overgeslagen-reden"]["antwoord"]
    assert "stap-3" == answered(data)["gesprek-overgeslagen-reden"]["stap"]
    assert "melden" == data["uitkomst"]["id"]


def test_unknown_id_suggests(home: Path, tmp_path: Path) -> None:
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "nee"}
    antwoorden["signaalen"] = antwoorden.pop("signalen")
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--standaard", "--json")
    assert 2 == proc.returncode
    assert "signaalen" in proc.stderr
    assert "bedoelde u" in proc.stderr.lower()
    assert "signalen" in proc.stderr.replace("signaalen", "")
    assert "" == proc.stdout.strip()


@pytest.mark.parametrize(
    ("vraag", "waarde", "toegestaan"),
    [
        ("gesprek-overgeslagen-reden", "tijdsdruk", ["veiligheid", "contact-verlies"]),
        ("signalen", ["psychisch-geweld", "bestaat-niet"], ["psychisch-geweld", "partnergeweld"]),
    ],
)
def test_invalid_option_exit_2(
    home: Path, tmp_path: Path, vraag: str, waarde: Any, toegestaan: list[str]
) -> None:
    antwoorden = {
        **VOOR_AFWEGINGEN,
        "gesprek-gevoerd": "nee",
        "afweging-1": "nee",
        "gesprek-overgeslagen-reden": "veiligheid",
    }
    antwoorden[vraag] = waarde
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--standaard")
    assert 2 == proc.returncode
    assert vraag in proc.stderr
    for optie in toegestaan:
        assert optie in proc.stderr


def test_invalid_route_option_names_allowed_values(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "onderwijs", {"acuut-gevaar": "nee", "route": "kantoor"})
    proc = run(home, "start", "--antwoorden", str(path), "--standaard")
    assert 2 == proc.returncode
    assert "route" in proc.stderr
    assert "thuis" in proc.stderr
    assert "medewerker" in proc.stderr


def test_invalid_ja_nee_does_not_echo_answer(home: Path, tmp_path: Path) -> None:
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "vertrouwelijk-woord-xq"}
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--standaard")
    assert 2 == proc.returncode
    assert "afweging-1" in proc.stderr
    # design §5: "error messages never echo answers"
    assert "vertrouwelijk-woord-xq" not in proc.stderr + proc.stdout


@pytest.mark.parametrize(
    ("sector", "extra", "unused"),
    [
        ("basis", {"afweging-1": "nee", "afweging-3": "ja"}, "afweging-3"),
        ("basis", {"afweging-1": "nee", "route": "thuis"}, "route"),  # another sector's id
    ],
    ids=["not-on-path", "other-sector"],
)
def test_unused_answer_warns_and_is_ignored(
    home: Path, tmp_path: Path, sector: str, extra: dict[str, Any], unused: str
) -> None:
    path = write_answers(tmp_path, sector, {**VOOR_AFWEGINGEN, **extra})
    proc, data = start_json(home, path)
    assert unused in proc.stderr
    assert unused not in answered(data)
    assert ("afsluiten", "geen-vermoeden") == (data["uitkomst"]["id"], data["uitkomst"]["reden"])


def test_answers_from_stdin(home: Path) -> None:
    text = yaml.safe_dump(
        {
            "sector": "basis",
            "label": "dossier-4711",
            "antwoorden": {**VOOR_AFWEGINGEN, "afweging-1": "ja", "afweging-2": "ja"},
        }
    )
    _proc, data = start_json(home, "-", stdin=text)
    assert "melden" == data["uitkomst"]["id"]
    assert "dossier-4711" == data["casus"]["label"]


# --------------------------------------------------------------------------- JSON export


def test_json_export_shape_and_hash_chain(home: Path, tmp_path: Path) -> None:
    rest = {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "nee"}
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(home, path)
    assert {"schema_versie", "casus", "uitkomst", "log", "flow"} == set(data)
    assert 1 == data["schema_versie"]
    assert CASUS_KEYS == set(data["casus"])
    assert UITKOMST_KEYS == set(data["uitkomst"])
    assert FLOW_KEYS == set(data["flow"])
    casus = data["casus"]
    assert "basis" == casus["sector"]
    assert casus["label"] is None
    assert casus["oefening"] is False
    for key in ("aangemaakt", "bijgewerkt"):
        ts = datetime.fromisoformat(casus[key])
        assert ts.tzinfo is not None, key
    assert isinstance(data["uitkomst"]["tekst"], str)
    assert "0800-2000" in data["uitkomst"]["tekst"]
    assert "basis" == data["flow"]["sector"]
    assert data["flow"]["hash"].startswith("sha256:")
    assert 64 == len(data["flow"]["hash"].removeprefix("sha256:"))
    assert isinstance(data["flow"]["versie"], str)

    log = data["log"]
    assert log
    for i, entry in enumerate(log):
        assert LOG_KEYS == set(entry), entry
        assert i + 1 == entry["volgnummer"]
        datetime.fromisoformat(entry["tijd"])
        if i:
            assert log[i - 1]["hash"] == entry["vorige_hash"], i
    hashes = [e["hash"] for e in log]
    assert len(hashes) == len(set(hashes))
    first = log[0]
    assert ("antwoord", "acuut-gevaar", "nee") == (
        first["soort"],
        first["vraag"],
        first["antwoord"],
    )
    assert "uitkomst" in {e["soort"] for e in log}


def test_exporteer_json_equals_start_json(home: Path, tmp_path: Path) -> None:
    rest = {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "nee"}
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest}, label="dossier-1")
    _proc, data = start_json(home, path)
    proc = run(home, "exporteer", data["casus"]["id"], "--formaat", "json")
    assert 0 == proc.returncode, proc.stderr
    assert data == json.loads(proc.stdout)


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("command", ["toon", "exporteer"])
def test_unknown_case_exit_2(home: Path, command: str) -> None:
    proc = run(home, command, "mc-zzzz-zzzz")
    assert 2 == proc.returncode, (proc.stdout, proc.stderr)


def _tamper(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            if {"hash", "vorige_hash", "antwoord"} <= set(cols):
                cur = con.execute(
                    f"UPDATE {table} SET antwoord = ? WHERE vraag = 'afweging-1'", ('"nee"',)
                )
                assert cur.rowcount == 1
                con.commit()
                return
        pytest.fail("no event table found")
    finally:
        con.close()


def test_verifieer_detects_tampering(sqlite_home: Path, tmp_path: Path) -> None:
    rest = {"afweging-1": "ja", "afweging-2": "ja"}
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(sqlite_home, path)
    assert 0 == run(sqlite_home, "verifieer").returncode
    _tamper(find_db(sqlite_home))
    proc = run(sqlite_home, "verifieer")
    assert 2 == proc.returncode, (proc.stdout, proc.stderr)
    assert data["casus"]["id"] in proc.stdout + proc.stderr


def test_corrupt_database_exit_3(sqlite_home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    start_json(sqlite_home, path)
    db = find_db(sqlite_home)
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.unlink()
    db.write_bytes(b"dit is geen database\n" * 500)
    for command in ("lijst", "verifieer"):
        proc = run(sqlite_home, command)
        assert 3 == proc.returncode, (command, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_valideer_and_version(home: Path) -> None:
    assert 0 == run(home, "valideer").returncode
    proc = run(home, "--version")
    assert 0 == proc.returncode
    assert proc.stdout.strip()


def test_bad_yaml_exit_2(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("sector: basis\nantwoorden: [unclosed\n", encoding="utf-8")
    proc = run(home, "start", "--antwoorden", str(path), "--json")
    assert 2 == proc.returncode
    assert "" == proc.stdout.strip()


def test_unknown_sector_exit_2(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "politie", {"acuut-gevaar": "ja"})
    proc = run(home, "start", "--antwoorden", str(path), "--json")
    assert 2 == proc.returncode


# --------------------------------------------------------------------------- files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_and_database_modes(sqlite_home: Path, tmp_path: Path) -> None:
    sub = sqlite_home / "nieuw"
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    start_json(sub, path)
    assert 0o700 == _mode(sub)
    assert 0o600 == _mode(find_db(sub))


def test_export_file_modes(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    _proc, data = start_json(home, path)
    cid = data["casus"]["id"]
    for formaat in ("json", "markdown", "csv", "html"):
        out = tmp_path / f"export.{formaat}"
        proc = run(home, "exporteer", cid, "--formaat", formaat, "--uitvoer", str(out))
        assert 0 == proc.returncode, proc.stderr
        assert 0o600 == _mode(out), formaat
        assert out.read_text(encoding="utf-8").strip(), formaat
        if formaat == "json":
            assert data == json.loads(out.read_text(encoding="utf-8"))


def test_export_not_overwritten_without_overschrijf(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    _proc, data = start_json(home, path)
    cid = data["casus"]["id"]
    bestaand = tmp_path / "bestaand.json"
    bestaand.write_text("eigen inhoud\n", encoding="utf-8")
    bestaand.chmod(0o644)
    proc = run(home, "exporteer", cid, "--formaat", "json", "--uitvoer", str(bestaand))
    assert 2 == proc.returncode
    assert "eigen inhoud\n" == bestaand.read_text(encoding="utf-8")

    proc = run(
        home, "exporteer", cid, "--formaat", "json", "--uitvoer", str(bestaand), "--overschrijf"
    )
    assert 0 == proc.returncode, proc.stderr
    assert data == json.loads(bestaand.read_text(encoding="utf-8"))
    # AMBIGUOUS: "exports 0600" read as: also a replaced, formerly 0644 file ends up 0600.
    assert 0o600 == _mode(bestaand)


# --------------------------------------------------------------------------- further contract edges


def test_unknown_id_is_an_error_even_when_not_reached(home: Path, tmp_path: Path) -> None:
    """'An id that no question of any sector has is an error' – regardless of the path."""
    antwoorden = {**VOOR_AFWEGINGEN, "afweging-1": "nee", "afwegin-3": "ja"}
    path = write_answers(tmp_path, "basis", antwoorden)
    proc = run(home, "start", "--antwoorden", str(path), "--standaard", "--json")
    assert 2 == proc.returncode
    assert "afwegin-3" in proc.stderr
    assert "bedoelde u" in proc.stderr.lower()
    assert "afweging-3" in proc.stderr


def test_impossible_iso_date_exit_2(home: Path, tmp_path: Path) -> None:
    rest = {
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-02-30",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    proc = run(home, "start", "--antwoorden", str(path), "--standaard", "--json")
    assert 2 == proc.returncode
    assert "evaluatiedatum" in proc.stderr
    assert "" == proc.stdout.strip()


def test_missing_answers_file_exit_2(home: Path, tmp_path: Path) -> None:
    proc = run(home, "start", "--antwoorden", str(tmp_path / "bestaat-niet.yaml"), "--json")
    assert 2 == proc.returncode
    assert "" == proc.stdout.strip()


def test_store_not_writable_exit_3(tmp_path: Path) -> None:
    blocker = tmp_path / "een-bestand"
    blocker.write_text("x", encoding="utf-8")
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    proc = run(blocker / "home", "start", "--antwoorden", str(path), "--json")
    assert 3 == proc.returncode, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr


def test_hervat_answers_afweging_5(home: Path, tmp_path: Path) -> None:
    rest = {
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, eerst = start_json(home, path)
    cid = eerst["casus"]["id"]
    # AMBIGUOUS: the answers file for hervat is assumed to have the same shape as for start.
    vervolg = tmp_path / "vervolg.yaml"
    vervolg.write_text("sector: basis\nantwoorden:\n  afweging-5: nee\n", encoding="utf-8")
    proc = run(home, "hervat", cid, "--antwoorden", str(vervolg), "--json")
    assert 0 == proc.returncode, proc.stderr
    data = json.loads(proc.stdout)
    assert cid == data["casus"]["id"]
    assert ("melden", "onvoldoende-resultaat", 3) == (
        data["uitkomst"]["id"],
        data["uitkomst"]["reden"],
        data["uitkomst"]["meldnorm"],
    )
    assert "vervolg" == data["casus"]["status"]  # contract 2: the melding's follow-up is due
    assert "stap-5" == answered(data)["afweging-5"]["stap"]
    # The log is append-only: the first run's events are a prefix of the new log.
    assert eerst["log"] == data["log"][: len(eerst["log"])]
    for i in range(1, len(data["log"])):
        assert data["log"][i - 1]["hash"] == data["log"][i]["vorige_hash"]


def test_verifieer_detects_deleted_last_event(sqlite_home: Path, tmp_path: Path) -> None:
    # AMBIGUOUS: "tampering is detectable" read as: also truncating the log (deleting the
    # last event, here the outcome) is reported by verifieer.
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    start_json(sqlite_home, path)
    con = sqlite3.connect(find_db(sqlite_home))
    try:
        cur = con.execute(
            "DELETE FROM events WHERE volgnummer = (SELECT max(volgnummer) FROM events)"
        )
        assert 1 == cur.rowcount
        con.commit()
    finally:
        con.close()
    proc = run(sqlite_home, "verifieer")
    assert 2 == proc.returncode, (proc.stdout, proc.stderr)


def test_label_never_in_statistiek_and_left_out_of_export(home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"}, label="dossier-geheim-4711")
    _proc, data = start_json(home, path)
    assert "dossier-geheim-4711" == data["casus"]["label"]
    for args in (["statistiek", "--json"],):
        proc = run(home, *args)
        assert 0 == proc.returncode, proc.stderr
        assert "dossier-geheim-4711" not in proc.stdout + proc.stderr
    proc = run(home, "exporteer", data["casus"]["id"], "--formaat", "json", "--zonder-label")
    assert 0 == proc.returncode, proc.stderr
    assert "dossier-geheim-4711" not in proc.stdout
    # AMBIGUOUS: the casus keys are fixed, so a left-out label is assumed to be null.
    assert CASUS_KEYS == set(json.loads(proc.stdout)["casus"])


def test_timestamps_carry_local_offset(tmp_path: Path) -> None:
    # AMBIGUOUS: the §6 example shows "+01:00" (Dutch local time in November); read as: times
    # carry the local UTC offset.
    from zoneinfo import ZoneInfo

    home = tmp_path / "home"
    path = write_answers(tmp_path, "basis", {"acuut-gevaar": "ja"})
    env = dict(os.environ, MELDCODE_HOME=str(home), TZ="Europe/Amsterdam")
    proc = subprocess.run(
        [MELDCODE, "start", "--antwoorden", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
        check=False,
    )
    assert 0 == proc.returncode, proc.stderr
    data = json.loads(proc.stdout)
    ts = datetime.fromisoformat(data["casus"]["aangemaakt"])
    expected = ts.astimezone(ZoneInfo("Europe/Amsterdam")).utcoffset()
    assert expected == ts.utcoffset()


def test_duplicate_answer_key_is_invalid_yaml(home: Path, tmp_path: Path) -> None:
    # AMBIGUOUS: §6 does not mention duplicate keys; YAML requires mapping keys to be unique,
    # so a file answering afweging-1 twice (ja, then nee) is read as invalid YAML -> exit 2.
    lines = [
        "sector: basis",
        "antwoorden:",
        *(f"  {k}: {json.dumps(v)}" for k, v in VOOR_AFWEGINGEN.items()),
        "  afweging-1: ja",
        "  afweging-1: nee",
    ]
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run(home, "start", "--antwoorden", str(path), "--standaard", "--json")
    assert 2 == proc.returncode, proc.stdout[:200]
    assert "afweging-1" in proc.stderr


def test_non_ja_nee_yaml_value_refused(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    lines = [
        "sector: basis",
        "antwoorden:",
        *(f"  {k}: {json.dumps(v)}" for k, v in VOOR_AFWEGINGEN.items()),
        "  afweging-1: 1",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run(home, "start", "--antwoorden", str(path), "--standaard", "--json")
    assert 2 == proc.returncode
    assert "afweging-1" in proc.stderr
    assert "" == proc.stdout.strip()


def test_second_writer_on_locked_case_exit_3(home: Path, tmp_path: Path) -> None:
    """§5: 'A case being edited is locked; a second writer gets exit 3 with a clear message.'"""
    pexpect = pytest.importorskip("pexpect")
    rest = {
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    }
    path = write_answers(tmp_path, "basis", {**VOOR_AFWEGINGEN, **rest})
    _proc, data = start_json(home, path)
    cid = data["casus"]["id"]
    env = dict(os.environ, MELDCODE_HOME=str(home), NO_COLOR="1")
    child = pexpect.spawn(
        MELDCODE, ["hervat", cid, "--eenvoudig"], env=env, encoding="utf-8", timeout=15
    )
    try:
        child.expect("afweging")  # the interactive session is open on the case
        vervolg = tmp_path / "vervolg.yaml"
        vervolg.write_text("sector: basis\nantwoorden:\n  afweging-5: ja\n", encoding="utf-8")
        proc = run_process(home, "hervat", cid, "--antwoorden", str(vervolg), "--json")
        assert 3 == proc.returncode, (proc.stdout, proc.stderr)
        assert proc.stderr.strip()
        assert "" == proc.stdout.strip()
    finally:
        child.terminate(force=True)
