"""The store as a user meets it: nothing lost on a kill, one writer per case, never overwritten."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from meldcode.loader import load_flow
from meldcode.session import Recorder
from meldcode.store import Store

TIMEOUT = 20


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m meldcode ARGS` without a terminal, with its own store."""
    env = {**os.environ, "MELDCODE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "meldcode", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


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
    child.send("\x1b[B\r")  # nee
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
    result = run(tmp_path, "hervat", "mc-aaaa-bbbb")
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

    from meldcode import store as store_module

    path = tmp_path / "meldcode.db"
    conn = sqlite3.connect(path)
    for statement in store_module._split(store_module._MIGRATIONS[1]):
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
    assert 2 == migrated.conn.execute("PRAGMA user_version").fetchone()[0]
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
        "kindcheck": "nee", "collegiale-consultatie": "advies",
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
