"""`meldcode exporteer`: the JSON contract, the dossier documents, CSV, files and modes."""

from __future__ import annotations

import csv
import errno
import functools
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import html5lib
import jsonschema
import pytest

from meldcode.export import EXPORTERS, ExportFormat
from test_scripted import SCENARIOS, UITKOMSTEN, meldcode, scenario, start

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "export-schema.json").read_text())


@functools.cache
def schema_validator() -> Any:
    """A validator for docs/export-schema.json, the schema checked against its metaschema once
    (`jsonschema.validate` checks it again on every call)."""
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)
FORMATEN = [f.value for f in ExportFormat]


@pytest.fixture(scope="module")
def wacht_mal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The home `wacht` copies: `new_case`'s default case, stored once for this file."""
    home = tmp_path_factory.mktemp("wacht")
    return home, new_case(home)


@pytest.fixture
def wacht(wacht_mal: tuple[Path, str], tmp_path: Path) -> str:
    """`new_case(tmp_path)`: the default case (hulp-bieden, waiting for its evaluation, label
    dossier-4711) stored in `tmp_path`; its id. A copy of a home stored once for this file,
    byte for byte (a scripted run per test was most of this file's time)."""
    mal, casus_id = wacht_mal
    shutil.copytree(mal, tmp_path, dirs_exist_ok=True)
    return casus_id


def new_case(home: Path, naam: str = "hulp-bieden-wacht-op-evaluatie", *opties: str) -> str:
    """A stored case from a scenario; its id."""
    bestand, _ = scenario(SCENARIOS / f"{naam}.yaml", home)
    result = start(home, bestand, "--standaard", "--label", "dossier-4711", *opties)
    assert 0 == result.exit_code, result.stderr
    return str(json.loads(result.stdout)["casus"]["id"])


def export(home: Path, casus_id: str, *args: str) -> str:
    """The export on stdout; it must succeed."""
    result = meldcode(home, "exporteer", casus_id, *args)
    assert 0 == result.exit_code, result.stderr
    return result.stdout


def test_every_format_has_an_exporter() -> None:
    """Each --formaat choice has an exporter in the registry."""
    assert set(ExportFormat) == set(EXPORTERS)
    assert all(callable(EXPORTERS[f]) for f in ExportFormat)


@pytest.mark.parametrize("path", UITKOMSTEN, ids=lambda p: p.stem)
def test_json_export_matches_published_schema(path: Path, tmp_path: Path) -> None:
    """The JSON export of every outcome validates against docs/export-schema.json."""
    doc = json.loads(export(tmp_path, new_case(tmp_path, path.stem), "--formaat", "json"))
    schema_validator().validate(doc)


def test_json_export_has_exactly_the_contract_keys(tmp_path: Path, wacht: str) -> None:
    """The JSON export has the keys of design.md §6, no more and no fewer."""
    doc = json.loads(export(tmp_path, wacht))
    assert ["schema_versie", "casus", "uitkomst", "log", "flow"] == list(doc)
    assert ["id", "sector", "status", "label", "oefening", "aangemaakt", "bijgewerkt"] == list(
        doc["casus"]
    )
    assert ["id", "reden", "meldnorm", "tekst"] == list(doc["uitkomst"])
    assert [
        "volgnummer", "tijd", "soort", "stap", "vraag", "antwoord", "toelichting", "vorige_hash",
        "hash",
    ] == list(doc["log"][0])  # fmt: skip
    assert ["sector", "versie", "hash"] == list(doc["flow"])


def test_log_starts_with_the_acuut_gevaar_answer(tmp_path: Path, wacht: str) -> None:
    """As in design.md §6, log entry 1 is the answer to acuut-gevaar, at the chain's start:
    it links to the kop, the hash of the case's particulars, which the export itself holds."""
    from meldcode.store.log import kop_hash

    doc = json.loads(export(tmp_path, wacht))
    eerste = doc["log"][0]
    kop = kop_hash(
        doc["casus"]["id"],
        {**doc["casus"], "flow_versie": doc["flow"]["versie"], "flow_hash": doc["flow"]["hash"]},
    )
    assert {"volgnummer": 1, "soort": "antwoord", "stap": "stap-1", "vraag": "acuut-gevaar",
            "antwoord": "nee", "vorige_hash": kop} == {
        k: eerste[k] for k in ("volgnummer", "soort", "stap", "vraag", "antwoord", "vorige_hash")
    }


