"""A draft for Veilig Thuis (concept.Concept) as plain text, Markdown or HTML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from meldcode.dossier.draft import Concept, Onderdeel, Sectie
from meldcode.export.html import CSS, escape
from meldcode.export.markdown import _para, _plain
from meldcode.text.control_chars import zonder_stuurtekens


def _nummers(c: Concept) -> list[tuple[str, Sectie]]:
    """Each section with its number in form order ('' for the separate part)."""
    uit, n = [], 0
    for s in c.secties:
        n += not s.apart
        uit.append(("" if s.apart else f"{n}. ", s))
    return uit


def tekst(c: Concept) -> str:
    """Plain text, to paste into a web form or an e-mail."""
    schoon = zonder_stuurtekens
    out = [schoon(c.titel), "=" * len(c.titel), ""]
    if c.oefening:
        out += ["OEFENING — dit is een oefencasus, geen echte melding.", ""]
    out += [f"Privacy: {c.privacy}", "", "Let op:"]
    out += [f"- {schoon(n)}" for n in (*c.waarschuwingen, *c.notities)]
    for nr, s in _nummers(c):
        kop = f"{nr}{s.titel}" if nr else s.titel.upper()
        out.append("")
        if s.apart:
            out += ["#" * 72, kop, "#" * 72]
        else:
            out += [kop, "-" * len(kop)]
        if s.uitleg:
            out.append(s.uitleg)
        for o in s.onderdelen:
            out += _tekst_onderdeel(o)
        if s.apart:
            out += ["#" * 72, f"Einde: {s.titel.lower()}"]
    return "\n".join(out) + "\n"


def _tekst_onderdeel(o: Onderdeel) -> list[str]:
    regels = zonder_stuurtekens(o.tekst).strip().split("\n") if o.tekst else []
    if len(regels) == 1 and not o.punten:
        return [f"{o.kop}: {regels[0]}"]
    uit = [f"{o.kop}:"] + [f"  {r}" for r in regels]
    for p in o.punten:
        eerste, *rest = zonder_stuurtekens(p).split("\n")
        uit += [f"  - {eerste}"] + [f"    {r}" for r in rest]
    return uit


def markdown(c: Concept) -> str:
    """Markdown, for a dossier system that renders it."""
    out = [f"# {_plain(c.titel)}", ""]
    if c.oefening:
        out += ["> **OEFENING — dit is een oefencasus, geen echte melding.**", ""]
    out += [f"> **Privacy.** {_plain(c.privacy)}", "", "**Let op:**", ""]
    out += [f"- {_para(n)}" for n in (*c.waarschuwingen, *c.notities)]
    for nr, s in _nummers(c):
        out += ["", "---", ""] if s.apart else [""]
        out += [f"## {nr}{_plain(s.titel)}", ""]
        if s.uitleg:
            out += [f"*{_plain(s.uitleg)}*", ""]
        for o in s.onderdelen:
            out.append(f"- **{_plain(o.kop)}:** {_para(o.tekst) if o.tekst else ''}".rstrip())
            out += [f"  - {_para(p)}" for p in o.punten]
    return "\n".join(out) + "\n"


def html(c: Concept) -> str:
    """One self-contained HTML page that prints well."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(c.titel)}</title>",
        f"<style>{CSS}.apart {{ border: 3px double #333; padding: 0 1rem; }}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(c.titel)}</h1>",
    ]
    if c.oefening:
        out.append('<p class="oefening">OEFENING — dit is een oefencasus, geen echte melding.</p>')
    out.append(f'<p class="privacy"><strong>Privacy.</strong> {escape(c.privacy)}</p>')
    punten = "".join(f"<li>{escape(n)}</li>" for n in (*c.waarschuwingen, *c.notities))
    out.append(f'<div class="ontbreekt"><p><strong>Let op:</strong></p><ul>{punten}</ul></div>')
    for nr, s in _nummers(c):
        out.append('<section class="apart">' if s.apart else "<section>")
        out.append(f"<h2>{escape(nr + s.titel)}</h2>")
        if s.uitleg:
            out.append(f"<p><em>{escape(s.uitleg)}</em></p>")
        out.append("<dl>")
        for o in s.onderdelen:
            out.append(f"<dt><strong>{escape(o.kop)}</strong></dt>")
            inhoud = f'<p class="antwoord">{escape(o.tekst)}</p>' if o.tekst else ""
            if o.punten:
                inhoud += "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in o.punten) + "</ul>"
            out.append(f"<dd>{inhoud}</dd>")
        out += ["</dl>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# Keyed by the values of `meldcode melding --formaat` (commands/melding.py, kept light there).
FORMATEN: Mapping[str, Callable[[Concept], str]] = MappingProxyType(
    {"tekst": tekst, "markdown": markdown, "html": html}
)
