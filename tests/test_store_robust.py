"""The store under stress: full disks, busy files, races, damaged folders, and safe exports."""

from __future__ import annotations

import ast
import atexit
import contextlib
import csv
import gc
import io
import itertools
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meldcode.errors import StoreUnwritable
from meldcode.flows import load_flow
from meldcode.store import sqlite as store_module
from meldcode.store.log import NieuwEvent
from meldcode.store.sqlite import Store
from meldcode.walk.recorder import Recorder
from test_scripted import meldcode

SRC = Path(__file__).resolve().parents[1] / "src" / "meldcode"


def new_case(home: Path, sector: str = "basis", label: str | None = None) -> str:
    """A case created the way `start` creates it; returns its id."""
    store = Store(home / "meldcode.db")
    recorder = Recorder.start(store, load_flow(sector), label=label)
    recorder.close()
    store.close()
    return recorder.casus.id


@contextlib.contextmanager
def full_disk(store: Store) -> Iterator[None]:
    """The database file cannot grow: writes fail as on a full disk."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    yield
    store.conn.execute("PRAGMA max_page_count = 1073741823")


class _NoVacuum(sqlite3.Connection):
    """A connection on which VACUUM fails as it does when the disk is full."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.strip().upper() == "VACUUM":
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


@pytest.fixture
def no_vacuum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store the CLI opens fails to VACUUM."""
    connect = sqlite3.connect

    def connect_no_vacuum(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connect(*args, **kwargs, factory=_NoVacuum)

    monkeypatch.setattr(sqlite3, "connect", connect_no_vacuum)


# --- 1, 2: errors inside a write ------------------------------------------------------------


def test_a_damaged_table_inside_a_write_exits_3(tmp_path: Path) -> None:
    """An SQLite error raised by a statement inside a write is a store error (exit 3)."""
    casus_id = new_case(tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / "meldcode.db")) as c:
        c.execute("DROP TABLE events")
    result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    assert (3, True) == (result.exit_code, "beschadigd" in result.stderr)


@pytest.mark.parametrize("command", [["lijst"], ["statistiek"], ["verifieer"], ["lijst", "--json"]])
def test_a_store_damaged_past_its_first_page_exits_3_on_read(
    tmp_path: Path, command: list[str]
) -> None:
    """A store that opens but whose tables are damaged: reading says so (exit 3), never exit 1."""
    store = Store(tmp_path / "meldcode.db")
    for _ in range(40):
        store.create(sector="basis", flow_versie="x", flow_hash="y", label="x" * 400)
    store.close()
    db = tmp_path / "meldcode.db"
    damaged = db.read_bytes()[: 3 * 4096] + b"\x5a" * (db.stat().st_size - 3 * 4096)
    db.write_bytes(damaged)
    result = meldcode(tmp_path, *command)
    assert (3, True, "Traceback" in result.stderr, damaged) == (
        result.exit_code,
        "beschadigd" in result.stderr,
        False,
        db.read_bytes(),
    )


PAGE = 4096  # SQLite's default page size, which meldcode keeps


def _store_with_one_real_case(home: Path) -> str:
    """A real, finished case whose events fill several pages, and 40 more case rows.

    Only that case has events, so every page of the events table is one of its pages. The
    WAL is checkpointed into the file, so damage to the file is what SQLite reads. Built once
    per test process (a CLI run and 190 writes) and copied into `home`: every caller gets
    its own copy of the folder, byte for byte, with its modes.
    """
    if not _MAL:
        mal = Path(tempfile.mkdtemp(prefix="meldcode-robuust-")) / "home"
        atexit.register(shutil.rmtree, mal.parent, ignore_errors=True)
        _MAL.append((mal, _build_store_with_one_real_case(mal)))
    mal, casus_id = _MAL[0]
    shutil.copytree(mal, home)
    return casus_id


_MAL: list[tuple[Path, str]] = []  # the folder `_store_with_one_real_case` copies, its case


def _build_store_with_one_real_case(home: Path) -> str:
    from test_export import new_case as scenario_case

    home.mkdir()
    casus_id = scenario_case(home, "melden-geen-effectieve-hulp")
    store = Store(home / "meldcode.db")
    store.append(store.get(casus_id), *[NieuwEvent(soort="hervat") for _ in range(150)])
    for _ in range(40):
        store.create(sector="basis", flow_versie="x", flow_hash="y", label="x" * 300)
    store.close()
    gc.collect()  # the CLI run above leaves its connection for the garbage collector
    with contextlib.closing(sqlite3.connect(home / "meldcode.db")) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return casus_id


def _pages(db: Path) -> dict[str, list[int]]:
    """The pages of each table and index: the root first, then its leaves (SQLite's dbstat)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        try:
            rijen = c.execute(
                "SELECT name, pageno, pagetype FROM dbstat ORDER BY name, path"
            ).fetchall()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat to find the pages of a table or index")
    pages: dict[str, list[int]] = {}
    for naam, page, soort in rijen:
        if soort != "overflow":
            pages.setdefault(naam, []).append(page)
    return pages


def _damage(db: Path, page: int) -> bytes:
    """Fill one page (numbered from 1) with 0xA5; the file's new bytes."""
    data = bytearray(db.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = b"\xa5" * PAGE
    db.write_bytes(bytes(data))
    return bytes(data)


# Which page each command reads: a leaf in the middle of a table, or an index's root page
# (every lookup passes the root). The commands that need a case get the real case's id.
_LEZERS = [
    ("events", "toon ID"),
    ("events", "exporteer ID --formaat markdown"),
    ("events", "hervat ID --antwoorden LEEG"),
    ("events", "graaf --casus ID"),
    ("events", "verifieer"),
    ("events", "verifieer ID"),
    ("casussen", "lijst"),
    ("casussen", "lijst --json --aantal 0"),
    ("casussen", "verifieer"),
    ("sqlite_autoindex_casussen_1", "toon ID"),
    ("sqlite_autoindex_casussen_1", "exporteer ID"),
    ("sqlite_autoindex_casussen_1", "hervat ID --antwoorden LEEG"),
    ("sqlite_autoindex_casussen_1", "graaf --casus ID"),
    ("casussen_moment", "lijst"),
    ("casussen_sector", "lijst --sector basis"),
    ("casussen_statistiek", "statistiek"),
    ("casussen_statistiek", "statistiek --json"),
    # Indexes no query of verifieer needs: only PRAGMA quick_check finds these (was "in orde").
    ("casussen_evaluatie", "verifieer"),
    ("casussen_maand_gestart", "verifieer --json"),
    ("casussen_tienden", "verifieer ID"),
]


@pytest.mark.parametrize(("btree", "opdracht"), _LEZERS, ids=[f"{b}-{o}" for b, o in _LEZERS])
def test_every_read_of_a_damaged_page_exits_3(btree: str, opdracht: str, tmp_path: Path) -> None:
    """One damaged data or index page in the middle of the file: each command that reads it
    says the store is damaged (exit 3), never exit 1 or "in orde", and leaves the file alone."""
    home = tmp_path / "home"
    casus_id = _store_with_one_real_case(home)
    db = home / "meldcode.db"
    pages = _pages(db)[btree]
    page = pages[len(pages) // 2] if btree in ("events", "casussen") else pages[0]
    assert page > 2  # not the file's header page: damage in the middle of the file
    leeg = tmp_path / "leeg.yaml"
    leeg.write_text("antwoorden: {}\n", encoding="utf-8")
    args = [{"ID": casus_id, "LEEG": str(leeg)}.get(woord, woord) for woord in opdracht.split()]
    damaged = _damage(db, page)
    result = meldcode(home, *args)
    tekst = " ".join(result.stderr.split())
    gevonden = (
        result.exit_code,
        "beschadigd" in tekst,
        "in orde" in result.stdout,
        "Traceback" in result.stderr,
        damaged == db.read_bytes(),
    )
    assert (3, True, False, False, True) == gevonden, result.output


def test_damage_is_what_quick_check_finds(tmp_path: Path) -> None:
    """Store.damage: nothing on an intact store; SQLite's findings on a damaged index page."""
    home = tmp_path / "home"
    _store_with_one_real_case(home)
    db = home / "meldcode.db"
    store = Store(db)
    heel = store.damage()
    store.close()
    _damage(db, _pages(db)["casussen_status"][0])
    store = Store(db)
    kapot = store.damage()
    store.close()
    assert ([], True) == (heel, bool(kapot))


def test_the_damage_message_does_not_claim_the_file_is_unchanged() -> None:
    """Damage found mid-run may follow earlier commits: the message promises only what holds."""
    from meldcode.errors import StoreCorrupt

    tekst = " ".join(str(StoreCorrupt(pad="/x/meldcode.db")).split())
    assert (False, True, True, True, True) == (
        "niet gewijzigd" in tekst,
        "beschadigd" in tekst,
        "niet te herstellen" in tekst and "is niet opgeslagen" in tekst,
        "reservekopie" in tekst and "beheerder" in tekst,
        "MELDCODE_HOME" in tekst,
    )


def test_an_answer_that_is_no_longer_json_is_damage_not_a_crash(tmp_path: Path) -> None:
    """A stored answer that no longer decodes: toon says the store is damaged (exit 3), in a
    separate process that prints nothing else on its way out (no ignored exceptions)."""
    home = tmp_path / "home"
    casus_id = _store_with_one_real_case(home)
    with contextlib.closing(sqlite3.connect(home / "meldcode.db")) as c, c:
        c.execute("UPDATE events SET antwoord = '{' WHERE casus_id = ? AND volgnummer = 2",
                  (casus_id,))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "meldcode", "toon", casus_id],
        env={**os.environ, "MELDCODE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (3, True, False, False) == (
        result.returncode,
        "beschadigd" in result.stderr,
        "Traceback" in result.stderr,
        "Exception ignored" in result.stderr,
    ), result.stderr


def test_a_full_disk_is_reported_as_unwritable(tmp_path: Path) -> None:
    """A write on a full disk says the store cannot be written, not that it is corrupt."""
    store = Store(tmp_path / "meldcode.db")
    with full_disk(store), pytest.raises(StoreUnwritable, match="vrije ruimte"):
        store.create(sector="basis", flow_versie="x", flow_hash="y", label="x" * 100_000)


def test_the_store_is_usable_after_a_failed_write(tmp_path: Path) -> None:
    """After a write that failed on a full disk, the next write succeeds."""
    store = Store(tmp_path / "meldcode.db")
    with full_disk(store), contextlib.suppress(StoreUnwritable):
        store.create(sector="basis", flow_versie="x", flow_hash="y", label="x" * 100_000)
    assert "basis" == store.create(sector="basis", flow_versie="x", flow_hash="y").sector


# --- 3: busy --------------------------------------------------------------------------------


def test_a_busy_store_says_so_and_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process writing for too long: exit 3, the store is busy, nothing lost."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    casus_id = new_case(tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / "meldcode.db", isolation_level=None)) as c:
        c.execute("BEGIN IMMEDIATE")
        result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
        c.execute("ROLLBACK")
    tekst = " ".join(result.stderr.split())
    assert (3, True, False) == (
        result.exit_code,
        "bezig met een ander meldcode-proces" in tekst,
        "al geopend" in tekst,
    )


# --- 4: first use by two processes at once -------------------------------------------------


def test_many_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Opening a brand-new store from several places at the same moment never fails."""
    fouten: list[BaseException] = []

    def open_it(path: Path, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            Store(path).close()
        except BaseException as e:  # collected, asserted on below
            fouten.append(e)

    for ronde in range(10):
        path = tmp_path / f"r{ronde}" / "meldcode.db"
        barrier = threading.Barrier(6)
        threads = [threading.Thread(target=open_it, args=(path, barrier)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [] == [f"{type(e).__name__}: {e}" for e in fouten]


# --- 5: lock folder -------------------------------------------------------------------------


def test_an_unusable_lock_folder_exits_3(tmp_path: Path) -> None:
    """A `locks` that is not a folder: exit 3 saying meldcode cannot write there."""
    casus_id = new_case(tmp_path)
    shutil.rmtree(tmp_path / "locks")
    (tmp_path / "locks").write_text("geen map")
    result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    assert (3, True) == (result.exit_code, "kan niet schrijven" in result.stderr)


# --- 6: deleting ----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_vacuum")
def test_verwijder_warns_when_the_file_cannot_be_compacted(tmp_path: Path) -> None:
    """A failing VACUUM after verwijder: exit 0, the case is gone, a warning on stderr."""
    casus_id = new_case(tmp_path)
    result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    lijst = json.loads(meldcode(tmp_path, "lijst", "--json").stdout)
    assert (0, [], True) == (
        result.exit_code,
        lijst,
        "kon niet worden opgeschoond" in " ".join(result.stderr.split()),
    )


@pytest.mark.usefixtures("no_vacuum")
def test_deleted_content_is_overwritten_even_without_vacuum(tmp_path: Path) -> None:
    """After verwijder, the label is not in the database files, even when VACUUM failed."""
    casus_id = new_case(tmp_path, label="dossier-4711")
    assert 0 == meldcode(tmp_path, "verwijder", casus_id, "--ja").exit_code
    bestanden = [p for p in tmp_path.glob("meldcode.db*") if b"dossier-4711" in p.read_bytes()]
    assert [] == bestanden


@pytest.mark.parametrize("opdracht", ["verwijder", "opschonen"])
def test_deleting_a_case_removes_its_lock_file(opdracht: str, tmp_path: Path) -> None:
    """verwijder and opschonen --uitvoeren leave no lock file named after the case."""
    casus_id = new_case(tmp_path)
    store = Store(tmp_path / "meldcode.db")
    store.lock(casus_id)
    store.close()
    args = {
        "verwijder": ["verwijder", casus_id, "--ja"],
        "opschonen": ["opschonen", "--ouder-dan", "1m", "--uitvoeren"],
    }[opdracht]
    if opdracht == "opschonen":
        with contextlib.closing(sqlite3.connect(tmp_path / "meldcode.db")) as c, c:
            c.execute("UPDATE casussen SET bijgewerkt = '2001-01-01T10:00:00+01:00'")
    assert 0 == meldcode(tmp_path, *args).exit_code
    assert [] == [p.name for p in (tmp_path / "locks").iterdir()]


def test_opschonen_skips_a_case_open_elsewhere(tmp_path: Path) -> None:
    """opschonen --uitvoeren deletes the others, keeps and names the open case, exits 3."""
    store = Store(tmp_path / "meldcode.db", clock=lambda: "2001-02-03T10:00:00+01:00")
    open_id = store.create(sector="basis", flow_versie="x", flow_hash="y").id
    store.create(sector="basis", flow_versie="x", flow_hash="y")
    store.lock(open_id)
    try:
        result = meldcode(tmp_path, "opschonen", "--ouder-dan", "20j", "--uitvoeren")
    finally:
        store.close()
    over = [c["id"] for c in json.loads(meldcode(tmp_path, "lijst", "--json").stdout)]
    assert (3, [open_id], True) == (result.exit_code, over, open_id in result.stderr)


# --- 7: owner-only on open ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("naam", "los", "streng"), [("", 0o755, 0o700), ("meldcode.db", 0o644, 0o600)]
)
def test_opening_tightens_loose_modes(naam: str, los: int, streng: int, tmp_path: Path) -> None:
    """A restored data folder (0755) or database (0644) is owner-only again once opened."""
    home = tmp_path / "home"
    Store(home / "meldcode.db").close()
    (home / naam).chmod(los)
    Store(home / "meldcode.db").close()
    assert oct(streng) == oct(stat.S_IMODE((home / naam).stat().st_mode))


# --- 8: CSV formula injection ---------------------------------------------------------------


@pytest.mark.parametrize("begin", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_start_a_formula(begin: str, tmp_path: Path) -> None:
    """Free text that a spreadsheet would run as a formula is prefixed with a quote."""
    tekst = f'{begin}HYPERLINK("http://x.example";"klik")'
    store = Store(tmp_path / "meldcode.db")
    casus = store.create(sector="basis", flow_versie="x", flow_hash="y")
    store.append(casus, NieuwEvent(soort="wijziging", vraag="signalen", toelichting=tekst))
    store.close()
    uit = meldcode(tmp_path, "exporteer", casus.id, "--formaat", "csv").stdout
    (rij,) = csv.DictReader(io.StringIO(uit, newline=""))
    assert "'" + tekst == rij["toelichting"]


# --- 9: unreadable standard input -----------------------------------------------------------


@pytest.mark.parametrize(
    "invoer", ["printf '\\377\\376' | ", "exec <&- ; "], ids=["geen-utf8", "gesloten"]
)
def test_unreadable_stdin_is_an_answers_file_error(invoer: str, tmp_path: Path) -> None:
    """Non-UTF-8 bytes or a closed stdin for `--antwoorden -`: exit 2, in Dutch."""
    env = {**os.environ, "MELDCODE_HOME": str(tmp_path)}
    result = subprocess.run(
        ["sh", "-c", invoer + '"$0" -m meldcode start --antwoorden -', sys.executable],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert (2, True) == (result.returncode, "antwoordenbestand" in result.stderr)


# --- 10: lijst --aantal ---------------------------------------------------------------------


def test_lijst_refuses_an_absurd_aantal(tmp_path: Path) -> None:
    """`lijst --aantal` with a number beyond any store is wrong use (exit 2)."""
    result = meldcode(tmp_path, "lijst", "--aantal", "99999999999999999999")
    assert 2 == result.exit_code


# --- 11: graaf --casus with --sector --------------------------------------------------------


@pytest.mark.parametrize(("sector", "code"), [(None, 0), ("onderwijs", 0), ("basis", 2)], ids=str)
def test_graaf_casus_refuses_another_sector(sector: str | None, code: int, tmp_path: Path) -> None:
    """graaf --casus with a --sector other than the case's own exits 2."""
    casus_id = new_case(tmp_path, sector="onderwijs")
    extra = ["--sector", sector] if sector else []
    result = meldcode(tmp_path, "graaf", "--casus", casus_id, *extra)
    assert (code, code == 2) == (result.exit_code, "onderwijs" in result.stderr)


# --- 12: dead code --------------------------------------------------------------------------


def _unreachable(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        for veld in ("body", "orelse", "finalbody"):
            blok = getattr(node, veld, None)
            if not isinstance(blok, list):
                continue
            for st, volgende in itertools.pairwise(blok):
                if isinstance(st, ast.Return | ast.Raise | ast.Continue | ast.Break):
                    yield volgende.lineno


def test_no_statement_follows_a_return() -> None:
    """No module has code after a return, raise, break or continue in the same block."""
    gevonden = [
        f"{p.relative_to(SRC)}:{regel}"
        for p in sorted(SRC.rglob("*.py"))
        for regel in _unreachable(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert [] == gevonden


def test_a_resume_that_cannot_read_the_log_releases_the_case(tmp_path: Path) -> None:
    """Recorder.resume on a case whose log no longer decodes fails with a store error and
    leaves the case unlocked, so another process (here: another open of the store) can take it."""
    from meldcode.errors import StoreError

    home = tmp_path / "home"
    casus_id = _store_with_one_real_case(home)
    with contextlib.closing(sqlite3.connect(home / "meldcode.db")) as c, c:
        c.execute("UPDATE events SET antwoord = '{' WHERE casus_id = ? AND volgnummer = 2",
                  (casus_id,))  # fmt: skip
    eerste, tweede = Store(home / "meldcode.db"), Store(home / "meldcode.db")
    try:
        with pytest.raises(StoreError):
            Recorder.resume(eerste, casus_id, load_flow("basis"))
        tweede.lock(casus_id)  # StoreLocked if the failed resume still held the case
    finally:
        eerste.close()
        tweede.close()