def test_open_case_has_null_outcome(tmp_path: Path) -> None:
    """A case without an outcome exports `uitkomst: null`."""
    casus_id = new_case(tmp_path, "artsen-open-zonder-veilig-thuis")
    assert json.loads(export(tmp_path, casus_id))["uitkomst"] is None


@pytest.mark.parametrize("formaat", FORMATEN)
def test_zonder_label_leaves_the_label_out(formaat: str, tmp_path: Path, wacht: str) -> None:
    """--zonder-label keeps the organisation's reference out of every format."""
    casus_id = wacht
    assert "dossier-4711" in export(tmp_path, casus_id, "--formaat", formaat) or formaat == "csv"
    assert "dossier-4711" not in export(tmp_path, casus_id, "-f", formaat, "--zonder-label")


def test_json_zonder_label_is_null(tmp_path: Path, wacht: str) -> None:
    """In JSON, --zonder-label gives `label: null`."""
    doc = json.loads(export(tmp_path, wacht, "--zonder-label"))
    assert doc["casus"]["label"] is None


def test_html_is_valid_self_contained_and_prints(tmp_path: Path, wacht: str) -> None:
    """The HTML export parses without a single error and needs no other file."""
    text = export(tmp_path, wacht, "--formaat", "html")
    html5lib.HTMLParser(strict=True).parse(text)
    assert "@media print" in text
    assert not any(ref in text for ref in ("src=", "href=", "@import", "url("))


@pytest.mark.parametrize("formaat", ["markdown", "html"])
@pytest.mark.parametrize(
    "inhoud",
    [
        "Stap 4 – Wegen",  # Dutch heading per step
        "Afweging 3 – Hulp",  # each afweging with its question ...
        "Toelichting: (geen toelichting vastgelegd)",  # ... and its reasoning
        "Hulp bieden of organiseren, en later evalueren",  # the outcome
        "Meldnorm",
        "sha256:",  # flow hash
        "Gegenereerd op",
        "Vertrouwelijk.",  # privacy notice
    ],
)
def test_dossier_documents_hold_what_a_dossier_needs(
    formaat: str, inhoud: str, tmp_path: Path, wacht: str
) -> None:
    """Markdown and HTML show steps, afwegingen, outcome, flow version, time and privacy."""
    assert inhoud in export(tmp_path, wacht, "--formaat", formaat)


