"""Engine rules found unguarded by mutation testing (docs/mutatie.md).

The condition language (`als`, design.md §3) as an organisation's own flows may use it (the
shipped flows name one question per `beantwoord`), closing and going back, answers out of turn,
follow-up questions and what is still to be recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from meldcode import engine
from meldcode.engine import holds
from meldcode.engine.explore import explore
from meldcode.errors import UnexpectedAntwoord
from meldcode.flows import load_flow
from meldcode.model import (
    Antwoord,
    AnyVraag,
    Flow,
    State,
    Uitkomst,
    Voorwaarde,
    Waarde,
    Wacht,
)

GEMENGD = ("psychisch-geweld", "eergerelateerd-geweld")


@pytest.mark.parametrize(
    ("als", "gegeven", "verwacht"),
    [
        ({"beantwoord": ["evaluatiedatum", "afweging-5"]}, {"evaluatiedatum": "2027-03-15"}, False),
        ({"beantwoord": ["evaluatiedatum", "afweging-5"]},
         {"evaluatiedatum": "2027-03-15", "afweging-5": "ja"}, True),
        ({"beantwoord": ["evaluatiedatum"]}, {"evaluatiedatum": None}, False),
        ({"antwoord": {"signalen": ["eergerelateerd-geweld"]}}, {"signalen": GEMENGD}, True),
        ({"antwoord": {"signalen": ["huwelijksdwang"]}}, {"signalen": GEMENGD}, False),
        ({"antwoord": {"afweging-1": "ja", "afweging-2": "nee"}},
         {"afweging-1": "ja", "afweging-2": "ja"}, False),
        ({"een-van": [{"antwoord": {"afweging-3": "nee"}}, {"antwoord": {"afweging-4": "nee"}}]},
         {"afweging-3": "ja", "afweging-4": "nee"}, True),
        ({"alle": [{"antwoord": {"afweging-3": "ja"}}, {"antwoord": {"afweging-4": "nee"}}]},
         {"afweging-3": "ja", "afweging-4": "ja"}, False),
        ({"niet": {"antwoord": {"kindcheck": "ja"}}}, {"kindcheck": "nee"}, True),
        ({"sector": ["artsen", "zorg"]}, {}, False),
    ],
    ids=["beantwoord-needs-every-id", "beantwoord-all-given", "beantwoord-empty-is-not-given",
         "mixed-signals-match-a-special-one", "mixed-signals-without-it", "antwoord-needs-every-id",
         "een-van-needs-one", "alle-needs-every-one", "niet-inverts", "other-sector"],
)
def test_a_condition_holds_exactly_as_design_says(
    als: dict[str, object], gegeven: dict[str, Waarde], verwacht: bool
) -> None:
    """Each condition of an own flow holds (in sector basis) exactly when design.md §3 says."""
    assert verwacht == holds(Voorwaarde.model_validate(als), "basis", gegeven)


SCENARIOS = Path(__file__).parent / "scenarios"


def _casus(naam: str, **wijziging: object) -> tuple[Flow, State]:
    """The flow and state of a shipped scenario, optional questions it leaves out left empty."""
    data = yaml.safe_load((SCENARIOS / f"{naam}.yaml").read_text(encoding="utf-8"))
    flow = load_flow(data["sector"])
    leeg: dict[str, object] = {v.id: None for v in flow.vragen if not v.verplicht}
    state = engine.replay(flow, State(sector=flow.sector.id),
                          {**leeg, **data["antwoorden"], **wijziging})
    return flow, state


# A handover names who took over and when the help is checked (issue 12 item 8).
OVERDRACHT = {"overgenomen_door": "Wijkteam Noord, casemanager", "nagaan_op": "2099-01-01"}


def test_closing_a_case_that_waits_for_evaluation_ends_it_with_the_reason() -> None:
    """A hulp-bieden case closed with a reason is afsluiten with that reason, not hulp-bieden."""
    flow, state = _casus("hulp-bieden-wacht-op-evaluatie")
    assert "hulp-bieden" == getattr(engine.what_next(flow, state), "id", None)
    gesloten = engine.what_next(flow, engine.afsluiten(flow, state, "overgedragen", **OVERDRACHT))
    assert isinstance(gesloten, Uitkomst)
    assert ("afsluiten", "overgedragen", "afgerond") == (
        gesloten.id, gesloten.reden, gesloten.status)


def test_going_back_after_closing_reopens_the_case() -> None:
    """After closing, going back to afweging-1 asks afweging-1 again instead of the closure."""
    flow, state = _casus("hulp-bieden-wacht-op-evaluatie")
    gesloten = engine.afsluiten(flow, state, "overgedragen", **OVERDRACHT)
    terug, prefill = engine.terug(flow, gesloten, "afweging-1")
    volgende = engine.what_next(flow, terug)
    assert "afweging-1" == getattr(volgende, "id", None)
    assert "ja" == prefill["afweging-1"]


@pytest.mark.parametrize(
    ("naam", "vraag_id", "melding"),
    [
        ("hulp-bieden-wacht-op-evaluatie", "afweging-1",
         "Vraag 'afweging-1' is nu niet aan de beurt: de vraag die nu aan de beurt is, is "
         "'afweging-5'."),
        ("artsen-open-zonder-veilig-thuis", "gesprek-gevoerd",
         "Vraag 'gesprek-gevoerd' is nu niet aan de beurt: de casus heeft al een uitkomst."),
        ("afsluiten-geen-vermoeden", "afweging-2",
         "Vraag 'afweging-2' is nu niet aan de beurt: de casus heeft al een uitkomst."),
    ],
    ids=["not-the-next-question", "case-waiting-for-veilig-thuis", "case-closed"],
)
def test_an_answer_to_a_question_not_being_asked_is_refused(
    naam: str, vraag_id: str, melding: str
) -> None:
    """Answering another question than the one being asked is refused, saying which one is."""
    flow, state = _casus(naam)
    with pytest.raises(UnexpectedAntwoord) as e:
        engine.advance(flow, state, Antwoord(vraag_id=vraag_id, waarde="ja"))
    assert melding == str(e.value)


def test_only_a_case_with_an_outcome_offers_follow_up_questions() -> None:
    """Mid-way no follow-up is offered; after melden on afweging-2 the follow-up starts with
    what Veilig Thuis reported back (contract 2)."""
    flow, gemeld = _casus("melden-acute-of-structurele-onveiligheid")
    assert "terugkoppeling-veilig-thuis" == getattr(engine.vervolg(flow, gemeld), "id", None)
    halverwege, _ = engine.terug(flow, gemeld, "afweging-2")
    assert "afweging-2" == getattr(engine.what_next(flow, halverwege), "id", None)
    assert engine.vervolg(flow, halverwege) is None


def test_nog_vast_te_leggen_names_only_empty_questions_the_meldcode_asks_to_record() -> None:
    """Only questions marked `vastleggen` and left empty are listed; answered ones are not."""
    flow, state = _casus("hulp-bieden-wacht-op-evaluatie")
    leeg = engine.nog_vast_te_leggen(flow, state)
    assert leeg
    assert all(v.vastleggen for v in leeg)
    eerste = leeg[0].id
    flow, ingevuld = _casus("hulp-bieden-wacht-op-evaluatie", **{eerste: "Vastgelegd."})
    assert eerste not in {v.id for v in engine.nog_vast_te_leggen(flow, ingevuld)}


def test_a_waiting_case_says_why_in_the_words_of_its_flow() -> None:
    """An artsen case without Veilig Thuis consulted waits with the flow's explanation."""
    flow, state = _casus("artsen-open-zonder-veilig-thuis")
    wacht = engine.what_next(flow, state)
    vraag = flow.vraag("veilig-thuis-geraadpleegd")
    assert vraag.vereist_uitleg
    assert Wacht(vraag_id=vraag.id, tekst=vraag.vereist_uitleg) == wacht


