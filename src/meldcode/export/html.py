"""The HTML export: one self-contained page for the client dossier that prints well."""

from __future__ import annotations

from dataclasses import astuple
from html import escape as _html_escape

from meldcode.dossier.build import Dossier
from meldcode.export import blocks
from meldcode.text.control_chars import zonder_stuurtekens


def escape(text: str) -> str:
    """Text as HTML: no markup, no control, bidi or zero-width characters (stuurtekens.py)."""
    return _html_escape(zonder_stuurtekens(text))


CSS = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #111; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #999; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.oefening { border: 3px solid #b00; color: #b00; font-weight: bold; padding: 0.5rem; }
.ontbreekt { border-left: 4px solid #b35900; padding-left: 0.75rem; }
.privacy { border-left: 4px solid #555; background: #f4f4f4; padding: 0.5rem 0.75rem; }
.regel { margin: 0 0 1rem; } .antwoord, .toelichting { white-space: pre-wrap; margin: 0.2rem 0; }
.log { font-size: 0.85rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .regel, tr { break-inside: avoid; page-break-inside: avoid; }
  .oefening, .privacy { background: none; }
  @page { margin: 18mm 15mm; }
}
"""


def _rows(rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>\n' for k, v in rows
    )
    return f"<table>\n<tbody>\n{body}</tbody>\n</table>\n"


def _stappen(d: Dossier) -> str:
    out = []
    for stap in d.stappen:
        out.append(f"<section>\n<h2>{escape(blocks.stap_titel(stap.id, stap.naam))}</h2>\n")
        for r in stap.regels:
            kop = "h3" if r.afweging else "p"
            out.append(f'<div class="regel">\n<{kop}><strong>{escape(r.tekst)}</strong></{kop}>\n')
            if r.antwoord:
                out.append(f'<p class="antwoord">Antwoord: {escape(r.antwoord)}</p>\n')
            if r.afweging or r.toelichting:
                toelichting = r.toelichting or "(geen toelichting vastgelegd)"
                out.append(f'<p class="toelichting">Toelichting: {escape(toelichting)}</p>\n')
            out.append("</div>\n")
        out.append("</section>\n")
    return "".join(out)


def _nog_vast_te_leggen(d: Dossier) -> str:
    if not d.nog_vast_te_leggen:
        return ""
    punten = "".join(f"<li>{escape(t)}</li>\n" for t in d.nog_vast_te_leggen)
    return (
        f'<section class="ontbreekt">\n<h2>{escape(blocks.NOG_VAST_TE_LEGGEN)}</h2>\n'
        f"<p>{escape(blocks.NOG_VAST_TE_LEGGEN_UITLEG)}</p>\n<ul>\n{punten}</ul>\n</section>\n"
    )


def _log(d: Dossier) -> str:
    kop = "".join(
        f"<th>{k}</th>" for k in ("nr", "tijd", "soort", "vraag", "antwoord", "toelichting")
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in astuple(r)) + "</tr>\n"
        for r in blocks.log(d)
    )
    return (
        '<table class="log">\n<thead><tr>'
        + kop
        + "</tr></thead>\n<tbody>\n"
        + rows
        + "</tbody>\n</table>\n"
    )


def render(d: Dossier) -> str:
    """The dossier as one HTML5 document with its own CSS (no external files)."""
    titel = escape(blocks.titel(d))
    oefening = f'<p class="oefening">{escape(blocks.OEFENING)}</p>\n' if d.casus.oefening else ""
    if waarschuwing := blocks.keten_waarschuwing(d):
        oefening += f'<p class="oefening">{escape(waarschuwing)}</p>\n'  # the same red frame
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{titel}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{titel}</h1>\n{oefening}"
        f'<p class="privacy"><strong>Privacy.</strong> {escape(blocks.PRIVACY)}</p>\n'
        f"<h2>Gegevens</h2>\n{_rows(blocks.gegevens(d))}"
        f"<h2>Uitkomst</h2>\n{_rows(blocks.uitkomst(d))}"
        f"{_nog_vast_te_leggen(d)}"
        f"{_stappen(d)}"
        "<h2>Logboek</h2>\n<p>Alle gebeurtenissen in volgorde, ook vervangen antwoorden.</p>\n"
        f"{_log(d)}"
        f"<h2>Verantwoording</h2>\n{_rows(blocks.verantwoording(d))}"
        "</body>\n</html>\n"
    )