def test_meldnorm_is_explained(tmp_path: Path) -> None:
    """A melding shows its meldnorm and what that norm means."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    assert "Meldnorm 2: melden is de norm" in export(tmp_path, casus_id, "--formaat", "markdown")


def test_csv_has_a_header_and_one_row_per_event(tmp_path: Path, wacht: str) -> None:
    """CSV: a header row, then one row per logged event."""
    casus_id = wacht
    events = json.loads(export(tmp_path, casus_id))["log"]
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, casus_id, "--formaat", "csv"))))
    assert [e["volgnummer"] for e in events] == [int(r["volgnummer"]) for r in rows]
    assert [e["hash"] for e in events] == [r["hash"] for r in rows]


@pytest.mark.parametrize("formaat", FORMATEN)
def test_export_file_is_owner_only(formaat: str, tmp_path: Path, wacht: str) -> None:
    """An export written to a file has mode 0600."""
    uit = tmp_path / f"export.{formaat}"
    export(tmp_path, wacht, "-f", formaat, "--uitvoer", str(uit))
    assert 0o600 == stat.S_IMODE(uit.stat().st_mode)


def test_existing_file_is_not_overwritten(tmp_path: Path, wacht: str) -> None:
    """An existing file is kept (exit 2) unless --overschrijf is given."""
    uit = tmp_path / "export.json"
    uit.write_text("eerder werk")
    casus_id = wacht
    result = meldcode(tmp_path, "exporteer", casus_id, "--uitvoer", str(uit))
    assert (2, "eerder werk") == (result.exit_code, uit.read_text())
    assert "bestaat al" in result.stderr
    export(tmp_path, casus_id, "--uitvoer", str(uit), "--overschrijf")
    assert casus_id == json.loads(uit.read_text())["casus"]["id"]


@pytest.mark.parametrize("formaat", FORMATEN)
def test_practice_case_is_marked_in_every_format(formaat: str, tmp_path: Path) -> None:
    """A practice case says OEFENING in every export."""
    from meldcode.store import open_store
    from meldcode.walk.scripted_run import run_answers

    bestand, _ = scenario(SCENARIOS / "melden-acuut-gevaar.yaml", tmp_path)
    store = open_store(oefening=True, home=tmp_path)
    run_answers(
        str(bestand), standaard=True, as_json=False, store=store, stdin=io.StringIO(),
        out=io.StringIO(), err=io.StringIO(), oefening=True,
    )  # fmt: skip
    casus_id = store.casussen()[0].id
    text = export(tmp_path, casus_id, "--formaat", formaat)
    assert ('"oefening": true' if formaat == "json" else "OEFENING") in text


def test_unknown_case_cannot_be_exported(tmp_path: Path) -> None:
    """exporteer with an unknown id exits 2 and names the id."""
    result = meldcode(tmp_path, "exporteer", "mc-zzzz-zzzz")
    assert 2 == result.exit_code
    assert "Casus 'mc-zzzz-zzzz' bestaat niet" in result.stderr


@pytest.mark.parametrize("formaat", ["markdown", "html"])
def test_dossier_lists_what_is_still_to_be_recorded(formaat: str, tmp_path: Path) -> None:
    """Questions the meldcode asks to record (domain.md §4.1) that were left empty are listed
    under 'Nog vast te leggen'; one that was answered is not."""
    import yaml

    bestand, _ = scenario(SCENARIOS / "hulp-bieden-wacht-op-evaluatie.yaml", tmp_path)
    data = yaml.load(bestand.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    data["antwoorden"]["eindverantwoordelijke"] = "aandachtsfunctionaris (AF-2)"
    bestand.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    casus_id = json.loads(start(tmp_path, bestand, "--standaard").stdout)["casus"]["id"]
    tekst = export(tmp_path, casus_id, "--formaat", formaat)
    deel = tekst.split("Nog vast te leggen", 1)[-1].split("Stap 1 –", 1)[0]
    assert (True, True, False) == (
        "Nog vast te leggen" in tekst,
        "Welke risicofactoren en beschermende factoren" in deel,
        "Wie is eindverantwoordelijk" in deel,
    )


def test_toon_lists_what_is_still_to_be_recorded(tmp_path: Path, wacht: str) -> None:
    """The summary says which of those answers are still empty, so the professional adds them."""
    casus_id = wacht
    result = meldcode(tmp_path, "toon", casus_id)
    voor, _, na = result.stdout.partition("Nog vast te leggen")
    deel = " ".join(na.split("Stap 1 –", 1)[0].split())
    assert (0, True, True) == (
        result.exit_code, bool(voor and na), "Wie is eindverantwoordelijk" in deel
    ), result.stdout


# --------------------------------------------------------------------------- writing files safely

MELDCODE = str(Path(sys.executable).parent / "meldcode")


def full_disk_after(monkeypatch: pytest.MonkeyPatch, folder: Path, ruimte: int = 4096) -> None:
    """Writes to files in `folder` fail with ENOSPC once `ruimte` bytes are written, whether
    they go through `os.write` or a file object from `os.fdopen` (as a real full disk would)."""
    echt_write, echt_fdopen = os.write, os.fdopen
    over = [ruimte]

    def in_folder(fd: int) -> bool:
        return str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(str(folder))

    def write(fd: int, data: bytes) -> int:
        if not in_folder(fd):
            return echt_write(fd, data)
        if over[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = echt_write(fd, bytes(data[: over[0]]))
        over[0] -= n
        return n

    class Vol(io.StringIO):
        def __init__(self, fd: int) -> None:
            super().__init__()
            self.fd = fd

        def write(self, text: str) -> int:
            data = text.encode("utf-8")
            while data:
                data = data[write(self.fd, data) :]
            return len(text)

        def close(self) -> None:
            os.close(self.fd)
            super().close()

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return Vol(fd) if in_folder(fd) else echt_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fdopen", fdopen)


def test_full_disk_leaves_no_partial_export(
    tmp_path: Path, wacht: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full halfway through the export: exit 2 with a Dutch message that says so, and no
    half-written file (nor a temporary one) is left behind."""
    casus_id = wacht
    uit = tmp_path / "uit"
    uit.mkdir()
    full_disk_after(monkeypatch, uit)
    result = meldcode(
        tmp_path, "exporteer", casus_id, "-f", "html", "--uitvoer", str(uit / "x.html")
    )
    tekst = " ".join(result.stderr.split())
    assert (2, True, []) == (result.exit_code, "de schijf is vol" in tekst, list(uit.iterdir()))
    assert "programmeerfout" not in tekst


