"""The store's error paths and its read-only opening, as a user meets them (docs/mutatie.md).

Found unguarded by mutation testing of `store.py`: waiting while another process sets up a new
store (the WAL switch), giving up on a write another process holds too long, a database file
that SQLite cannot open, a refused store left closed, and read commands that never change the
file (a backup copy stays byte for byte the same).
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from meldcode.errors import StoreTooNew
from meldcode.store import sqlite as store_module
from meldcode.store.sqlite import Store
from meldcode.store.tables import migration_statements
from test_scripted import meldcode
from test_store import _answers, new_case, run_bound_by_modes

# A second process that opens the database, runs the statements, says "klaar", keeps its
# transaction for the given seconds and then lets go.
HOUDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in sys.argv[2].split(";"):
    c.execute(statement).fetchall()
print("klaar", flush=True)
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
"""
LEZEN = "BEGIN; SELECT count(*) FROM sqlite_master"  # a read: a shared lock on the file
SCHRIJVEN = "BEGIN IMMEDIATE"  # a write (e.g. the other's set-up): the write lock


@contextlib.contextmanager
def ander_proces(db: Path, statements: str, seconden: float) -> Iterator[None]:
    """Another process holding a transaction on `db` for `seconden` (from when this yields)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOUDER, str(db), statements, str(seconden)],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            assert "klaar" == proc.stdout.readline().strip()
            yield
        finally:
            proc.kill()


def _nieuw_bestand(home: Path) -> Path:
    """The empty database file a first `meldcode` run has just made (0600), not yet set up."""
    home.mkdir(mode=0o700)
    db = home / "meldcode.db"
    db.touch(mode=0o600)
    return db


def _tekst(uitvoer: str) -> str:
    return " ".join(uitvoer.split())


# --- two processes using a new store at once (Store._wal) -----------------------------------


@pytest.mark.parametrize("houder", [LEZEN, SCHRIJVEN], ids=["leest", "schrijft"])
def test_a_store_another_process_is_setting_up_is_waited_for(houder: str, tmp_path: Path) -> None:
    """`lijst` while another meldcode process is still reading or setting up the brand-new
    store (two first uses at once): it waits for it and then lists, exit 0, instead of saying
    it is busy. (Switching to WAL gets no help from SQLite's own wait while the other holds
    its write lock: meldcode waits itself.)"""
    db = _nieuw_bestand(tmp_path / "home")
    with ander_proces(db, houder, 0.5):
        result = meldcode(tmp_path / "home", "lijst")
    journal = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert (0, "Traceback", "wal") == (
        result.exit_code,
        "Traceback" if "Traceback" not in result.output else result.output,
        journal,
    ), result.output


def test_waiting_for_another_process_leaves_the_processor_free(tmp_path: Path) -> None:
    """While it waits a second for the other process, opening the store sleeps between tries
    instead of keeping a processor core busy (the laptop's fan stays quiet)."""
    db = _nieuw_bestand(tmp_path / "home")
    with ander_proces(db, SCHRIJVEN, 1.0):
        begin, cpu = time.monotonic(), time.process_time()
        Store(db).close()
        gewacht, gerekend = time.monotonic() - begin, time.process_time() - cpu
    assert gewacht > 0.5  # it did wait for the other process
    assert gerekend < 0.3, f"{gerekend:.2f} s processortijd in {gewacht:.2f} s wachten"


def test_a_store_held_too_long_by_another_process_says_busy_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process keeps the new store longer than meldcode waits: exit 3 with the Dutch
    message that the store is busy, no traceback; it does not wait for ever."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)
    db = _nieuw_bestand(tmp_path / "home")
    with ander_proces(db, SCHRIJVEN, 4.0):
        begin = time.monotonic()
        result = meldcode(tmp_path / "home", "lijst")
        duur = time.monotonic() - begin
    assert (3, True, False) == (
        result.exit_code,
        "bezig met een ander meldcode-proces" in _tekst(result.output),
        "Traceback" in result.output,
    ), result.output
    assert duur < 3.0  # gave up after its own wait, not when the other process let go


def test_a_read_only_copy_that_is_not_in_wal_mode_is_refused_at_once(tmp_path: Path) -> None:
    """`start` on a read-only database (0400) as a backup leaves it, without WAL: exit 3 "kan
    niet schrijven" at once, not after waiting 5 seconds as if another process were busy."""
    home = tmp_path / "home"
    new_case(home)
    db = home / "meldcode.db"
    with contextlib.closing(sqlite3.connect(db)) as c:
        c.execute("PRAGMA journal_mode = DELETE")
    db.chmod(0o400)
    try:
        begin = time.monotonic()
        result = run_bound_by_modes(home, "start", "--antwoorden", _answers(tmp_path), "--json")
        duur = time.monotonic() - begin
    finally:
        db.chmod(0o600)
    assert (3, True) == (result.returncode, "kan niet schrijven" in _tekst(result.stderr)), (
        result.stderr
    )
    assert duur < store_module.BUSY_TIMEOUT_MS / 1000, f"{duur:.1f} s"


# --- a write another process holds (Store.transaction) --------------------------------------


def test_a_delete_while_another_process_writes_too_long_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`verwijder` while another process holds a write longer than meldcode waits: exit 3
    "bezig", and the case is still there with its log, even when the other process lets go
    soon after meldcode gave up (nothing is half done outside a transaction)."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 1000)
    casus_id = new_case(tmp_path)
    with ander_proces(tmp_path / "meldcode.db", SCHRIJVEN, 1.6):
        result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    store = Store(tmp_path / "meldcode.db")
    try:
        over = [c.id for c in store.casussen()]
    finally:
        store.close()
    assert (3, True, [casus_id]) == (
        result.exit_code,
        "bezig met een ander meldcode-proces" in _tekst(result.output),
        over,
    ), result.output


# --- a file SQLite cannot open or use (Store.__init__) --------------------------------------


@pytest.mark.parametrize("opdracht", [["lijst"], ["statistiek"]])
def test_a_database_that_is_a_folder_exits_3_without_a_traceback(
    opdracht: list[str], tmp_path: Path
) -> None:
    """`meldcode.db` is a folder (a restore gone wrong): exit 3, the Dutch message that
    meldcode cannot write there, no traceback."""
    (tmp_path / "meldcode.db").mkdir(mode=0o700)
    result = meldcode(tmp_path, *opdracht)
    assert (3, True, False) == (
        result.exit_code,
        "kan niet schrijven" in _tekst(result.output),
        "Traceback" in result.output,
    ), result.output


def _open_handles(path: Path) -> list[str]:
    """This process's open file descriptors on `path` (Linux: /proc/self/fd)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc/self/fd to see which files are open")
    gevonden = []
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):
            if str(fd.readlink()) == str(path):
                gevonden.append(fd.name)
    return gevonden


@pytest.mark.parametrize("lezen", [False, True], ids=["schrijven", "lezen"])
def test_a_store_that_is_refused_is_not_kept_open(lezen: bool, tmp_path: Path) -> None:
    """A store of a newer meldcode is refused (StoreTooNew) and the file is closed at once,
    so a backup or the newer meldcode can replace it while this one still shows its error."""
    db = tmp_path / "meldcode.db"
    Store(db).close()
    with contextlib.closing(sqlite3.connect(db)) as c:
        c.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
        c.commit()
    with pytest.raises(StoreTooNew) as fout:
        Store(db, lezen=lezen)
    assert ([], True) == (_open_handles(db), "nieuwer dan" in str(fout.value)), str(fout.value)


# --- read commands never change the file (Store(lezen=True), open_store) --------------------


def _kopie_zonder_wal(home: Path) -> tuple[str, Path]:
    """A store with one case as a backup copy has it: one file, rollback journal, no -wal."""
    casus_id = new_case(home)
    db = home / "meldcode.db"
    with contextlib.closing(sqlite3.connect(db)) as c:
        c.execute("PRAGMA journal_mode = DELETE")
    return casus_id, db


@pytest.mark.parametrize("opdracht", [["lijst"], ["toon", "ID"], ["statistiek"]])
def test_reading_a_backup_copy_leaves_it_byte_for_byte_the_same(
    opdracht: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lijst`, `toon` and `statistiek` on a copy of the store read it without changing a byte
    (its checksum still matches the backup's) and leave no other file next to it or in the
    working folder."""
    home = tmp_path / "home"
    casus_id, db = _kopie_zonder_wal(home)
    werkmap = tmp_path / "werkmap"
    werkmap.mkdir()
    monkeypatch.chdir(werkmap)
    voor = db.read_bytes()
    naast = sorted(p.name for p in home.iterdir())
    result = meldcode(home, *[casus_id if a == "ID" else a for a in opdracht])
    assert (0, voor, naast, []) == (
        result.exit_code,
        db.read_bytes(),
        sorted(p.name for p in home.iterdir()),
        list(werkmap.iterdir()),
    ), result.output
    if opdracht[0] != "statistiek":
        assert casus_id in result.output


def test_an_older_store_is_migrated_before_it_is_listed(tmp_path: Path) -> None:
    """`lijst` on a store of an older meldcode (schema version 1) brings it up to date first
    and lists its case, exit 0; a read-only opening does not skip the migration."""
    path = tmp_path / "meldcode.db"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in migration_statements(1):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO casussen (id, sector, status, aangemaakt, bijgewerkt, flow_versie,"
            " flow_hash, laatste_hash) VALUES ('mc-oud2-oud2', 'basis', 'open',"
            " '2026-01-01T10:00:00', '2026-01-01T10:00:00', 'v', 'sha256:x', 'h')"
        )
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    result = meldcode(tmp_path, "lijst", "--json")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        versie = conn.execute("PRAGMA user_version").fetchone()[0]
    assert (0, True, store_module.SCHEMA_VERSION) == (
        result.exit_code,
        "mc-oud2-oud2" in result.output,
        versie,
    ), result.output


def test_lijst_on_a_fresh_install_lists_nothing_and_exits_0(tmp_path: Path) -> None:
    """The very first `lijst`, before any case exists: exit 0, no error about the store."""
    result = meldcode(tmp_path / "nieuw", "lijst")
    assert (0, False) == (result.exit_code, "opslag" in result.output.lower()), result.output


# --- a new case: its lock file and its register entry (Store.create) -------------------------


def test_a_start_that_cannot_save_the_case_leaves_no_lock_file(tmp_path: Path) -> None:
    """A new case that cannot be written (a full disk) leaves no lock file behind in the data
    folder: nothing remains of a case that was never saved."""
    from meldcode.errors import StoreUnwritable
    from meldcode.loading import load_flow
    from meldcode.walk.recorder import Recorder
    from test_store_robust import full_disk

    new_case(tmp_path)  # the locks folder exists, with the lock file of that case
    voor = sorted(p.name for p in (tmp_path / "locks").iterdir())
    store = Store(tmp_path / "meldcode.db")
    try:
        with full_disk(store), pytest.raises(StoreUnwritable):
            Recorder.start(store, load_flow("basis"), label="x" * 100_000)
    finally:
        store.close()
    assert voor == sorted(p.name for p in (tmp_path / "locks").iterdir())


def test_a_case_without_answers_yet_verifies(tmp_path: Path) -> None:
    """A case just started, before its first answer, is in the store's register: `verifieer`
    exits 0 and finds nothing wrong."""
    new_case(tmp_path)
    result = meldcode(tmp_path, "verifieer")
    assert 0 == result.exit_code, result.output


def test_an_unknown_id_with_an_escape_sequence_is_shown_exactly_and_harmless(
    tmp_path: Path,
) -> None:
    """`toon` with a typed id holding an escape sequence: exit 2 and the id shown exactly as
    typed, the escape written out as text (`\\x1b`), never sent to the terminal."""
    new_case(tmp_path)
    result = meldcode(tmp_path, "toon", "mc-\x1b[2Jab")
    assert (2, "Casus 'mc-\\x1b[2Jab' bestaat niet", False) == (
        result.exit_code,
        result.output[: len("Casus 'mc-\\x1b[2Jab' bestaat niet")],
        "\x1b" in result.output,
    ), result.output


def test_cases_due_for_evaluation_by_a_date(tmp_path: Path) -> None:
    """`casussen(evaluatie_voor=DAG)`: the cases waiting for an evaluation on or before that
    day, not a later one and not an open case."""
    store = Store(tmp_path / "meldcode.db")
    try:
        ids = {}
        for naam, datum in (("op-tijd", "2026-03-01"), ("die-dag", "2026-03-10"),
                            ("later", "2026-03-11"), ("open", None)):
            casus = store.create(sector="basis", flow_versie="test", flow_hash="sha256:test")
            if datum:
                store.append(casus, status="wacht-op-evaluatie", evaluatiedatum=datum)
            ids[casus.id] = naam
        gevonden = sorted(ids[c.id] for c in store.casussen(evaluatie_voor="2026-03-10"))
    finally:
        store.close()
    assert ["die-dag", "op-tijd"] == gevonden


def test_cases_untouched_since_a_date(tmp_path: Path) -> None:
    """`casussen(bijgewerkt_voor=DAG)` (the agenda's open cases nobody touched): only the cases
    last changed on or before that day, whatever the time of day."""
    tijden = iter(["2026-01-31T23:59:59+01:00", "2026-02-01T09:00:00+01:00",
                   "2026-02-02T08:00:00+01:00"])
    store = Store(tmp_path / "meldcode.db", clock=lambda: next(tijden))
    try:
        ids = [store.create(sector="basis", flow_versie="t", flow_hash="sha256:t").id
               for _ in range(3)]
        gevonden = {c.id for c in store.casussen(bijgewerkt_voor="2026-02-01")}
    finally:
        store.close()
    assert set(ids[:2]) == gevonden


# --- deleting: the register keeps that the case existed (Store.delete) ----------------------


def test_a_deleted_case_stays_in_the_register_with_its_last_hash(tmp_path: Path) -> None:
    """After `verwijder`, `verifieer` still exits 0 (the deletion is recorded, not a case gone
    missing), and the register's last entry for the case is `verwijderd` with the case's last
    hash and number of events: no content, only that it existed."""
    weg = new_case(tmp_path)
    new_case(tmp_path)  # a case that stays
    store = Store(tmp_path / "meldcode.db")
    casus = store.get(weg)
    store.close()
    verwijderd = meldcode(tmp_path, "verwijder", weg, "--ja")
    gecontroleerd = meldcode(tmp_path, "verifieer")
    with contextlib.closing(sqlite3.connect(tmp_path / "meldcode.db")) as c:
        laatste = c.execute(
            "SELECT soort, kop, aantal FROM register WHERE casus_id = ?"
            " ORDER BY volgnummer DESC LIMIT 1", (weg,)
        ).fetchone()
    assert (0, 0, ("verwijderd", casus.laatste_hash, casus.aantal_events)) == (
        verwijderd.exit_code,
        gecontroleerd.exit_code,
        laatste,
    ), gecontroleerd.output


def test_a_delete_while_another_process_reads_warns_after_a_short_wait(tmp_path: Path) -> None:
    """`verwijder` while another process keeps reading the store: the case is deleted (exit 0),
    and after waiting about 2 seconds (not the 5 seconds a write waits) meldcode warns that
    another process still reads the store."""
    casus_id = new_case(tmp_path)
    with ander_proces(tmp_path / "meldcode.db", LEZEN, 15.0):
        begin = time.monotonic()
        result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
        duur = time.monotonic() - begin
    assert (0, True) == (result.exit_code, "leest de opslag nog" in _tekst(result.output)), (
        result.output
    )
    assert duur < 4.5, f"{duur:.1f} s"
