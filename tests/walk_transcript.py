"""The walk transcript of docs/walk.md, from a real run of `meldcode start --eenvoudig`.

`python tests/walk_transcript.py` runs the walk in an 80-column pseudo-terminal and writes the
transcript into docs/walk.md; tests/test_screen_render.py checks that the two still agree.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from pathlib import Path

import pexpect

from terminal import printed_lines

DOC = Path(__file__).resolve().parents[1] / "docs" / "walk.md"
BEGIN, EINDE = "<!-- transcript: begin -->\n```text\n", "```\n<!-- transcript: einde -->"
OPDRACHT = "meldcode start --sector basis --eenvoudig"
# What the professional types, by a piece of the question it answers (first match wins).
INVOER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("acuut gevaar", ("2",)),
    ("soorten signalen", ("2, 5",)),
    ("Beschrijf de feiten", ("Do 3/11, mentor (eigen waarneming): kind vertelt dat vader "
                             "moeder slaat.", "")),
    ("Kindcheck", ("2",)),
    ("Met wie heeft u de signalen", ("Aandachtsfunctionaris, 5/11: zorg blijft; gesprek met "
                                     "moeder voeren.", "")),
    ("Veilig Thuis om advies", ("?", "2")),
    ("gesprek met de cliënt gevoerd", ("1",)),
    ("Wat heeft u besproken", ("Moeder bevestigt ruzies, wil hulp.", "")),
    ("Afweging 1", ("1", "Feiten en gesprek bevestigen het vermoeden.")),
    ("Afweging 2", ("1", "Kind is structureel getuige van partnergeweld.")),
    ("Doorgaan?", ("2",)),
)
PROMPT = [r"Kies een nummer[^\r\n]*: ", r"Kies een of meer nummers[^\r\n]*: ", r"\n> "]
CASUS_ID = re.compile(r"mc-[a-z0-9]{4}-[a-z0-9]{4}")


def run(home: Path, cols: int = 80) -> str:
    """The walk as the terminal shows it, with the case id as `mc-xxxx-xxxx`."""
    env = {**os.environ, "MELDCODE_HOME": str(home), "TERM": "xterm", "COLUMNS": "", "LINES": ""}
    child = pexpect.spawn(
        sys.executable, ["-m", "meldcode", *OPDRACHT.split()[1:]],
        env=env, encoding="utf-8", dimensions=(24, cols), timeout=20,
    )
    child.delaybeforesend = None  # each answer is typed after its prompt is on screen
    uitvoer = io.StringIO()
    child.logfile_read = uitvoer
    wachtrij: list[str] = []
    for _ in range(80):
        if child.expect([*PROMPT, pexpect.EOF]) == len(PROMPT):
            break
        vraag = child.before or ""  # the question (and uitleg) since the last prompt
        if not wachtrij:
            for stuk, invoer in INVOER:
                if stuk in vraag:
                    wachtrij = list(invoer)
                    break
        child.sendline(wachtrij.pop(0) if wachtrij else "")
    child.close()
    regels = printed_lines(uitvoer.getvalue(), cols)
    return CASUS_ID.sub("mc-xxxx-xxxx", "\n".join([f"$ {OPDRACHT}", *regels])) + "\n"


def documented() -> str:
    """The transcript as docs/walk.md shows it."""
    tekst = DOC.read_text(encoding="utf-8")
    return tekst.split(BEGIN, 1)[1].split(EINDE, 1)[0]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        nieuw = run(home)
    oud = DOC.read_text(encoding="utf-8")
    voor, rest = oud.split(BEGIN, 1)
    DOC.write_text(voor + BEGIN + nieuw + EINDE + rest.split(EINDE, 1)[1], encoding="utf-8")
