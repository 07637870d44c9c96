"""The store as a user meets it: nothing lost on a kill, one writer per case, never overwritten."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pexpect
import pytest

from inprocess import run_meldcode
from meldcode.flows import load_flow
from meldcode.store.sqlite import Store
from meldcode.walk.recorder import Recorder

TIMEOUT = 20


def run(home: Path, *args: str, prefix: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """`python -m meldcode ARGS` without a terminal, with its own store."""
    env = {**os.environ, "MELDCODE_HOME": str(home)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "meldcode", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def inproc(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """What `run` gives, in-process (tests/inprocess.py); a lock held elsewhere, a kill and
    another user's rights keep `run`'s process of their own."""
    return run_meldcode(args, env={"MELDCODE_HOME": str(home)})


def new_case(home: Path) -> str:
    """A case created the way `start` creates it; returns its id."""
    store = Store(home / "meldcode.db")
    recorder = Recorder.start(store, load_flow("basis"))
    recorder.close()
    store.close()
    return recorder.casus.id


def test_sigkill_right_after_an_answer_keeps_that_answer(tmp_path: Path) -> None:
    """Once the next question is on screen, the answer before it survives kill -9."""
    env = {
        **os.environ,
        "MELDCODE_HOME": str(tmp_path),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "meldcode", "start", "--sector", "basis"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=TIMEOUT,
    )
    child.expect("acuut gevaar voor")
    child.send("\r")  # nee: the cursor starts there (ja would end the case)
    child.expect("signalen ziet")
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    store = Store(tmp_path / "meldcode.db")
    (casus,) = store.casussen()
    antwoorden = [(e.vraag, e.antwoord) for e in store.events(casus.id) if e.soort == "antwoord"]
    store.close()
    assert (signal.SIGKILL, [("acuut-gevaar", "nee")]) == (child.signalstatus, antwoorden)


def test_a_case_open_elsewhere_gives_exit_3_naming_the_case(tmp_path: Path) -> None:
    """hervat on a case this test holds locked exits 3 and names the case."""
    casus_id = new_case(tmp_path)
    holder = Store(tmp_path / "meldcode.db")
    holder.lock(casus_id)
    try:
        result = run(tmp_path, "hervat", casus_id)
    finally:
        holder.close()
    assert (3, True) == (result.returncode, casus_id in result.stderr)


def test_a_corrupt_database_gives_exit_3_and_stays_untouched(tmp_path: Path) -> None:
    """Garbage in meldcode.db: exit 3, a message naming the file, and the bytes as they were."""
    db = tmp_path / "meldcode.db"
    garbage = os.urandom(4096)
    db.write_bytes(garbage)
    result = inproc(tmp_path, "hervat", "mc-aaaa-bbbb")
    assert (3, "beschadigd", garbage) == (
        result.returncode,
        "beschadigd" if "beschadigd" in result.stderr else result.stderr,
        db.read_bytes(),
    )


@pytest.mark.parametrize(("name", "mode"), [("", 0o700), ("meldcode.db", 0o600)])
def test_data_directory_and_database_are_owner_only(tmp_path: Path, name: str, mode: int) -> None:
    """The data folder is 0700 and the database 0600, whatever the umask."""
    home = tmp_path / "data"
    old = os.umask(0o022)
    try:
        new_case(home)
    finally:
        os.umask(old)
    assert oct(mode) == oct(stat.S_IMODE((home / name).stat().st_mode))


def test_every_file_and_folder_meldcode_makes_is_owner_only(tmp_path: Path) -> None:
    """Database, WAL, lock files and their folders: nobody but the owner can read them."""
    home = tmp_path / "data"
    old = os.umask(0o022)
    try:
        new_case(home)
    finally:
        os.umask(old)
    paden = [home, *home.rglob("*")]
    assert any(p.suffix == ".lock" for p in paden)
    for pad in paden:
        verwacht = 0o700 if pad.is_dir() else 0o600
        assert (str(pad), oct(verwacht)) == (str(pad), oct(stat.S_IMODE(pad.stat().st_mode)))


def test_a_version_1_store_is_migrated_forward_with_its_cases(tmp_path: Path) -> None:
    """A store written at schema version 1 opens, keeps its cases and gets version 2."""
    import sqlite3

    from meldcode.store import sqlite as store_module
    from meldcode.store.tables import migration_statements

    path = tmp_path / "meldcode.db"
    conn = sqlite3.connect(path)
    for statement in migration_statements(1):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO casussen (id, sector, status, aangemaakt, bijgewerkt, flow_versie,"
        " flow_hash, laatste_hash) VALUES ('mc-oud1-oud1', 'basis', 'open', '2026-01-01T10:00:00',"
        " '2026-01-01T10:00:00', 'v', 'sha256:x', 'h')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    migrated = store_module.Store(path)
    versie = migrated.conn.execute("PRAGMA user_version").fetchone()[0]
    assert store_module.SCHEMA_VERSION == versie
    assert "open" == migrated.get("mc-oud1-oud1").status
    indexes = {r[0] for r in migrated.conn.execute("SELECT name FROM sqlite_master")}
    assert {"casussen_maand_gestart", "casussen_tienden"} <= indexes
    migrated.close()


def _recorder_before_afweging_1(home: Path) -> tuple[Store, Recorder, object]:
    """A basis case recorded up to (not including) afweging-1; the store, recorder, state."""
    from meldcode import engine
    from meldcode.model import State

    flow = load_flow("basis")
    store = Store(home / "meldcode.db")
    recorder = Recorder.start(store, flow)
    state = State(sector="basis")
    antwoorden = {
        "acuut-gevaar": "nee", "signalen": ["verwaarlozing"], "signalen-beschrijving": "feit",
        "kindcheck": "nee", "kindcheck-toelichting": None, "collegiale-consultatie": "advies",
        "veilig-thuis-geraadpleegd": "nee", "letselduiding": None, "gesprek-gevoerd": "ja",
        "gesprek-verslag": None, "weging": None, "eindverantwoordelijke": None,
    }
    for vraag_id, waarde in antwoorden.items():
        from meldcode.model import Antwoord

        state = engine.advance(flow, state, Antwoord(vraag_id=vraag_id, waarde=waarde))
        recorder.antwoord(flow.vraag(vraag_id), state.antwoorden[-1], state)
    return store, recorder, state


def test_an_answer_and_its_outcome_land_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing the outcome event fails, the answer that caused it is not stored either."""
    from meldcode import engine
    from meldcode.errors import StoreUnwritable
    from meldcode.model import Antwoord

    store, recorder, state = _recorder_before_afweging_1(tmp_path)
    voor = store.get(recorder.casus.id)
    echt = store._insert_event

    def faalt_bij_uitkomst(c: object, casus_id: str, e: object) -> None:
        if getattr(e, "soort", None) == "uitkomst":
            raise StoreUnwritable(pad="test")
        echt(c, casus_id, e)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_insert_event", faalt_bij_uitkomst)
    flow = recorder.flow
    nieuw = engine.advance(flow, state, Antwoord(vraag_id="afweging-1", waarde="nee"))  # type: ignore[arg-type]
    with pytest.raises(StoreUnwritable):
        recorder.antwoord(flow.vraag("afweging-1"), nieuw.antwoorden[-1], nieuw)
    na = store.get(recorder.casus.id)
    vragen = [e.vraag for e in store.events(recorder.casus.id)]
    store.close()
    assert (voor.aantal_events, None) == (na.aantal_events, na.uitkomst_id)
    assert "afweging-1" not in vragen


