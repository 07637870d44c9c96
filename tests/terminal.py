"""A real `meldcode` in a pseudo-terminal, read through the pyte terminal emulator.

What a test sees is the screen a person sees: lines as the terminal drew them, at a chosen width.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

# questionary's and click's own words; none may reach a screen of meldcode.
ENGELS = (
    r"\bdone\b", r"selections", r"\bUsage\b", r"<str>", r"<path>", r"Use arrow keys",
    r"to select", r"to toggle", r"to invert", r"type to filter", r"\bAnswer\b",
)  # fmt: skip
TIMEOUT = 20  # a 2-core CI box with a cold disk can be slow
STIL = 0.1  # a redraw is written at once: this long without output, and it is done
DOWN, UP, ENTER, ESC = "\x1b[B", "\x1b[A", "\r", "\x1b"


def printed_lines(output: str, cols: int) -> list[str]:
    """`output` as a terminal `cols` wide shows it when nothing scrolls away: its lines,
    right-trimmed, without the empty ones at the end. (The screen is only as tall as the output
    can fill, since pyte's work grows with the screen's size: 3000 rows took a second.)"""
    rows = output.count("\n") + len(output) // cols + 2  # each line feed or wrap: one row
    screen = pyte.Screen(cols, rows)
    pyte.Stream(screen).feed(output)
    regels = [r.rstrip() for r in screen.display]
    while regels and not regels[-1]:
        regels.pop()
    return regels


class Terminal:
    """`python -m meldcode ARGS` in a terminal of `cols` x `rows` with its own store."""

    def __init__(
        self,
        home: Path,
        *args: str,
        cols: int = 80,
        rows: int = 40,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.cols = cols
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""  # everything the program wrote, for plain-mode checks
        env = {
            **os.environ,
            **(extra or {}),
            "MELDCODE_HOME": str(home),
            "TERM": "xterm",
            "COLUMNS": str(cols),
            "LINES": str(rows),
            # pexpect does not answer cursor-position requests; tell prompt_toolkit not to ask.
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        env.pop("NO_COLOR", None)
        self.child: pexpect.spawn[bytes] = pexpect.spawn(
            sys.executable,
            ["-m", "meldcode", *args],
            env=env,
            dimensions=(rows, cols),
            timeout=TIMEOUT,
        )
        # No fixed pauses: every test waits for what it expects on screen instead. (pexpect
        # sleeps 50 ms before each send and 100 ms after closing, by default.)
        self.child.delaybeforesend = None
        self.child.ptyproc.delayafterclose = 0  # type: ignore[attr-defined]  # not in the stubs
        self.eof = False
        self.gestuurd = time.monotonic()  # when keys were last sent
        self.gelezen = 0.0  # when output last came

    def _pump(self, timeout: float = 0.05) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.eof = True
            return
        self.raw += data
        self.stream.feed(data)
        self.gelezen = time.monotonic()

    def lines(self) -> list[str]:
        """The screen's lines, right-trimmed."""
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        """The screen as one text, lines joined with spaces (a wrapped phrase still matches)."""
        return " ".join(" ".join(self.lines()).split())

    def until(self, ok: Callable[[], bool], waarom: str, *, timeout: float = TIMEOUT) -> None:
        """Read until `ok()`; else (the program ended, or `timeout`) an AssertionError with
        `waarom` and the screen."""
        einde = time.monotonic() + timeout
        while not ok():
            if self.eof or time.monotonic() > einde:
                raise AssertionError(f"{waarom}:\n" + "\n".join(self.lines()))
            self._pump(0.02)

    def wait_for(self, text: str, *, timeout: float = TIMEOUT) -> None:
        """Until the screen shows `text` (whitespace-insensitive)."""
        wanted = " ".join(text.split())
        self.until(lambda: wanted in self.text(), f"{text!r} not on screen", timeout=timeout)

    def wait_raw(self, text: str, count: int = 1, *, timeout: float = TIMEOUT) -> None:
        """Until the program has written `text` at least `count` times (plain mode)."""
        einde = time.monotonic() + timeout
        while self.raw.decode("utf-8", "replace").count(text) < count:
            if self.eof or time.monotonic() > einde:
                msg = f"{text!r} not written {count}x:\n" + self.raw.decode("utf-8", "replace")
                raise AssertionError(msg)
            self._pump()

    def settle(self, seconds: float = 0.3) -> None:
        """Read until the screen is still: output has come since the last keys were sent and
        none for STIL seconds (a menu redraws after each key); at most `seconds`."""
        einde = time.monotonic() + seconds
        while time.monotonic() < einde and not self.eof:
            nu = time.monotonic()
            if self.gelezen > self.gestuurd and nu - self.gelezen >= STIL:
                return
            self._pump(min(STIL, max(einde - nu, 0.001)))

    def pointed(self) -> str:
        """The menu line the cursor is on (questionary's pointer »)."""
        return next((line for line in self.lines() if line.startswith(" » ")), "")

    def wait_menu(self, *, timeout: float = TIMEOUT) -> None:
        """Until a menu's cursor is on screen."""
        self.until(lambda: bool(self.pointed()), "no menu cursor on screen", timeout=timeout)
        self.settle(0.1)

    def wait_pointed(self, line: str, *, timeout: float = TIMEOUT) -> None:
        """Until the cursor is on `line` (a menu draws its question before its entries, so the
        pointer can be missing for a moment after the question is on screen)."""
        self.until(lambda: self.pointed() == line, f"cursor not on {line!r}", timeout=timeout)

    def asked(self) -> str:
        """The prompt now on screen: from the last line that starts a question (`? …`, not the
        hint line `? uitleg · …`) to the end, whitespace folded ('' when there is none).
        Answered questions stay on screen above it (`? Vraag » antwoord`), so text that an
        earlier prompt showed is not found here. (A multi-line text prompt's question is drawn
        without `? `: it is found below the question answered before it.)"""
        regels = self.lines()
        vragen = [
            i
            for i, regel in enumerate(regels)
            if regel.startswith("? ") and not regel.startswith("? uitleg")
        ]
        return " ".join(" ".join(regels[vragen[-1] :]).split()) if vragen else ""

    def wait_asked(self, text: str, *, menu: bool = True, timeout: float = TIMEOUT) -> None:
        """Until the prompt now on screen (`asked`) shows `text` and, for a menu, its cursor
        (a menu draws its question before its entries)."""
        wanted = " ".join(text.split())
        self.until(
            lambda: wanted in self.asked() and (not menu or bool(self.pointed())),
            f"{text!r} not asked",
            timeout=timeout,
        )

    def wait_cursor(self, label: str, *, timeout: float = TIMEOUT) -> None:
        """Until the menu cursor is on the entry that starts with `label`."""
        self.until(
            lambda: self.pointed().startswith(f" » {label}"),
            f"cursor not on {label!r}",
            timeout=timeout,
        )

    def wait_gone(self, text: str, *, timeout: float = TIMEOUT) -> None:
        """Until the screen no longer shows `text` (whitespace-insensitive)."""
        wanted = " ".join(text.split())
        self.until(lambda: wanted not in self.text(), f"{text!r} still on screen", timeout=timeout)

    def move_to(self, label: str) -> None:
        """Move the cursor down to the entry that starts with `label` (ticked or not)."""
        self.settle(0.1)
        for _ in range(40):
            wijst = self.pointed()
            if wijst.startswith((f" » {label}", f" » ○ {label}", f" » ● {label}")):
                return
            self.send(DOWN)
            einde = time.monotonic() + 2
            while self.pointed() == wijst and time.monotonic() < einde and not self.eof:
                self._pump(0.02)
            self.settle(0.03)  # the rest of the redraw
        msg = f"no entry {label!r}:\n" + "\n".join(self.lines())
        raise AssertionError(msg)

    def pick(self, label: str) -> None:
        """Move the cursor down to the entry that starts with `label`, and press Enter."""
        self.move_to(label)
        self.send(ENTER)

    def search(self, typed: str, label: str) -> None:
        """Type `typed` in a menu that filters, then Enter on the entry that starts with `label`."""
        self.send(typed)
        self.until(
            lambda: self.pointed().startswith(f" » {label}"),
            f"no entry {label!r} after typing {typed!r}",
        )
        self.send(ENTER)

    def send(self, keys: str) -> None:
        """Type `keys`."""
        self.gestuurd = time.monotonic()
        self.child.send(keys)

    def cut_words(self) -> list[str]:
        """Lines the terminal broke inside a word: full to the edge, a letter on both sides."""
        lines = self.lines()
        return [
            f"{a!r} / {b!r}"
            for a, b in itertools.pairwise(lines)
            if len(a) >= self.cols and a[-1].isalnum() and b[:1].isalnum()
        ]

    def english(self) -> list[str]:
        """English UI words on screen (questionary's and click's defaults)."""
        return [w for w in ENGELS if re.search(w, self.text())]

    def interrupt(self) -> None:
        """Ctrl-C, once the screen is still (the prompt is drawn and reads keys)."""
        self.settle()
        self.child.sendcontrol("c")

    def finish(self) -> int:
        """Wait for the end (at most TIMEOUT: a test fails, it never hangs); the exit code (or
        128 + signal)."""
        einde = time.monotonic() + TIMEOUT
        while not self.eof:
            if time.monotonic() > einde:
                self.child.terminate(force=True)
                msg = "the program did not end:\n" + "\n".join(self.lines())
                raise AssertionError(msg)
            self._pump(0.2)
        self.child.wait()  # reaped, so closing needs no pause to see that it ended
        self.child.close()
        if self.child.exitstatus is not None:
            return int(self.child.exitstatus)
        return 128 + int(self.child.signalstatus or 0)
