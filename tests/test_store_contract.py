"""The store contract (store/interface.py), run on every backend through the `store` fixture
(tests/conftest.py, STORE_BACKENDS): what commands, the walk, `verifieer` and `statistiek`
rely on, whatever the database.

The hash chain is pinned to fixed bytes: a case copied from one backend to another (issue 15,
`register importeer`) must verify the same.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from meldcode.errors import CasusNotFound, StoreLocked
from meldcode.store import CaseStore, Casus, NieuwEvent
from meldcode.store.log import GENESIS, chain, event_hash, kop_hash, register_hash
from meldcode.store.tables import SCHEMA_VERSION

T0 = "2026-03-02T10:00:00+01:00"
ID = "mc-k7q3-x9p2"
# Pinned hashes (computed before the store had an interface; they must never change).
KOP = "9378e6edbba8adbe40384888656f7793b0023644a2ae3e4e0e58bca64b8e67fd"
EVENT_1 = "a6843a03d35f387a3585012a1e829d33719770c07a76ff246afce927f28919e2"
EVENT_2 = "ae0521d3e1189ce4c91aeed8580b704ed9aea54b6501ce93b5b02bf37a74a9f6"
REGISTER_1 = "1825a7c27a2356d4194c4840601189ce11e0fc1f9828837fcdb336fc482ddf46"
REGISTER_2 = "f3a5fe488f7c986dd21e8410734e6ebf5906a9e16b57aa9e19d599766efef5d3"
ANTWOORD = NieuwEvent(
    soort="antwoord",
    stap="stap-1",
    vraag="signalen",
    antwoord=["lichamelijk", "ëmotioneel"],
    toelichting="gezien",
)
UITKOMST = NieuwEvent(soort="uitkomst", antwoord={"id": "melden", "reden": "x", "meldnorm": 1})


def new(store: CaseStore, tijd: str = T0, **velden: object) -> Casus:
    """A case created at `tijd` (the store's clock is left at that time)."""
    store.clock = lambda: tijd
    args: dict[str, object] = {"sector": "basis", "flow_versie": "2026.3", "flow_hash": "h"}
    return store.create(**{**args, **velden})  # type: ignore[arg-type]


def at(store: CaseStore, tijd: str) -> CaseStore:
    store.clock = lambda: tijd
    return store


def fields(value: object, names: str) -> tuple[object, ...]:
    """The attributes `names` (space-separated) of `value`, in that order."""
    return tuple(getattr(value, n) for n in names.split())


# --- cases and events ---------------------------------------------------------------------------


def test_a_new_case_is_open_empty_and_headed_by_its_particulars(store: CaseStore) -> None:
    """create() gives an open case with no events whose head is the pinned kop of its
    particulars; get() reads back the same case."""
    casus = new(store, label="dossier 12", flow_hash="sha256:abc", casus_id=ID)
    assert casus == store.get(ID)
    assert (ID, "basis", "open", "dossier 12", False) == fields(
        casus, "id sector status label oefening"
    )
    assert (T0, T0, 0, KOP) == fields(casus, "aangemaakt bijgewerkt aantal_events laatste_hash")
    leeg = "uitkomst_id uitkomst_reden meldnorm uitkomst_tijd evaluatiedatum vervolg_open"
    assert (None,) * 6 == fields(casus, leeg)
    assert [] == store.events(ID)


def test_a_practice_case_says_so_and_a_new_id_is_made_when_none_is_given(
    store: CaseStore,
) -> None:
    casus = new(store, oefening=True)
    assert (True, "mc-") == (casus.oefening, casus.id[:3])
    assert casus.laatste_hash == kop_hash(
        casus.id,
        {
            "sector": "basis",
            "label": None,
            "oefening": True,
            "aangemaakt": T0,
            "flow_versie": "2026.3",
            "flow_hash": "h",
        },
    )


def test_an_unknown_case_is_casus_not_found(store: CaseStore) -> None:
    with pytest.raises(CasusNotFound, match="mc-zzzz-zzzz"):
        store.get("mc-zzzz-zzzz")
    assert [] == store.events("mc-zzzz-zzzz")


def test_appended_events_are_chained_with_the_pinned_bytes(store: CaseStore) -> None:
    """The same case, answer and time give the same hashes on every backend: event 1 links to
    the kop, event 2 to event 1, each hash over the canonical JSON (log.event_hash)."""
    casus = new(store, label="dossier 12", flow_hash="sha256:abc", casus_id=ID)
    nu, events = store.append(casus, ANTWOORD, UITKOMST)
    assert [EVENT_1, EVENT_2] == [e.hash for e in events]
    assert events == store.events(ID)
    e1, e2 = events
    assert (1, KOP, T0, ["lichamelijk", "ëmotioneel"]) == fields(
        e1, "volgnummer vorige_hash tijd antwoord"
    )
    assert (2, EVENT_1) == (e2.volgnummer, e2.vorige_hash)
    assert all(e.hash == event_hash(ID, e.hashed_fields()) for e in events)
    assert (2, EVENT_2, T0) == fields(nu, "aantal_events laatste_hash bijgewerkt")
    assert nu == store.get(ID)


def test_append_sets_the_case_fields_and_the_outcome_time_is_the_events_time(
    store: CaseStore,
) -> None:
    casus = new(store)
    later = "2026-03-03T09:15:00+01:00"
    nu, _ = at(store, later).append(
        casus,
        ANTWOORD,
        UITKOMST,
        status="wacht-op-evaluatie",
        uitkomst_id="hulp-bieden",
        uitkomst_reden="hulp-aanvaard",
        meldnorm=0,
        uitkomst_tijd="ignored: the store writes the events' time",
        evaluatiedatum="2026-05-01",
        vervolg_open=None,
    )
    assert ("wacht-op-evaluatie", "hulp-bieden", "hulp-aanvaard", 0) == fields(
        nu, "status uitkomst_id uitkomst_reden meldnorm"
    )
    assert (later, "2026-05-01", later, T0) == fields(
        nu, "uitkomst_tijd evaluatiedatum bijgewerkt aangemaakt"
    )


def test_append_without_events_changes_the_row_but_not_the_chain(store: CaseStore) -> None:
    casus = new(store)
    nu, events = store.append(casus, status="afgerond", uitkomst_tijd=None)
    assert [] == events
    assert ("afgerond", None, 0, casus.laatste_hash) == fields(
        nu, "status uitkomst_tijd aantal_events laatste_hash"
    )
    assert ["nieuw"] == [r.soort for r in store.register()]


def test_append_stores_all_events_or_none(store: CaseStore) -> None:
    """An event that cannot be stored (an answer that is no JSON value) takes the events and
    the row change of its append with it."""
    casus = new(store)
    store.append(casus, NieuwEvent(soort="pauze"))
    with pytest.raises(TypeError):
        store.append(
            store.get(casus.id),
            ANTWOORD,
            NieuwEvent(soort="antwoord", vraag="x", antwoord=object()),
            status="afgerond",
        )
    nu = store.get(casus.id)
    assert (["pauze"], "open", 1) == (
        [e.soort for e in store.events(casus.id)],
        nu.status,
        nu.aantal_events,
    )


def test_append_continues_the_chain_across_appends_and_connections(
    store: CaseStore, store_opener: Callable[[], CaseStore]
) -> None:
    casus = new(store, label="dossier 12", flow_hash="sha256:abc", casus_id=ID)
    store.append(casus, ANTWOORD)
    ander = at(store_opener(), T0)
    _, (e2,) = ander.append(ander.get(ID), UITKOMST)
    assert (2, EVENT_1, EVENT_2) == (e2.volgnummer, e2.vorige_hash, e2.hash)
    assert [EVENT_1, EVENT_2] == [e.hash for e in store.events(ID)]


def test_appending_to_a_deleted_case_is_casus_not_found(store: CaseStore) -> None:
    casus = new(store)
    store.delete(casus.id)
    with pytest.raises(CasusNotFound):
        store.append(casus, NieuwEvent(soort="pauze"))


# --- lists ------------------------------------------------------------------------------------


def _due_cases(store: CaseStore) -> dict[str, str]:
    """Cases in each state `lijst` filters on, by a short name -> id."""
    ids: dict[str, str] = {}
    spec: list[tuple[str, str, dict[str, object]]] = [
        ("open", "2026-01-10T09:00:00+01:00", {}),
        ("wacht", "2026-01-11T09:00:00+01:00",
         {"status": "wacht-op-evaluatie", "evaluatiedatum": "2026-03-01"}),
        ("wacht-later", "2026-01-12T09:00:00+01:00",
         {"status": "wacht-op-evaluatie", "evaluatiedatum": "2026-04-01"}),
        ("terugkoppeling", "2026-02-20T09:00:00+01:00",
         {"status": "vervolg", "vervolg_open": "terugkoppeling", "uitkomst_tijd": "x"}),
        ("leiding", "2026-03-05T09:00:00+01:00",
         {"status": "vervolg", "vervolg_open": "leiding", "uitkomst_tijd": "x"}),
        ("vervolg-evaluatie", "2026-01-13T09:00:00+01:00",
         {"status": "vervolg", "evaluatiedatum": "2026-02-01", "uitkomst_tijd": "x"}),
        ("afgerond", "2026-01-14T09:00:00+01:00", {"status": "afgerond", "uitkomst_tijd": "x"}),
    ]  # fmt: skip
    for naam, tijd, velden in spec:
        casus = new(store, tijd, sector="onderwijs" if naam == "wacht" else "basis")
        if velden:
            store.append(casus, UITKOMST, **velden)
        ids[naam] = casus.id
    return ids


def _names(ids: dict[str, str], casussen: list[Casus]) -> set[str]:
    namen = {v: k for k, v in ids.items()}
    return {namen[c.id] for c in casussen}


def test_lists_filter_by_status_sector_and_last_change(store: CaseStore) -> None:
    ids = _due_cases(store)
    assert {"wacht", "wacht-later"} == _names(ids, store.casussen(status="wacht-op-evaluatie"))
    assert {"wacht"} == _names(ids, store.casussen(sector="onderwijs"))
    assert set() == _names(ids, store.casussen(sector="onderwijs", status="open"))
    assert {"open", "wacht", "wacht-later", "vervolg-evaluatie"} == _names(
        ids, store.casussen(bijgewerkt_voor="2026-01-13")
    )
    assert 7 == len(store.casussen())


def test_lists_find_what_is_due(store: CaseStore) -> None:
    """An evaluation on or past its date, a terugkoppeling 5 working days late (vervolg_voor),
    a staff route not yet told (evaluatie_voor); without vervolg_voor only evaluations."""
    ids = _due_cases(store)
    assert {"wacht"} == _names(ids, store.casussen(evaluatie_voor="2026-03-10"))
    due = store.casussen(evaluatie_voor="2026-03-10", vervolg_voor="2026-03-03")
    assert {"wacht", "terugkoppeling", "leiding", "vervolg-evaluatie"} == _names(ids, due)
    vroeg = store.casussen(evaluatie_voor="2026-03-04", vervolg_voor="2026-02-19")
    assert {"wacht", "vervolg-evaluatie"} == _names(ids, vroeg)
    op_de_dag = store.casussen(evaluatie_voor="2026-03-05", vervolg_voor="2026-02-20")
    assert {"wacht", "terugkoppeling", "leiding", "vervolg-evaluatie"} == _names(ids, op_de_dag)


def test_lists_are_newest_first_as_instants_and_can_be_limited(store: CaseStore) -> None:
    """Times with different offsets are ordered by the moment they name; within one second
    the case stored last comes first; `limit` keeps the newest."""
    zomer = new(store, "2026-10-25T02:30:00+02:00")  # 00:30 UTC
    winter = new(store, "2026-10-25T02:10:00+01:00")  # 01:10 UTC: later, though less as text
    tweede = new(store, "2026-10-25T02:10:00+01:00")  # the same second, stored after it
    assert [tweede.id, winter.id, zomer.id] == [c.id for c in store.iter_casussen()]
    assert [tweede.id, winter.id] == [c.id for c in store.casussen(limit=2)]
    assert store.casussen() == list(store.iter_casussen())


# --- delete, locks ----------------------------------------------------------------------------


def test_delete_removes_the_case_and_registers_it(store: CaseStore) -> None:
    casus = new(store)
    kop = store.append(casus, ANTWOORD)[0].laatste_hash
    blijft = new(store)
    assert store.delete(casus.id) is None
    with pytest.raises(CasusNotFound):
        store.get(casus.id)
    assert ([], [blijft.id]) == (store.events(casus.id), [c.id for c in store.casussen()])
    laatste = list(store.register())[-1]
    assert (casus.id, "verwijderd", kop, 1) == fields(laatste, "casus_id soort kop aantal")


def test_deleting_an_unknown_id_deletes_nothing(store: CaseStore) -> None:
    casus = new(store)
    with pytest.raises(CasusNotFound):
        store.delete(casus.id, "mc-zzzz-zzzz", compact=False)
    assert casus == store.get(casus.id)


def test_a_second_writer_gets_store_locked_until_the_first_lets_go(
    store: CaseStore, store_opener: Callable[[], CaseStore]
) -> None:
    """lock() holds a case against every other store, with the one StoreLocked message (exit
    3); unlock, close and delete let go."""
    casus, ander_geval = new(store), new(store)
    ander = store_opener()
    store.lock(casus.id)
    with pytest.raises(StoreLocked) as fout:
        ander.lock(casus.id)
    assert (str(StoreLocked(casus_id=casus.id)), 3) == (str(fout.value), fout.value.exit_code)
    ander.lock(ander_geval.id)  # another case is free
    store.unlock(casus.id)
    ander.lock(casus.id)
    ander.close()
    store.lock(casus.id)  # close let go of both
    store.lock(ander_geval.id)
    store.delete(casus.id, compact=False)
    derde = store_opener()
    derde.lock(casus.id)  # delete let go too
    with pytest.raises(StoreLocked):
        derde.lock(ander_geval.id)


# --- schema, register, chains ------------------------------------------------------------------


def test_a_store_is_at_the_current_schema_version_and_reopens_with_its_cases(
    store: CaseStore, store_opener: Callable[[], CaseStore], store_backend: str
) -> None:
    from meldcode.store import postgres_schema

    casus = new(store)
    store.append(casus, ANTWOORD)
    store.close()
    weer = store_opener()
    # Each backend's own schema versions (PostgreSQL: the register's, postgres_schema.py).
    huidig = {"sqlite": SCHEMA_VERSION, "postgresql": postgres_schema.SCHEMA_VERSION}
    assert huidig[store_backend] == weer.schema_version
    assert casus.id == weer.get(casus.id).id
    assert [ANTWOORD.vraag] == [e.vraag for e in weer.events(casus.id)]
    assert isinstance(weer.location, str)
    assert weer.location


def test_the_register_chains_every_case_head_with_the_pinned_bytes(store: CaseStore) -> None:
    casus = new(store, label="dossier 12", flow_hash="sha256:abc", casus_id=ID)
    store.append(casus, ANTWOORD, UITKOMST)
    r1, r2 = store.register()
    alle = "volgnummer casus_id soort kop aantal vorige_hash hash"
    assert (1, ID, "nieuw", KOP, 0, GENESIS, REGISTER_1) == fields(r1, alle)
    assert (2, ID, "bij", EVENT_2, 2, REGISTER_1, REGISTER_2) == fields(r2, alle)
    assert r2.hash == register_hash(2, ID, "bij", EVENT_2, 2, REGISTER_1)


def test_chains_give_each_case_with_its_events_and_register_entries(store: CaseStore) -> None:
    """By case id, deleted cases included (their row None); one case by its id."""
    a = new(store, casus_id="mc-aaaa-aaaa")
    weg = new(store, casus_id="mc-bbbb-bbbb")
    c = new(store, casus_id="mc-cccc-cccc")
    store.append(c, ANTWOORD)
    store.delete(weg.id)
    ketens = list(store.chains())
    assert [a.id, weg.id, c.id] == [k.casus_id for k in ketens]
    assert [a, None, store.get(c.id)] == [k.casus for k in ketens]
    assert [[], [], store.events(c.id)] == [k.events for k in ketens]
    assert [["nieuw"], ["nieuw", "verwijderd"], ["nieuw", "bij"]] == [
        [e.soort for e in k.entries] for k in ketens
    ]
    (een,) = store.chains(c.id)
    assert een == ketens[2]
    with pytest.raises(CasusNotFound):
        list(store.chains(weg.id))


def test_a_chain_rebuilt_from_its_records_matches_the_stored_one(store: CaseStore) -> None:
    """log.chain over the stored fields gives the stored events: nothing is added or lost."""
    casus = new(store)
    _, events = store.append(casus, ANTWOORD, UITKOMST)
    vorige = None
    for e in events:
        velden = {k: getattr(e, k) for k in ("stap", "vraag", "antwoord", "toelichting")}
        opnieuw = chain(casus.id, vorige, tijd=e.tijd, soort=e.soort, **velden)
        assert opnieuw.hashed_fields() | {"vorige_hash": e.vorige_hash} == e.hashed_fields()
        vorige = e


# --- maintenance and statistics -----------------------------------------------------------------


def test_changed_before_compares_instants_oldest_first(store: CaseStore) -> None:
    zomer = new(store, "2026-10-25T02:30:00+02:00")  # 00:30 UTC
    winter = new(store, "2026-10-25T02:10:00+01:00")  # 01:10 UTC
    new(store, "2026-10-25T03:00:00+01:00")  # 02:00 UTC
    assert [(zomer.id, "2026-10-25"), (winter.id, "2026-10-25")] == store.changed_before(
        "2026-10-25T02:00:00+00:00"
    )
    assert [] == store.changed_before("2026-10-25T00:30:00+00:00")


def test_counts_cover_real_cases_only(store: CaseStore) -> None:
    """Counts per sector, status and outcome, per month, and days to an outcome in tenths;
    practice cases are never counted."""
    a = new(store, "2026-01-30T10:00:00+01:00")
    at(store, "2026-02-01T22:00:00+01:00").append(
        a, UITKOMST, status="afgerond", uitkomst_id="melden", uitkomst_reden="x", uitkomst_tijd="x"
    )
    new(store, "2026-02-03T10:00:00+01:00", sector="onderwijs")
    oefen = new(store, "2026-02-03T10:00:00+01:00", oefening=True)
    store.append(oefen, UITKOMST, status="afgerond", uitkomst_id="melden", uitkomst_tijd="x")
    counts = store.counts()
    assert sorted(counts.per_uitkomst, key=str) == sorted(
        [("basis", "afgerond", "melden", "x", 1), ("onderwijs", "open", None, None, 1)], key=str
    )
    assert ({"2026-01": 1, "2026-02": 1}, {"2026-02": 1}, {25: 1}) == (
        counts.gestart,
        counts.met_uitkomst,
        counts.tienden,
    )


def test_an_intact_store_has_no_damage(store: CaseStore) -> None:
    store.append(new(store), ANTWOORD)
    assert [] == store.damage()
