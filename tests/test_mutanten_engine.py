"""The condition language (`als`, design.md §3) as an organisation's own flows may use it.

Found by mutation testing (docs/mutatie.md): the shipped flows name one question per
`beantwoord` and never mix special and ordinary signals in a test, so these pin the rules down.
"""

from __future__ import annotations

import pytest

from meldcode.engine import holds
from meldcode.model import Voorwaarde

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
    als: dict[str, object], gegeven: dict[str, object], verwacht: bool
) -> None:
    """Each condition of an own flow holds (in sector basis) exactly when design.md §3 says."""
    assert verwacht == holds(Voorwaarde.model_validate(als), "basis", gegeven)