def _eigen_flow(flow: Flow, vragen: list[AnyVraag]) -> Flow:
    """An organisation's own flow: `flow` with these questions, in this order."""
    return flow.model_copy(update={"vragen": tuple(vragen)})


def test_a_question_after_an_outcome_that_closes_the_case_is_not_asked(flow: Flow) -> None:
    """An own flow puts a question after afweging-1 without `als`: it is asked when the case
    goes on (afweging-1 ja), but afweging-1 nee closes the case (geen vermoeden) at once: it
    is `afgerond`, no question is offered after it and an answer to it is refused."""
    eigen_vraag = flow.vraag("weging").model_copy(
        update={"id": "overleg-leidinggevende", "tekst": "Met wie besprak u de afweging?"}
    )
    plek = [v.id for v in flow.vragen].index("afweging-1") + 1
    eigen = _eigen_flow(flow, [*flow.vragen[:plek], eigen_vraag, *flow.vragen[plek:]])
    _, basis = _casus("afsluiten-geen-vermoeden")
    voor = basis.antwoorden[: [a.vraag_id for a in basis.antwoorden].index("afweging-1")]
    ja, nee = (
        State(sector="basis", antwoorden=(*voor, Antwoord(vraag_id="afweging-1", waarde=w)))
        for w in ("ja", "nee")
    )
    assert "overleg-leidinggevende" == getattr(engine.what_next(eigen, ja), "id", None)
    uitkomst = engine.what_next(eigen, nee)
    assert ("afsluiten", "geen-vermoeden") == (
        getattr(uitkomst, "id", None), getattr(uitkomst, "reden", None))
    assert engine.vervolg(eigen, nee) is None
    assert engine.afgerond(eigen, nee)
    assert "afgerond" == engine.case_status(engine.walk(eigen, nee))
    with pytest.raises(UnexpectedAntwoord, match="de casus heeft al een uitkomst"):
        engine.advance(eigen, nee, Antwoord(vraag_id="overleg-leidinggevende", waarde="Fictief."))


def test_the_explorer_sees_a_flow_that_repeats_a_question_id_as_a_walk_does(flow: Flow) -> None:
    """`meldcode valideer` reports a question id that stands twice (MC105) and still walks
    every path of that flow for its other findings. Each case it reaches must then have the
    outcome, status and next question a walk from the start gives: here a follow-up question
    that by mistake has the id afweging-3, after melden on afweging-2. Answered once, it
    answers both: the case is afgerond, afweging-3 is not asked again."""
    vragen = [flow.vraag("afweging-2"), flow.vraag("afweging-3")]
    eigen = _eigen_flow(flow, [
        *(v.model_copy(update={"als": None}) for v in vragen),
        vragen[1].model_copy(update={"als": None, "vervolg": True}),
    ])

    def keuzes(_vraag: AnyVraag) -> tuple[str, ...]:
        return ("ja", "nee")

    def sleutel(w: engine.Walk) -> object:
        return w.volgende.id if w.volgende else None, tuple(w.gegeven.items())

    takken = list(explore(eigen, keuzes, sleutel))
    for tak in takken:
        assert tak.walk == engine.walk(eigen, tak.state), tak.state
    ja_ja = {"afweging-2": "ja", "afweging-3": "ja"}
    beide = [t.walk for t in takken if dict(t.walk.gegeven) == ja_ja]
    assert beide
    for w in beide:
        assert ("melden", "afgerond", None) == (
            w.uitkomst.id if w.uitkomst else None, engine.case_status(w), w.volgende)
