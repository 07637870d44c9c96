"""The one home for walking a case: the lock, the prefill, the resume event and the loop.

Every walk (at the terminal, plain, scripted, practice) is

    with CaseWalk.start(store, flow) as walk:      # or CaseWalk.resume(store, casus_id, flow)
        result = walk.run(prompter)

Leaving the `with` block releases the case lock, whatever happened. `run` returns one
`WalkResult`: done, paused, interrupted or not saved; how that ends the command (its message
and exit code) is for the caller and the error boundary.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from meldcode import engine
from meldcode.errors import Beeindigd, NotInteractive, WalkNotFinished
from meldcode.model import Flow, State, Waarde
from meldcode.walk import loop
from meldcode.walk.recorder import Recorder

if TYPE_CHECKING:
    from types import TracebackType

    from meldcode.prompts.interface import Prompter
    from meldcode.store import CaseStore as Store
    from meldcode.store import Casus


class Ending(StrEnum):
    """How a walk ended."""

    DONE = "klaar"  # an outcome, a wait, or the prompter stopped asking
    PAUSED = "gepauzeerd"  # the user paused; the pause is recorded
    INTERRUPTED = "onderbroken"  # Ctrl-C, a signal, or the input closed; all so far is saved
    NOT_SAVED = "niet-bewaard"  # a write failed: the last answer is not saved


@dataclass(frozen=True)
class WalkResult:
    """What a walk came to; `stop` is what ended an interrupted or not-saved walk."""

    ending: Ending
    casus_id: str
    state: State
    stop: BaseException | None = None


class CaseWalk:
    """One case being walked by this process, locked from `start`/`resume` until the end of
    the `with` block."""

    def __init__(
        self,
        recorder: Recorder,
        state: State,
        cleanup: ExitStack,
        *,
        prefill: dict[str, Waarde] | None = None,
        resumed: bool = False,
    ) -> None:
        self.recorder = recorder
        self.flow = recorder.flow
        self.state = state
        self.prefill = dict(prefill or {})
        self.resumed = resumed
        self._cleanup = cleanup

    @classmethod
    def start(
        cls, store: Store, flow: Flow, *, label: str | None = None, oefening: bool = False
    ) -> CaseWalk:
        """A new case for `flow`, created and locked."""
        cleanup = ExitStack()
        recorder = Recorder.start(store, flow, label=label, oefening=oefening)
        cleanup.callback(recorder.close)
        return cls(recorder, State(sector=flow.sector.id), cleanup)

    @classmethod
    def resume(cls, store: Store, casus_id: str, flow: Flow) -> CaseWalk:
        """A stored case, locked, with its state rebuilt and earlier answers that are no
        longer on the path offered again as defaults."""
        from meldcode.store.history import prefill_from_events

        with ExitStack() as cleanup:
            recorder, state = Recorder.resume(store, casus_id, flow)
            cleanup.callback(recorder.close)  # released at once if what follows fails
            events = store.events(casus_id)
            prefill: dict[str, Waarde] = prefill_from_events(flow, state.sector, events)
            if any(e.soort == "advies-veilig-thuis" for e in events) and not state.heeft(
                "veilig-thuis-geraadpleegd"
            ):
                prefill.setdefault("veilig-thuis-geraadpleegd", "ja")  # as in the walk itself
            return cls(recorder, state, cleanup.pop_all(), prefill=prefill, resumed=True)

    def __enter__(self) -> CaseWalk:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        """Release the case lock."""
        self._cleanup.close()

    @property
    def casus(self) -> Casus:
        """The case row as it is now."""
        return self.recorder.casus

    @property
    def finished(self) -> bool:
        """Nothing is left to ask (a resumed case that is done)."""
        return engine.afgerond(self.flow, self.state)

    def run(
        self,
        prompter: Prompter,
        *,
        begin: Callable[[], None] | None = None,
        signals: bool = False,
    ) -> WalkResult:
        """Record the resume event (for a resumed case), run `begin` (it may see Ctrl-C), then
        ask until an outcome, a wait, a pause or a stop. With `signals`, SIGTERM and SIGHUP
        stop the walk as Ctrl-C does."""
        try:
            with stops_on_signals() if signals else contextlib.nullcontext():
                if self.resumed:
                    self.recorder.hervat(self.state)
                    self.resumed = False  # one resume event, however often `run` is called
                if begin is not None:
                    begin()
                self.state = loop.run(self.flow, self.state, prompter, self.recorder, self.prefill)
        except loop.Paused:
            return self._result(Ending.PAUSED)
        except (KeyboardInterrupt, NotInteractive) as e:  # Beeindigd is a KeyboardInterrupt
            return self._result(Ending.INTERRUPTED, e)
        except WalkNotFinished as e:
            return self._result(Ending.NOT_SAVED, e)
        return self._result(Ending.DONE)

    def _result(self, ending: Ending, stop: BaseException | None = None) -> WalkResult:
        casus_id = self.recorder.casus_id
        return WalkResult(ending=ending, casus_id=casus_id, state=self.state, stop=stop)


@contextlib.contextmanager
def stops_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the walk as Ctrl-C does (Beeindigd), not silently mid-question.

    In a questionary prompt the stop goes through prompt_toolkit, so the terminal is restored.
    """
    import signal

    def stop(signum: int, _frame: object) -> None:
        app = _running_prompt()
        if app is not None:
            app.loop.call_soon_threadsafe(lambda: app.exit(exception=Beeindigd(signum)))
            return
        raise Beeindigd(signum)

    signalen = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    vorige = {s: signal.signal(s, stop) for s in signalen}
    try:
        yield
    finally:
        for s, handler in vorige.items():
            signal.signal(s, handler)


def _running_prompt() -> Any:
    """The prompt_toolkit application waiting for a key, if one is."""
    if "prompt_toolkit" not in sys.modules:
        return None
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    if app is None or not app.is_running or app.loop is None or app.future is None:
        return None
    return None if app.future.done() else app
