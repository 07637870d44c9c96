"""Content spoofing (issue 17 item 10): free text cannot fake a section, hide or reorder text,
or run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from meldcode.store.log import NieuwEvent
from meldcode.store.sqlite import Store
from test_export import export
from test_scripted import SCENARIOS, meldcode, start

NEP = "x\n## Uitkomst\n- **Besluit:** Afsluiten\n\n# Kop\n1. lijst\n---\n=====\n    code\n> quote"
BIDI = "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\u200e", "\ufeff", "\u061c"


def case_with(home: Path, tekst: str, label: str = "dossier-4711") -> str:
    """A melden case whose signalen-beschrijving is `tekst`; its id."""
    data = yaml.safe_load((SCENARIOS / "melden-hulp-niet-aanvaard.yaml").read_text("utf-8"))
    del data["verwacht"]
    data["antwoorden"]["signalen-beschrijving"] = tekst
    data["label"] = label
    bestand = home / "antwoorden.yaml"
    home.mkdir(exist_ok=True)
    bestand.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = start(home, bestand, "--standaard")
    assert 0 == result.exit_code, result.stderr
    return str(json.loads(result.stdout)["casus"]["id"])


def test_free_text_cannot_make_a_heading_or_a_second_besluit(tmp_path: Path) -> None:
    """Rendered with a CommonMark parser, the export has one Uitkomst heading and one Besluit;
    the answer's lines are text inside its list item."""
    tekst = export(tmp_path, case_with(tmp_path, NEP), "-f", "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(tekst)
    koppen = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert 1 == koppen.count("Uitkomst")
    assert "Kop" not in koppen
    assert not any(t.type in ("hr", "code_block", "ordered_list_open") for t in tokens)
    assert 1 == sum(t.type == "blockquote_open" for t in tokens)  # the privacy notice only
    sterk = [
        t.children[i + 1].content
        for t in tokens
        if t.type == "inline" and t.children
        for i, c in enumerate(t.children)
        if c.type == "strong_open"
    ]
    assert 1 == sterk.count("Besluit:")
    html = MarkdownIt("commonmark").enable("table").render(tekst)
    assert "**Besluit:** Afsluiten" in html  # shown literally, as typed


@pytest.mark.parametrize("teken", BIDI)
def test_bidi_and_zero_width_characters_are_dropped_on_input(teken: str, tmp_path: Path) -> None:
    """Typed into an answer or a label, they never reach the store."""
    casus_id = case_with(tmp_path, f"abc{teken}def", label=f"dos{teken}sier")
    doc = json.loads(export(tmp_path, casus_id))
    beschrijving = next(e for e in doc["log"] if e["vraag"] == "signalen-beschrijving")
    assert ("abcdef", "dossier") == (beschrijving["antwoord"], doc["casus"]["label"])


def old_case_with(home: Path, tekst: str) -> str:
    """A case written by an older meldcode that kept these characters: label and toelichting."""
    home.mkdir(exist_ok=True)
    store = Store(home / "meldcode.db")
    casus = store.create(sector="basis", flow_versie="v", flow_hash="sha256:x", label=tekst)
    store.append(casus, NieuwEvent(soort="advies-veilig-thuis", stap="stap-2", toelichting=tekst))
    store.close()
    return casus.id


@pytest.mark.parametrize("teken", BIDI)
def test_stored_bidi_characters_are_neutralised_wherever_text_is_shown(
    teken: str, tmp_path: Path
) -> None:
    """lijst, toon and the Markdown, HTML and CSV exports show none; JSON writes them as
    \\uXXXX escapes: visible, and the same value, so the hashes still verify."""
    casus_id = old_case_with(tmp_path, f"veilig{teken}gevaar")
    uitvoer = {
        "lijst": meldcode(tmp_path, "lijst").stdout,
        "toon": meldcode(tmp_path, "toon", casus_id, "--log").stdout,
        **{f: export(tmp_path, casus_id, "-f", f) for f in ("markdown", "html", "csv")},
    }
    assert dict.fromkeys(uitvoer, False) == {k: teken in v for k, v in uitvoer.items()}
    tekst = export(tmp_path, casus_id)
    assert teken not in tekst
    assert f"\\u{ord(teken):04x}" in tekst
    assert f"veilig{teken}gevaar" == json.loads(tekst)["casus"]["label"]
    assert 0 == meldcode(tmp_path, "verifieer").exit_code


@pytest.mark.parametrize(
    "formule",
    [" =1+1", "\u00a0=1+1", "\u3000@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\t=1", "﹦1"],
)
def test_csv_formula_guard_catches_disguised_formulas(formule: str, tmp_path: Path) -> None:
    """Leading spaces (also no-break), full-width and small forms still start a formula in a
    spreadsheet: the cell is quoted."""
    casus_id = case_with(tmp_path, formule)
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, casus_id, "-f", "csv"))))
    cel = next(r["antwoord"] for r in rows if r["vraag"] == "signalen-beschrijving")
    assert cel.startswith("'")
