"""statistiek hides small counts (issue 17 item 8) and never counts from a damaged table."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from meldcode.store.stats import onderdruk
from test_export import new_case
from test_scripted import meldcode


def test_a_two_case_store_shows_no_count_under_5(tmp_path: Path) -> None:
    """The issue's example: one medewerkersroute in onderwijs is '<5', also in JSON."""
    new_case(tmp_path, "medewerkersroute-onderwijs")
    new_case(tmp_path, "melden-acuut-gevaar")
    result = meldcode(tmp_path, "statistiek", "--json")
    assert 0 == result.exit_code, result.stderr
    s = json.loads(result.stdout)
    assert {"medewerkersroute": {"onderwijs": "<5"}, "melden": {"acuut-gevaar": "<5"}} == s[
        "per_reden"
    ]
    assert ("<5", "<5") == (s["casussen"], s["mediaan_dagen_tot_uitkomst"])
    assert all(n == 0 or n >= 5 for n in _aantallen(s))
    tekst = meldcode(tmp_path, "statistiek").stdout
    assert "<5" in tekst
    assert "--exacte-aantallen" in tekst


def _aantallen(waarde: object) -> list[int]:
    """Every whole number in a JSON document (the median is a float and is left out)."""
    if isinstance(waarde, dict):
        return [n for v in waarde.values() for n in _aantallen(v)]
    return [waarde] if isinstance(waarde, int) and not isinstance(waarde, bool) else []


def test_exacte_aantallen_shows_them(tmp_path: Path) -> None:
    """--exacte-aantallen gives the counts as they are."""
    new_case(tmp_path, "medewerkersroute-onderwijs")
    s = json.loads(meldcode(tmp_path, "statistiek", "--json", "--exacte-aantallen").stdout)
    assert {"medewerkersroute": {"onderwijs": 1}} == s["per_reden"]


@pytest.mark.parametrize(
    ("cellen", "verwacht"),
    [
        ({"a": 3, "b": 40, "c": 7}, {"a": "<5", "b": 40, "c": "<5"}),  # 7 hidden too
        ({"a": 3, "b": 2, "c": 7}, {"a": "<5", "b": "<5", "c": 7}),  # two hidden: enough
        ({"a": 5, "b": 40}, {"a": 5, "b": 40}),
        ({"a": 4}, {"a": "<5"}),
    ],
)
def test_one_hidden_cell_cannot_be_worked_out_from_the_total(
    cellen: dict[str, int], verwacht: dict[str, object]
) -> None:
    """A table with one small cell hides its smallest other cell too."""
    s = {
        "casussen": sum(cellen.values()),
        "per_sector": cellen,
        "per_status": {},
        "per_uitkomst": {},
        "per_reden": {},
        "per_maand": {},
        "mediaan_dagen_tot_uitkomst": None,
    }
    assert verwacht == onderdruk(s)["per_sector"]


def test_statistiek_on_a_zeroed_table_page_exits_3(tmp_path: Path) -> None:
    """A page of the casussen table filled with zeros: exit 3 and 'beschadigd', not counts
    from the index alone (was exit 0)."""
    from test_store_robust import PAGE, _pages, _store_with_one_real_case

    home = tmp_path / "home"
    _store_with_one_real_case(home)
    db = home / "meldcode.db"
    pages = _pages(db)["casussen"]
    page = pages[len(pages) // 2]
    data = bytearray(db.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = bytes(PAGE)
    db.write_bytes(bytes(data))
    with contextlib.suppress(FileNotFoundError):
        (home / "meldcode.db-wal").unlink()
    result = meldcode(home, "statistiek")
    assert (3, True) == (result.exit_code, "beschadigd" in " ".join(result.stderr.split()))


def test_the_table_names_outcomes_and_reasons_in_words_and_json_keeps_ids(tmp_path: Path) -> None:
    """A person reads Dutch words in the table; the JSON keeps the contract ids."""
    new_case(tmp_path, "melden-acuut-gevaar")
    tekst = " ".join(meldcode(tmp_path, "statistiek", "--exacte-aantallen").stdout.split())
    assert "er is acuut gevaar" in tekst
    assert "Melden bij Veilig Thuis" in tekst
    s = json.loads(meldcode(tmp_path, "statistiek", "--json", "--exacte-aantallen").stdout)
    assert {"melden": {"acuut-gevaar": 1}} == s["per_reden"]
