"""What the store promises about its file, its ids and its times (docs/mutatie.md).

Found unguarded by mutation testing: the SQLite settings the README names (WAL, `synchronous =
FULL`, secure_delete, a busy timeout), the form of a case id, and times to the second.
"""

from __future__ import annotations

import re
from pathlib import Path

from meldcode.store import ID_ALPHABET, Store, new_casus_id, now_iso


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