def test_ctrl_c_while_writing_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C halfway through writing an export: no half file, no temporary file and no
    reserved name stay behind, so the next export is not refused with 'bestaat al'."""
    from meldcode.export import write_new

    uit = tmp_path / "uit"
    uit.mkdir()
    echt_write = os.write

    def onderbroken(fd: int, data: bytes) -> int:
        if str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(str(uit)):
            raise KeyboardInterrupt
        return echt_write(fd, data)

    monkeypatch.setattr(os, "write", onderbroken)
    with pytest.raises(KeyboardInterrupt):
        write_new(uit / "x.json", "{}", overschrijf=False)
    assert [] == list(uit.iterdir())


def test_full_disk_keeps_the_existing_export(
    tmp_path: Path, wacht: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --overschrijf, a failed write leaves the old export whole (it is replaced only by a
    complete new one) and leaves no temporary file."""
    casus_id = wacht
    uit = tmp_path / "uit"
    uit.mkdir()
    oud = uit / "x.html"
    oud.write_text("eerder werk")
    full_disk_after(monkeypatch, uit)
    result = meldcode(
        tmp_path, "exporteer", casus_id, "-f", "html", "--uitvoer", str(oud), "--overschrijf"
    )
    assert (2, "eerder werk", [oud]) == (result.exit_code, oud.read_text(), list(uit.iterdir()))
    assert "niet gewijzigd" in " ".join(result.stderr.split())


def test_overschrijf_replaces_the_file_whole(tmp_path: Path, wacht: str) -> None:
    """--overschrijf puts a new owner-only file in place (a rename, not a rewrite of the old
    file), even when the old one was readable by others."""
    casus_id = wacht
    oud = tmp_path / "x.json"
    oud.write_text("eerder werk")
    oud.chmod(0o644)
    voor = oud.stat().st_ino
    export(tmp_path, casus_id, "--uitvoer", str(oud), "--overschrijf")
    assert (True, 0o600) == (voor != oud.stat().st_ino, stat.S_IMODE(oud.stat().st_mode))
    assert casus_id == json.loads(oud.read_text())["casus"]["id"]
    assert ["x.json"] == [p.name for p in tmp_path.iterdir() if "x.json" in p.name]


def _special(tmp_path: Path, soort: str) -> Path:
    if soort == "fifo":
        pad = tmp_path / "pijp"
        os.mkfifo(pad)
        return pad
    if soort == "map":
        pad = tmp_path / "map"
        pad.mkdir()
        return pad
    if soort == "stdout":
        return Path("/dev/stdout")
    return Path("/dev/full")


