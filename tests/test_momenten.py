"""Stored times carry the UTC offset they were written with: retention compares the moments
they name, not their text (a DST change, another zone, a shared register)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest

from meldcode.store import maintenance
from meldcode.store.sqlite import Store


def test_opschonen_compares_moments_not_local_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        store = Store(tmp_path / "meldcode.db")
        for casus_id in ("mc-aaaa-aaaa", "mc-bbbb-bbbb"):
            store.create(sector="basis", flow_versie="v", flow_hash="h", casus_id=casus_id)
        with sqlite3.connect(tmp_path / "meldcode.db") as c:
            # 04:30 UTC on 2 January: after the cut-off, though its local text says 1 January.
            c.execute(
                "UPDATE casussen SET bijgewerkt = '2020-01-01T23:30:00-05:00' WHERE id = ?",
                ("mc-aaaa-aaaa",),
            )
            # 22:30 UTC on 1 January: before the cut-off, though its text says 2 January.
            c.execute(
                "UPDATE casussen SET bijgewerkt = '2020-01-02T00:30:00+02:00' WHERE id = ?",
                ("mc-bbbb-bbbb",),
            )
        verlopen = [i for i, _ in maintenance.expired(store, dt.date(2020, 1, 2))]
        store.close()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert ["mc-bbbb-bbbb"] == verlopen