def test_going_back_past_an_outcome_clears_its_time(tmp_path: Path) -> None:
    """After terug past the outcome, the case row has no outcome and no outcome time."""
    from meldcode import engine
    from meldcode.model import Antwoord

    store, recorder, state = _recorder_before_afweging_1(tmp_path)
    flow = recorder.flow
    nieuw = engine.advance(flow, state, Antwoord(vraag_id="afweging-1", waarde="nee"))  # type: ignore[arg-type]
    recorder.antwoord(flow.vraag("afweging-1"), nieuw.antwoorden[-1], nieuw)
    assert store.get(recorder.casus.id).uitkomst_tijd is not None
    terug, _ = engine.terug(flow, nieuw, "afweging-1")
    recorder.terug(flow.vraag("afweging-1"), terug)
    rij = store.get(recorder.casus.id)
    store.close()
    assert (None, None, "open") == (rij.uitkomst_id, rij.uitkomst_tijd, rij.status)


def test_a_lock_that_cannot_be_taken_leaves_no_empty_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the case lock fails, Recorder.start creates nothing in the store."""
    from meldcode.errors import StoreLocked

    store = Store(tmp_path / "meldcode.db")

    def weigert(casus_id: str) -> None:
        raise StoreLocked(casus_id=casus_id)

    monkeypatch.setattr(store, "lock", weigert)
    with pytest.raises(StoreLocked):
        Recorder.start(store, load_flow("basis"))
    casussen = store.casussen()
    store.close()
    assert [] == casussen


# --- modes: only ever removed, and never on a folder others use (review-b M3) ----------------

SCENARIO = Path(__file__).parent / "scenarios" / "melden-acuut-gevaar.yaml"
ZONDER_OVERRIDE = "--bounding-set=-dac_override,-dac_read_search,-fowner"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run_bound_by_modes(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`run`, but bound by file modes: as root, without the capabilities that ignore them."""
    import shutil

    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores file modes, and setpriv (to drop that power) is missing")
        probe = subprocess.run([setpriv, ZONDER_OVERRIDE, "true"], check=False)
        if probe.returncode != 0:
            pytest.skip("setpriv cannot drop capabilities here (no CAP_SETPCAP)")
        prefix = [setpriv, ZONDER_OVERRIDE]
    return run(home, *args, prefix=prefix)