@pytest.mark.parametrize("soort", ["fifo", "map", "stdout", "apparaat"])
def test_special_files_are_refused_and_left_alone(soort: str, tmp_path: Path, wacht: str) -> None:
    """`--uitvoer` naming a FIFO, a folder, /dev/stdout or a device is refused with exit 2, even
    with --overschrijf; it is neither opened, written, replaced nor chmod-ed ('-' is stdout)."""
    casus_id = wacht
    pad = _special(tmp_path, soort)
    voor = pad.stat()
    env = {**os.environ, "MELDCODE_HOME": str(tmp_path)}
    proc = subprocess.run(
        [MELDCODE, "exporteer", casus_id, "--uitvoer", str(pad), "--overschrijf"],
        capture_output=True, text=True, env=env, timeout=20, check=False,
    )  # fmt: skip
    na = pad.stat()
    assert (2, "", voor.st_mode, voor.st_ino) == (
        proc.returncode,
        proc.stdout,
        na.st_mode,
        na.st_ino,
    )
    assert "geen gewoon bestand" in proc.stderr


@pytest.mark.parametrize("formaat", ["markdown", "html"])
def test_dossier_shows_a_date_answer_as_dd_mm_jjjj_and_json_keeps_iso(
    formaat: str, tmp_path: Path, wacht: str
) -> None:
    """One date format where a person reads (issue 11): the evaluatiedatum answer reads
    15-03-2027 in the dossier; JSON keeps the ISO date the answers file gave."""
    casus_id = wacht
    document = export(tmp_path, casus_id, "--formaat", formaat)
    assert "15-03-2027" in document
    assert "2027-03-15" not in document
    assert "2027-03-15" in export(tmp_path, casus_id, "--formaat", "json")
    # The log table names questions by their text, not their ids (CSV keeps the ids).
    assert "| evaluatiedatum |" not in document
    assert ",evaluatiedatum," in export(tmp_path, casus_id, "--formaat", "csv")


@pytest.mark.parametrize("breuk", ["kapotte-yaml", "sector-weg"])
def test_a_case_still_exports_when_the_flows_broke_since(
    breuk: str, tmp_path: Path, flows_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flow files that no longer load (broken YAML, or the case's sector gone): the dossier is
    still made from the log, with question ids for their texts, and says the flows differ."""
    casus_id = new_case(tmp_path)
    if breuk == "kapotte-yaml":
        (flows_copy / "stappen" / "stap-2.yaml").write_text("vragen: [\n", encoding="utf-8")
    else:
        sectoren = flows_copy / "afwegingskader" / "sectoren.yaml"
        tekst = sectoren.read_text(encoding="utf-8")
        sectoren.write_text(tekst.replace("id: basis", "id: basis-oud"), encoding="utf-8")
    monkeypatch.setenv("MELDCODE_FLOWS", str(flows_copy))
    text = export(tmp_path, casus_id, "--formaat", "markdown")
    assert "**signalen**" in text  # the id: no flow gives its text
    assert "de huidige flows wijken af" in text


def test_exporters_import_no_store_flow_loading_or_engine() -> None:
    """Every module under export/ (late and type-only imports included) imports from meldcode
    only dossier values, the contract tables, text helpers, the model, errors and export/
    itself: an exporter turns a dossier value into text and reads nothing."""
    import ast

    import meldcode.export

    toegestaan = ("contract", "dossier.value", "dossier.draft", "text", "model", "errors", "export")
    gevonden = []
    for bestand in sorted(Path(meldcode.export.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(bestand.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "meldcode":
                namen = [f"meldcode.{a.name}" for a in node.names]  # from meldcode import engine
            elif isinstance(node, ast.ImportFrom):
                namen = [node.module or ""]
            elif isinstance(node, ast.Import):
                namen = [a.name for a in node.names]
            else:
                continue
            for naam in namen:
                deel = naam.removeprefix("meldcode.")
                if naam.startswith("meldcode.") and not deel.startswith(toegestaan):
                    gevonden.append(f"{bestand.name}: {naam}")
    assert [] == gevonden
