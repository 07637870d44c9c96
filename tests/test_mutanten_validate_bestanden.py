"""Defect flows that kill the mutants of `validate`'s checks on the files themselves (MC105,
MC106, MC111, MC113, MC114; docs/mutatie.md).

Kept apart from `test_mutanten_validate.py` (the meldnorm proof), so that CI's mutation subset
runs only the tests of the proof. Each test breaks a copy of the shipped flows and checks what
`meldcode valideer` says: exit 2, the MC code at the file and line, and the words of the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_mutanten_validate import MARK, _breek, _valideer


def test_route_may_only_default_to_thuis(flows_copy: Path) -> None:
    """An overlay that makes the staff route the default of `route` is refused (MC113): a user
    pressing Enter would leave the afwegingskader without choosing to."""
    regel = _breek(
        flows_copy, "afwegingskader/wmo.yaml",
        (r"\n  route:\n", f"\n  route:\n    standaard: medewerker  {MARK}\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"afwegingskader/wmo.yaml:{regel}: MC113 " in uit), uit
    assert "vraag 'route' mag geen andere 'standaard' hebben" in uit, uit


def test_haags_protocol_has_no_default(flows_copy: Path) -> None:
    """A default on the Haags-protocol question is refused (MC113): Enter must never decide
    whether the children of a parent at the emergency department are reported."""
    regel = _breek(
        flows_copy, "stappen/stap-1.yaml",
        (r"(- id: haags-protocol\n    stap: stap-1\n    soort: ja-nee\n)",
         rf"\1    standaard: nee  {MARK}\n"),
    )
    code, uit = _valideer(flows_copy)
    assert (2, True) == (code, f"stappen/stap-1.yaml:{regel}: MC113 " in uit), uit
    assert "vraag 'haags-protocol' mag geen andere 'standaard' hebben" in uit, uit


# Defects in the files as written (MC105, MC106): (name, file, edits, code, words of the message).
GESCHREVEN: list[tuple[str, str, tuple[tuple[str, str], ...], str, str]] = [
    ("dubbele-sector", "afwegingskader/sectoren.yaml",
     ((r"\n  - id: artsen\n", f"\n  - id: basis  {MARK}\n"),), "MC105",
     "sector-id 'basis' staat er twee keer in."),
    ("dubbele-optie", "stappen/stap-3.yaml",
     ((r"\n      - id: contact-verlies\n", f"\n      - id: veiligheid  {MARK}\n"),), "MC105",
     "optie-id 'veiligheid' staat er twee keer in."),
    ("dubbele-afsluitreden", "afwegingskader/basis.yaml",
     ((r"\n  - id: zorg-weggenomen\n", f"\n  - id: andere-verklaring  {MARK}\n"),), "MC105",
     "optie-id 'andere-verklaring' staat er twee keer in."),
    ("standaard-geen-optie", "afwegingskader/wmo.yaml",
     ((r"\n        standaard: medewerker\n", f"\n        standaard: bestuurder  {MARK}\n"),),
     "MC106", "'standaard' van vraag 'pleger' is geen van de opties."),
    ("overlay-onbekende-vraag", "afwegingskader/psychosociaal.yaml",
     ((r"\nvragen:\n", f"\nvragen:\n  bestaat-niet:\n    tekst: Een vraag.  {MARK}\n"),), "MC106",
     "de overlay wijzigt onbekende vraag 'bestaat-niet'."),
    ("antwoord-op-open-vraag", "stappen/stap-4.yaml",
     ((r"- id: weging\n",
       f"- id: weging\n    als: {{antwoord: {{collegiale-consultatie: ja}}}}  {MARK}\n"),),
     "MC106", "vraag 'collegiale-consultatie' is een open vraag; gebruik 'beantwoord'"),
    ("vraag-na-zichzelf", "stappen/stap-2.yaml",
     ((r"- id: letselduiding\n",
       f"- id: letselduiding\n    als: {{beantwoord: letselduiding}}  {MARK}\n"),),
     "MC111", "de voorwaarde noemt vraag 'letselduiding', die na deze vraag wordt gesteld"),
    ("mededeling-voor-haar-vraag", "stappen/stap-2.yaml",
     ((r"(- id: bijzondere-vormen-direct-veilig-thuis\n    stap: )stap-2", r"\1stap-1"),
      (r"(\n  - id: bijzondere-vormen-direct-veilig-thuis\n(?:    .*\n)*?        signalen: \[.*\])",
       rf"\1  {MARK}")),
     "MC111", "de voorwaarde noemt vraag 'signalen', die niet vóór stap-1 wordt gesteld"),
    ("verplicht-zonder-standaard", "afwegingskader/wmo.yaml",
     ((r"- id: pleger\n", f"- id: pleger  {MARK}\n"), (r"\n        standaard: medewerker\n", "\n")),
     "MC113", "vraag 'pleger' heeft geen 'standaard' en is verplicht"),
    ("eerste-vraag", "stappen/stap-1.yaml",
     ((r"\nvragen:\n",
       f"\nvragen:\n  - id: voorvraag  {MARK}\n    stap: stap-1\n    soort: ja-nee\n"
       "    standaard: nee\n    tekst: Een vraag vooraf?\n    bron: domain.md §1.2\n"),),
     "MC113", "de eerste vraag moet 'acuut-gevaar' zijn."),
    ("geen-route-thuis", "afwegingskader/sectoren.yaml",
     ((r"(- id: onderwijs\n(?:    .*\n)*?    routes: )\[thuis, medewerker\]",
       rf"\1[medewerker]  {MARK}"),),
     "MC114", "sector 'onderwijs' mist de route 'thuis'."),
    ("route-zonder-overlay-genoemd", "afwegingskader/sectoren.yaml",
     ((r"(- id: onderwijs\n(?:    .*\n)*?    routes: \[thuis, medewerker)\]",
       rf"\1, stagiair]  {MARK}"),),
     "MC114", "route 'stagiair' van sector 'onderwijs' heeft geen overlay die haar beschrijft"),
    ("route-opties-passen-niet", "afwegingskader/sectoren.yaml",
     ((r"(- id: onderwijs\n(?:    .*\n)*?    routes: \[thuis, medewerker)\]",
       rf"\1, stagiair]  {MARK}"),),
     "MC114", "de opties van vraag 'route' passen niet bij de routes van sector 'onderwijs'."),
    ("toegevoegde-vraag-met-bestaand-id", "afwegingskader/artsen.yaml",
     ((r"      id: overleg-betrokken-professionals\n", f"      id: weging  {MARK}\n"),), "MC105",
     "id 'weging' komt meer dan eens voor (in sector 'artsen')."),
    ("overlay-route-niet-in-sectoren", "afwegingskader/sectoren.yaml",
     ((r"(- id: onderwijs\n(?:    .*\n)*?    routes: )\[thuis, medewerker\]", r"\1[thuis]"),),
     "MC114", "route 'medewerker' staat niet bij sector 'onderwijs' in sectoren.yaml."),
]


@pytest.mark.parametrize(
    ("name", "bestand", "edits", "code", "tekst"), GESCHREVEN, ids=[d[0] for d in GESCHREVEN]
)
def test_a_defect_as_written_is_named(
    flows_copy: Path, name: str, bestand: str, edits: tuple[tuple[str, str], ...], code: str,
    tekst: str,
) -> None:
    """A sector, option or closing reason listed twice, or a default that is no option, is
    refused at its line: the user would otherwise see two identical choices in a menu (one of
    them never matching a condition) or a default the menu cannot show."""
    regel = _breek(flows_copy, bestand, *edits)
    plek = f"{bestand}:{regel}: {code} " if any(MARK in r for _, r in edits) else f": {code} "
    code_, uit = _valideer(flows_copy)
    assert (2, True, True) == (code_, plek in uit, tekst in uit), (name, uit)



def test_an_added_question_may_follow_one_added_before_it(flows_copy: Path) -> None:
    """An overlay that adds two questions, the second after the first (`na` names the added
    one), is accepted: an organisation may extend its own additions step by step."""
    _breek(
        flows_copy, "afwegingskader/artsen.yaml",
        (r"\nmededelingen:",
         "  - na: overleg-betrokken-professionals\n    vraag:\n      id: overleg-uitkomst\n"
         "      stap: stap-4\n      soort: tekst\n      verplicht: false\n"
         "      tekst: Wat kwam er uit het overleg?\n      bron: domain.md §3.2\n"
         f"\nmededelingen:  {MARK}"),
    )
    code, uit = _valideer(flows_copy)
    assert 0 == code, uit
