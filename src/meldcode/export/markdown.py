"""The Markdown export: a readable document for the client dossier."""

from __future__ import annotations

import re
from dataclasses import astuple

from meldcode.dossier.build import Dossier
from meldcode.export import blocks
from meldcode.text.control_chars import zonder_stuurtekens

# Characters that would make text into HTML, a link or emphasis in a Markdown viewer. A dossier
# viewer renders the file: `<script>`, `[x](javascript:…)` or `**Besluit**` typed into an answer
# must stay plain text.
_MARKUP = str.maketrans(
    {
        "\\": "\\\\",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "\\[",
        "]": "\\]",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "~": "\\~",
        "|": "\\|",
        "!": "\\!",
    }
)
# What makes a line a block of its own (heading, list, quote, rule, setext underline, code):
# at the start of a line it is escaped, so free text cannot start a "## Uitkomst" section.
_BLOK = re.compile(r"^([#=+-]|\d+(?=[.)]))")


def _plain(text: str) -> str:
    """User or flow text as literal Markdown: no control characters, no HTML, no links, no
    emphasis, and no line of it starts a block."""
    regels = zonder_stuurtekens(text).translate(_MARKUP).split("\n")
    return "\n".join(_BLOK.sub(_escape_blok, r.lstrip(" \t")) for r in regels)


def _escape_blok(m: re.Match[str]) -> str:
    # A backslash escapes punctuation only: `\#`, but `1\.` for a numbered list.
    return m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1]


def _cell(text: str) -> str:
    return _plain(text).replace("\n", "<br>")


def _para(text: str) -> str:
    # Hard line breaks keep multi-line answers as the user typed them; an empty line becomes a
    # no-break space, so the text stays one paragraph inside its list item.
    regels = _plain(text.strip()).split("\n")
    return "  \n".join(r or "\u00a0" for r in regels)


def _table(rows: list[tuple[str, str]]) -> list[str]:
    out = ["| | |", "|---|---|"]
    out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in rows]
    return [*out, ""]


def render(d: Dossier) -> str:
    """The dossier as Markdown."""
    out = [f"# {blocks.titel(d)}", ""]
    if d.casus.oefening:
        out += [f"> **{blocks.OEFENING}**", ""]
    if waarschuwing := blocks.keten_waarschuwing(d):
        out += [f"> **{_plain(waarschuwing)}**", ""]
    out += [f"> **Privacy.** {blocks.PRIVACY}", "", "## Gegevens", "", *_table(blocks.gegevens(d))]
    out += ["## Uitkomst", ""]
    out += [f"- **{k}:** {_para(v)}" for k, v in blocks.uitkomst(d)]
    out.append("")
    if d.nog_vast_te_leggen:
        out += [f"## {blocks.NOG_VAST_TE_LEGGEN}", "", blocks.NOG_VAST_TE_LEGGEN_UITLEG, ""]
        out += [f"- {_para(t)}" for t in d.nog_vast_te_leggen]
        out.append("")
    for stap in d.stappen:
        out += [f"## {blocks.stap_titel(stap.id, stap.naam)}", ""]
        for r in stap.regels:
            out += [f"### {_para(r.tekst)}" if r.afweging else f"**{_para(r.tekst)}**", ""]
            if r.antwoord:
                out.append(f"- Antwoord: {_para(r.antwoord)}")
            if r.afweging or r.toelichting:
                toelichting = r.toelichting or "(geen toelichting vastgelegd)"
                out.append(f"- Toelichting: {_para(toelichting)}")
            out.append("")
    out += [
        "## Logboek",
        "",
        "Alle gebeurtenissen in volgorde, ook vervangen antwoorden.",
        "",
        "| nr | tijd | soort | vraag | antwoord | toelichting |",
        "|---|---|---|---|---|---|",
    ]
    out += ["| " + " | ".join(_cell(v) for v in astuple(r)) + " |" for r in blocks.log(d)]
    out += ["", "## Verantwoording", "", *_table(blocks.verantwoording(d))]
    return "\n".join(out).rstrip("\n") + "\n"
