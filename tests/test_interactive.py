"""The whole walk driven through injected prompters: a scripted fake and the plain prompter."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest

from meldcode import engine
from meldcode.loading import load_flow
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst, Waarde, Wacht
from meldcode.prompts.interface import (
    Actie,
    AcuutGevaar,
    Afsluiten,
    Pauzeren,
    Terug,
    VraagContext,
)
from meldcode.prompts.plain import PlainPrompter
from meldcode.store.sqlite import Store
from meldcode.walk import loop
from meldcode.walk.recorder import Recorder

# Answers that walk the basis flow up to afweging-1.
BASIS: dict[str, Waarde] = {
    "acuut-gevaar": "nee",
    "signalen": ("psychisch-geweld",),
    "signalen-beschrijving": "Kind vertelt op 3/11 dat er thuis wordt geschreeuwd.",
    "kindcheck": "nee",
    "kindcheck-toelichting": None,
    "collegiale-consultatie": "Aandachtsfunctionaris, 5/11: zorg blijft.",
    "veilig-thuis-geraadpleegd": "nee",
    "letselduiding": None,
    "gesprek-gevoerd": "ja",
    "gesprek-verslag": None,
    "weging": None,
    "eindverantwoordelijke": None,
    "hulp-afspraken": None,
    # The follow-up after a melding (contract 2, design.md §4).
    "open-melden": None,
    "terugkoppeling-veilig-thuis": "Veilig Thuis belde op 12/11 terug: onderzoek gestart.",
    "vervolgafspraken": None,
}

Result = Waarde | Actie


class FakePrompter:
    """Answers from a script: a queue of results per question, then the plain answers."""

    def __init__(
        self,
        antwoorden: dict[str, Waarde],
        acties: dict[str, list[Result]] | None = None,
        walk_on: bool | Callable[[Uitkomst, AnyVraag], bool] = False,
    ) -> None:
        self.antwoorden = {**BASIS, **antwoorden}
        self.acties = acties or {}
        self._walk_on = walk_on
        self.gevraagd: list[str] = []
        self.meldingen: list[str] = []

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:  # noqa: ARG002
        self.gevraagd.append(vraag.id)
        queue = self.acties.get(vraag.id)
        result: Result = queue.pop(0) if queue else self.antwoorden[vraag.id]
        if isinstance(result, Terug | Afsluiten | AcuutGevaar | Pauzeren):
            return result
        return Antwoord(vraag_id=vraag.id, waarde=result)

    def onderbouwing(self, vraag: AnyVraag) -> str | None:  # noqa: ARG002
        return None

    def invalid(self, vraag: AnyVraag, melding: str) -> None:  # noqa: ARG002
        self.meldingen.append(melding)
        raise AssertionError(melding)

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        w = self._walk_on
        return w(reached, volgende) if callable(w) else w

    def waiting(self, wacht: Wacht) -> None:
        self.meldingen.append(wacht.tekst)


@pytest.fixture
def flow() -> Flow:
    return load_flow("basis")


def walk(
    flow: Flow, store: Store, prompter: object, state: State | None = None
) -> tuple[Recorder, State]:
    recorder = Recorder.start(store, flow)
    state = loop.run(flow, state or State(sector="basis"), prompter, recorder)  # type: ignore[arg-type]
    recorder.close()
    return recorder, state


@pytest.mark.parametrize(
    ("antwoorden", "uitkomst", "status"),
    [
        ({"afweging-1": "nee"}, ("afsluiten", "geen-vermoeden", None), "afgerond"),
        (
            {"afweging-1": "ja", "afweging-2": "ja"},
            ("melden", "acute-of-structurele-onveiligheid", 1),
            "vervolg",
        ),
        (
            {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "nee"},
            ("melden", "geen-effectieve-hulp", 2),
            "vervolg",
        ),
        (
            {"afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja", "afweging-4": "nee"},
            ("melden", "hulp-niet-aanvaard", 2),
            "vervolg",
        ),
        (
            {
                "afweging-1": "ja",
                "afweging-2": "nee",
                "afweging-3": "ja",
                "afweging-4": "ja",
                "evaluatiedatum": "2027-03-15",
            },
            ("hulp-bieden", None, None),
            "wacht-op-evaluatie",
        ),
        ({"acuut-gevaar": "ja"}, ("melden", "acuut-gevaar", 1), "vervolg"),
    ],
    ids=[
        "geen-vermoeden",
        "afweging-2-ja",
        "afweging-3-nee",
        "afweging-4-nee",
        "hulp-bieden",
        "acuut-gevaar",
    ],
)
def test_every_branch_ends_in_its_outcome_and_is_stored(
    flow: Flow,
    store: Store,
    antwoorden: dict[str, Waarde],
    uitkomst: tuple[str, str | None, int | None],
    status: str,
) -> None:
    """Each branch of the basis afwegingskader reaches its outcome; the case row says so."""
    recorder, _ = walk(flow, store, FakePrompter(antwoorden))
    casus = store.get(recorder.casus.id)
    assert (uitkomst, status) == (
        (casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm),
        casus.status,
    )


@pytest.mark.parametrize(
    ("afweging_5", "uitkomst"),
    [
        ("nee", ("melden", "onvoldoende-resultaat", 3)),
        ("ja", ("hulp-afsluiten", "resultaat-bereikt", None)),
    ],
)
def test_afweging_5_is_evaluated_on_resume(
    flow: Flow, store: Store, afweging_5: str, uitkomst: tuple[str, str | None, int | None]
) -> None:
    """A hulp-bieden case waits; resumed, afweging-5 decides the final outcome."""
    eerst = {
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    }
    recorder, _ = walk(flow, store, FakePrompter(eerst))
    later, state = Recorder.resume(store, recorder.casus.id, flow)
    fake = FakePrompter(
        {**eerst, "afweging-5": afweging_5}, walk_on=lambda _u, v: v.id == "afweging-5"
    )
    loop.run(flow, state, fake, later)
    casus = store.get(recorder.casus.id)
    # A melding (afweging 5 nee) stays in `vervolg` until its follow-up (contract 2).
    status = "vervolg" if uitkomst[0] == "melden" else "afgerond"
    assert (uitkomst, status, ["afweging-5"]) == (
        (casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm),
        casus.status,
        fake.gevraagd,
    )


def test_going_back_and_changing_an_afweging_changes_the_outcome(flow: Flow, store: Store) -> None:
    """Terug from afweging-3 to afweging-2, answered nee, turns meldnorm 1 into meldnorm 2."""
    fake = FakePrompter(
        {"afweging-1": "ja", "afweging-3": "nee"},
        acties={"afweging-2": ["ja", "nee"], "afweging-3": [Terug("afweging-2")]},
        walk_on=True,
    )
    recorder, _ = walk(flow, store, fake)
    casus = store.get(recorder.casus.id)
    soorten = [e.soort for e in store.events(casus.id)]
    assert (("melden", "geen-effectieve-hulp", 2), True) == (
        (casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm),
        "terug" in soorten,
    )


def test_afsluiten_closes_the_case_with_its_reason(flow: Flow, store: Store) -> None:
    """Afsluiten at stap 2 ends the case as afsluiten with the chosen reason."""
    fake = FakePrompter(
        {}, acties={"collegiale-consultatie": [Afsluiten("andere-verklaring", "x")]}
    )
    recorder, _ = walk(flow, store, fake)
    casus = store.get(recorder.casus.id)
    assert ("afsluiten", "andere-verklaring", "afgerond") == (
        casus.uitkomst_id,
        casus.uitkomst_reden,
        casus.status,
    )


def test_acuut_gevaar_at_a_later_question_ends_in_melden(flow: Flow, store: Store) -> None:
    """Acute danger declared at kindcheck gives melden / acuut-gevaar at once."""
    fake = FakePrompter({}, acties={"kindcheck": [AcuutGevaar()]})
    recorder, _ = walk(flow, store, fake)
    casus = store.get(recorder.casus.id)
    assert (
        ("melden", "acuut-gevaar", 1),
        ["acuut-gevaar", "signalen", "signalen-beschrijving", "kindcheck"],
    ) == ((casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm), fake.gevraagd)


def test_pause_then_resume_continues_at_the_same_question(flow: Flow, store: Store) -> None:
    """Pauzeren at kindcheck; resumed, the next question asked is kindcheck again."""
    recorder = Recorder.start(store, flow)
    with pytest.raises(loop.Paused):
        loop.run(
            flow, State(sector="basis"), FakePrompter({}, {"kindcheck": [Pauzeren()]}), recorder
        )
    recorder.close()
    later, state = Recorder.resume(store, recorder.casus.id, flow)
    fake = FakePrompter({"afweging-1": "nee"})
    loop.run(flow, state, fake, later)
    assert (["acuut-gevaar", "signalen", "signalen-beschrijving"], "kindcheck") == (
        [a.vraag_id for a in state.antwoorden],
        fake.gevraagd[0],
    )


# --- the plain prompter over text streams -------------------------------------------------


def plain(
    flow: Flow, typed: str, vandaag: dt.date | None = None
) -> tuple[PlainPrompter, io.StringIO]:
    out = io.StringIO()
    return PlainPrompter(flow, input=io.StringIO(typed), output=out, vandaag=vandaag), out


def context(flow: Flow, state: State, vraag_id: str) -> VraagContext:
    return loop.context_for(flow, state, flow.vraag(vraag_id), {})


@pytest.mark.parametrize(
    ("vraag_id", "typed", "waarde"),
    [
        ("acuut-gevaar", "2\n", "nee"),
        ("acuut-gevaar", "ja\n1\n", "ja"),  # ja, then the confirmation
        ("signalen", "2, 5\n", ("psychisch-geweld", "getuige-huiselijk-geweld")),
        ("signalen-beschrijving", "regel een\nregel twee\n\n", "regel een\nregel twee"),
    ],
    ids=["number", "word", "several-numbers", "multi-line"],
)
def test_plain_prompter_turns_typing_into_answers(
    flow: Flow, vraag_id: str, typed: str, waarde: Waarde
) -> None:
    """Numbers, a matching word, a list of numbers and lines become the kept answer."""
    p, _ = plain(flow, typed)
    state = engine.replay(flow, State(sector="basis"), {"acuut-gevaar": "nee"})
    start = State(sector="basis") if vraag_id == "acuut-gevaar" else state
    assert Antwoord(vraag_id=vraag_id, waarde=waarde) == p.ask(
        flow.vraag(vraag_id), context(flow, start, vraag_id)
    )


@pytest.mark.parametrize("typed", ["15-03-2027", "2027-03-15", "15/3/2027"])
def test_plain_prompter_accepts_dutch_and_iso_dates(flow: Flow, typed: str) -> None:
    """A date typed as dd-mm-jjjj or ISO is given to the engine as ISO."""
    antwoorden = {
        **BASIS,
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
    }
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    p, _ = plain(flow, f"{typed}\n")
    result = p.ask(flow.vraag("evaluatiedatum"), context(flow, state, "evaluatiedatum"))
    assert Antwoord(vraag_id="evaluatiedatum", waarde="2027-03-15") == result


def test_question_mark_shows_the_uitleg_and_asks_again(flow: Flow) -> None:
    """Typing ? prints the help text, then the question is answered as usual."""
    p, out = plain(flow, "?\n2\n")
    result = p.ask(flow.vraag("acuut-gevaar"), context(flow, State(sector="basis"), "acuut-gevaar"))
    assert ("nee", True) == (
        result.waarde if isinstance(result, Antwoord) else None,
        "Uitleg: Acuut gevaar gaat voor alles" in out.getvalue(),
    )


@pytest.mark.parametrize(
    ("typed", "actie"),
    [
        (":pauze\n", Pauzeren()),
        (":acuut\n1\n", AcuutGevaar()),
        (":terug\n1\n", Terug("acuut-gevaar")),
        (
            ":afsluiten\n1\nandere oorzaak gevonden\n",
            Afsluiten("andere-verklaring", "andere oorzaak gevonden"),
        ),
    ],
    ids=["pauze", "acuut", "terug", "afsluiten"],
)
def test_typed_commands_become_actions(flow: Flow, typed: str, actie: Actie) -> None:
    """:pauze, :acuut, :terug and :afsluiten at a question return their action."""
    state = engine.replay(flow, State(sector="basis"), {"acuut-gevaar": "nee"})
    p, _ = plain(flow, typed)
    assert actie == p.ask(flow.vraag("signalen"), context(flow, state, "signalen"))


def test_acuut_gevaar_prints_112_and_veilig_thuis_at_once(flow: Flow) -> None:
    """The emergency numbers appear before anything else is asked."""
    state = engine.replay(flow, State(sector="basis"), {"acuut-gevaar": "nee"})
    p, out = plain(flow, ":acuut\n1\n")
    p.ask(flow.vraag("signalen"), context(flow, state, "signalen"))
    tekst = out.getvalue()
    assert (True, True) == ("112" in tekst, "0800-2000" in tekst)


def test_overzicht_shows_what_a_change_invalidates(flow: Flow) -> None:
    """Afweging-1 changed to nee in the overview names the dropped afweging-2 and new outcome."""
    antwoorden = {**BASIS, "afweging-1": "ja", "afweging-2": "nee"}
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    pad = [v.id for v, _ in engine.walk(flow, state).pad]
    nummer = pad.index("afweging-1") + 1
    p, out = plain(flow, f":overzicht\n{nummer}\n2\nverkeerd gelezen\n")
    result = p.ask(flow.vraag("afweging-3"), context(flow, state, "afweging-3"))
    tekst = out.getvalue()
    assert (Antwoord(vraag_id="afweging-1", waarde="nee"), "verkeerd gelezen", True, True) == (
        getattr(result, "antwoord", None),
        getattr(result, "reden", None),
        "Vervalt: Afweging 2" in tekst,
        "Uitkomst verandert: nog geen → Afsluiten" in tekst,
    )


@pytest.mark.parametrize(
    ("vandaag", "typed", "gevraagd"),
    [
        (dt.date(2027, 3, 15), "1\n\n", True),
        (dt.date(2027, 3, 1), "\n", False),
        (dt.date(2027, 3, 1), "2\n1\n\n", True),
    ],
    ids=["datum-bereikt", "nog-niet", "eerder-evalueren"],
)
def test_afweging_5_waits_for_its_date_unless_evaluated_early(
    flow: Flow, store: Store, vandaag: dt.date, typed: str, gevraagd: bool
) -> None:
    """On resume afweging-5 is asked once the date is reached, or early when the user wants."""
    antwoorden = {
        **BASIS,
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
        "hulp-afspraken": None,
    }
    recorder, _ = walk(flow, store, FakePrompter(antwoorden))
    later, state = Recorder.resume(store, recorder.casus.id, flow)
    p, out = plain(flow, typed, vandaag)
    p.volg(state)
    loop.run(flow, state, p, later)
    casus = store.get(recorder.casus.id)
    verwacht = "afgerond" if gevraagd else "wacht-op-evaluatie"
    assert (verwacht, gevraagd) == (casus.status, "Afweging 5" in out.getvalue())


# Typed at the plain prompter: the basis flow up to (not including) afweging-1.
TOT_AFWEGING_1 = [
    "2",  # acuut-gevaar: nee
    "2",  # signalen: psychisch geweld
    "Kind vertelt dat er thuis wordt geschreeuwd.",
    "",
    "2",  # kindcheck: nee
    "",  # kindcheck-toelichting (optioneel)
    "Aandachtsfunctionaris, advies: gesprek voeren.",
    "",
    "2",  # veilig thuis geraadpleegd: nee
    "",  # letselduiding (optioneel)
    "1",  # gesprek gevoerd: ja
    "",  # verslag (optioneel, meerdere regels)
    "",  # weging
    "",  # eindverantwoordelijke
]


def test_a_whole_walk_over_plain_streams_reaches_an_outcome(flow: Flow, store: Store) -> None:
    """Typed numbers and lines carry a case from acuut-gevaar to afweging-1 nee."""
    typed = "\n".join([*TOT_AFWEGING_1, "2", "Geen zorg meer na het gesprek."]) + "\n"
    p, _ = plain(flow, typed)
    recorder, state = walk(flow, store, p)
    casus = store.get(recorder.casus.id)
    afweging = next(a for a in state.antwoorden if a.vraag_id == "afweging-1")
    assert ("afsluiten", "geen-vermoeden", "Geen zorg meer na het gesprek.") == (
        casus.uitkomst_id,
        casus.uitkomst_reden,
        afweging.toelichting,
    )
