"""What the store promises about its file, its ids and its times (docs/mutatie.md).

Found unguarded by mutation testing: the SQLite settings the README names (WAL, `synchronous =
FULL`, secure_delete, a busy timeout), the form of a case id, times to the second, and
deleting: nothing left behind, all or nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meldcode.errors import CasusNotFound
from meldcode.store.log import NieuwEvent
from meldcode.store.sqlite import ID_ALPHABET, Store, new_casus_id, now_iso


def test_the_store_opens_its_file_with_the_promised_settings(tmp_path: Path) -> None:
    """A store runs in WAL mode, syncs every commit (FULL), overwrites deleted data, checks
    references and waits 5 s for another writer."""
    store = Store(tmp_path / "meldcode.db")
    try:
        lees = {p: store.conn.execute(f"PRAGMA {p}").fetchone()[0]
                for p in ("journal_mode", "synchronous", "secure_delete", "foreign_keys",
                          "busy_timeout")}
    finally:
        store.close()
    assert {"journal_mode": "wal", "synchronous": 2, "secure_delete": 1, "foreign_keys": 1,
            "busy_timeout": 5000} == lees


def test_a_case_id_is_short_and_easy_to_read_aloud() -> None:
    """A case id is `mc-` and two groups of four characters without 0/o or 1/l/i."""
    tekens = re.escape(ID_ALPHABET)
    for _ in range(20):
        assert re.fullmatch(rf"mc-[{tekens}]{{4}}-[{tekens}]{{4}}", new_casus_id())
    assert not set("0o1li") & set(ID_ALPHABET)


def test_times_are_local_iso_to_the_second_with_their_offset(tmp_path: Path) -> None:
    """Case and event times read like `2026-11-23T10:00:00+01:00`: seconds, no fractions."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", now_iso())
    store = Store(tmp_path / "meldcode.db")
    try:
        casus = store.create(sector="basis", flow_versie="test", flow_hash="sha256:test")
    finally:
        store.close()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", casus.aangemaakt)


GEHEIM = "Buurvrouw-Zwaantje-7731"


def _store_met_casus(tmp_path: Path) -> tuple[Store, str]:
    """An open store holding one case whose explanation is a recognisable text."""
    store = Store(tmp_path / "meldcode.db")
    casus = store.create(sector="basis", flow_versie="test", flow_hash="sha256:test")
    _, events = store.append(casus, NieuwEvent(soort="antwoord", stap="stap-1",
                                               vraag="signalen-beschrijving", antwoord=GEHEIM))
    assert [1] == [e.volgnummer for e in events]
    return store, casus.id


def test_a_deleted_case_leaves_no_trace_in_the_database_or_its_wal(tmp_path: Path) -> None:
    """After verwijder, the case's text is in neither the database file nor its WAL file."""
    store, casus_id = _store_met_casus(tmp_path)
    try:
        store.lock(casus_id)
        assert store.delete(casus_id) is None  # compacted too: nothing kept it from compacting
        bestanden = [p for p in tmp_path.iterdir() if p.name.startswith("meldcode.db")]
        assert not any(GEHEIM.encode() in p.read_bytes() for p in bestanden)
        assert not (tmp_path / "locks" / f"{casus_id}.lock").exists()
    finally:
        store.close()


def test_deleting_an_unknown_case_deletes_nothing(tmp_path: Path) -> None:
    """Deleting a known and an unknown id together refuses and keeps the known case."""
    store, casus_id = _store_met_casus(tmp_path)
    try:
        with pytest.raises(CasusNotFound):
            store.delete(casus_id, "mc-xxxx-xxxx")
        assert [1] == [e.volgnummer for e in store.events(casus_id)]
    finally:
        store.close()


def test_appending_to_a_deleted_case_is_refused(tmp_path: Path) -> None:
    """A case deleted elsewhere takes no more answers: CasusNotFound, not a crash."""
    store, casus_id = _store_met_casus(tmp_path)
    try:
        casus = store.get(casus_id)
        store.delete(casus_id)
        with pytest.raises(CasusNotFound):
            store.append(casus, NieuwEvent(soort="pauze"))
    finally:
        store.close()


def test_a_list_of_cases_is_limited_to_the_number_asked(tmp_path: Path) -> None:
    """`casussen(limit=N)` (lijst --aantal N) gives at most N cases."""
    store = Store(tmp_path / "meldcode.db")
    try:
        for _ in range(3):
            store.create(sector="basis", flow_versie="test", flow_hash="sha256:test")
        assert (2, 3) == (len(store.casussen(limit=2)), len(store.casussen()))
    finally:
        store.close()