def _answers(tmp_path: Path) -> str:
    """An answers file that makes a new, finished case."""
    import yaml

    data = yaml.load(SCENARIO.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    del data["verwacht"]
    bestand = tmp_path / "antwoorden.yaml"
    bestand.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(bestand)


@pytest.mark.parametrize(
    ("naam", "voor", "na"),
    [
        ("meldcode.db", 0o400, 0o400),
        ("meldcode.db", 0o000, 0o000),
        ("meldcode.db", 0o640, 0o600),
        ("meldcode.db", 0o444, 0o400),
        ("", 0o500, 0o500),
        ("", 0o750, 0o700),
        ("", 0o2755, 0o2700),
        ("", 0o1755, 0o1700),  # sticky, but only the owner may write: private enough
    ],
    ids=lambda x: oct(x) if isinstance(x, int) else (x or "map"),
)
def test_opening_removes_group_and_other_bits_and_never_adds_any(
    naam: str, voor: int, na: int, tmp_path: Path
) -> None:
    """A database or folder its owner made read-only stays so; looser bits are only removed."""
    from meldcode.errors import StoreError

    home = tmp_path / "home"
    Store(home / "meldcode.db").close()
    (home / naam).chmod(voor)
    try:
        with contextlib.suppress(StoreError):  # without root, a read-only store cannot open
            Store(home / "meldcode.db").close()
        assert oct(na) == oct(_mode(home / naam))
    finally:
        (home / naam).chmod(0o700 if not naam else 0o600)


@pytest.mark.parametrize("naam", ["meldcode.db", ""], ids=["database-0400", "map-0500"])
def test_a_store_its_owner_made_read_only_refuses_writes_with_exit_3(
    naam: str, tmp_path: Path
) -> None:
    """start on a read-only database (0400) or data folder (0500): exit 3, mode and bytes kept."""
    home = tmp_path / "home"
    new_case(home)
    db = home / "meldcode.db"
    streng = 0o400 if naam else 0o500
    (home / naam).chmod(streng)
    voor = db.read_bytes()
    try:
        result = run_bound_by_modes(home, "start", "--antwoorden", _answers(tmp_path), "--json")
        modus = _mode(home / naam)
    finally:
        (home / naam).chmod(0o600 if naam else 0o700)
    assert (3, True, oct(streng), True) == (
        result.returncode,
        "kan niet schrijven" in " ".join(result.stderr.split()),
        oct(modus),
        voor == db.read_bytes(),
    ), result.stderr


@pytest.mark.parametrize("opdracht", [["lijst", "--json"], ["toon"], ["exporteer"], ["verifieer"]])
def test_read_commands_work_where_no_new_file_can_be_made(
    opdracht: list[str], tmp_path: Path
) -> None:
    """A store in a folder that takes no new file (a read-only archive; a full disk behaves the
    same) can still be listed, shown, exported and verified, and nothing in it changes: read
    commands need no `-shm` file (issue 17 point 9)."""
    home = tmp_path / "home"
    casus_id = new_case(home)
    db = home / "meldcode.db"
    voor = db.read_bytes()
    db.chmod(0o400)
    home.chmod(0o500)
    args = [*opdracht, casus_id] if opdracht[0] in ("toon", "exporteer") else opdracht
    try:
        result = run_bound_by_modes(home, *args)
        bestanden = sorted(p.name for p in home.iterdir())
    finally:
        home.chmod(0o700)
        db.chmod(0o600)
    assert (0, True) == (result.returncode, voor == db.read_bytes()), result.stderr
    assert "meldcode.db-shm" not in bestanden
    if opdracht[0] != "verifieer":
        assert casus_id in result.stdout


@pytest.mark.parametrize("modus", [0o1777, 0o777, 0o757, 0o775, 0o2770], ids=oct)
def test_a_shared_data_folder_is_refused_and_left_alone(modus: int, tmp_path: Path) -> None:
    """MELDCODE_HOME on a folder others can write in (like /tmp): exit 3, untouched."""
    gedeeld = tmp_path / "gedeeld"
    gedeeld.mkdir()
    gedeeld.chmod(modus)
    result = inproc(gedeeld, "lijst")
    tekst = " ".join(result.stderr.split())
    assert (3, True, True, oct(modus), []) == (
        result.returncode,
        "is gedeeld" in tekst,
        "MELDCODE_HOME" in tekst and "submap" in tekst,
        oct(_mode(gedeeld)),
        list(gedeeld.iterdir()),
    ), tekst


def test_a_shared_default_data_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without MELDCODE_HOME, a shared application folder is refused the same way."""
    import typer

    from meldcode.commands.home import open_store
    from meldcode.errors import StoreShared

    gedeeld = tmp_path / "app"
    gedeeld.mkdir()
    gedeeld.chmod(0o1777)
    monkeypatch.delenv("MELDCODE_HOME", raising=False)
    monkeypatch.setattr(typer, "get_app_dir", lambda _naam: str(gedeeld))
    with pytest.raises(StoreShared, match="MELDCODE_HOME"):
        open_store()
    assert (oct(0o1777), []) == (oct(_mode(gedeeld)), list(gedeeld.iterdir()))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="chown needs root")
def test_a_data_folder_of_another_user_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A folder owned by someone else is not meldcode's to change: exit 3, owner and mode kept."""
    andermans = tmp_path / "andermans"
    andermans.mkdir(mode=0o755)
    os.chown(andermans, 65534, 65534)
    result = inproc(andermans, "lijst")
    st = andermans.stat()
    assert (3, True, (65534, oct(0o755)), []) == (
        result.returncode,
        "andere gebruiker" in result.stderr,
        (st.st_uid, oct(stat.S_IMODE(st.st_mode))),
        list(andermans.iterdir()),
    ), result.stderr


def test_an_existing_private_folder_is_tightened_to_0700(tmp_path: Path) -> None:
    """A folder the user made with mkdir (0755) becomes the data folder, owner-only."""
    eigen = tmp_path / "eigen"
    eigen.mkdir()
    eigen.chmod(0o755)
    assert 0 == inproc(eigen, "lijst").returncode
    assert (oct(0o700), oct(0o600)) == (oct(_mode(eigen)), oct(_mode(eigen / "meldcode.db")))


def test_folders_made_for_meldcode_home_are_owner_only_under_umask_000(tmp_path: Path) -> None:
    """Missing parents of MELDCODE_HOME are made 0700 too, not 0777 (umask 000)."""
    home = tmp_path / "a" / "b" / "c"
    old = os.umask(0)
    try:
        Store(home / "meldcode.db").close()
    finally:
        os.umask(old)
    modes = [oct(_mode(p)) for p in (tmp_path / "a", tmp_path / "a" / "b", home)]
    assert ([oct(0o700)] * 3, oct(0o600)) == (modes, oct(_mode(home / "meldcode.db")))


# A writer that commits into the -wal file and stops without a checkpoint (as on a crash).
ONAF_IN_WAL = """
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("UPDATE casussen SET label = 'na de laatste checkpoint'")
os._exit(0)
"""


def lijst_in_read_only_folder(home: Path) -> subprocess.CompletedProcess[str]:
    """`meldcode lijst --json` while the data folder takes no new file (mode 0500)."""
    home.chmod(0o500)
    try:
        return run_bound_by_modes(home, "lijst", "--json")
    finally:
        home.chmod(0o700)


def test_a_read_only_folder_with_changes_still_in_the_wal_is_refused_not_read_stale(
    tmp_path: Path,
) -> None:
    """A store in a folder that takes no new file, whose -wal file still holds committed
    changes (a crash before the checkpoint) and no -shm: a read command cannot read those
    changes, so it says it cannot write there (exit 3), instead of listing the older state
    the database file alone holds or failing with a traceback."""
    home = tmp_path / "home"
    casus_id = new_case(home)
    db = home / "meldcode.db"
    subprocess.run([sys.executable, "-c", ONAF_IN_WAL, str(db)], check=True)
    Path(str(db) + "-shm").unlink()
    assert Path(str(db) + "-wal").stat().st_size > 0
    result = lijst_in_read_only_folder(home)
    assert (3, "") == (result.returncode, result.stdout), result.stderr
    assert "kan niet schrijven in" in result.stderr
    assert casus_id not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_newer_store_in_a_read_only_folder_is_refused_as_too_new(tmp_path: Path) -> None:
    """A store written by a newer meldcode, in a folder that takes no new file: a read command
    says it is too new (exit 3), as it does elsewhere, also after reopening it immutable."""
    import sqlite3

    from meldcode.store.tables import SCHEMA_VERSION

    home = tmp_path / "home"
    new_case(home)
    with contextlib.closing(sqlite3.connect(home / "meldcode.db")) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        c.commit()
    result = lijst_in_read_only_folder(home)
    assert (3, "") == (result.returncode, result.stdout), result.stderr
    assert "nieuwer dan deze meldcode kent" in result.stderr
    assert "Traceback" not in result.stderr
