"""A case being walked: records every answer and action in the store as it happens."""

from __future__ import annotations

from typing import Any

from meldcode.model import Antwoord, AnyVraag, Flow, State
from meldcode.store import CaseStore as Store
from meldcode.store import Casus, NieuwEvent
from meldcode.store.history import case_fields, state_from_events
from meldcode.store.records import new_casus_id
from meldcode.text.control_chars import zonder_stuurtekens


class Recorder:
    """Appends events for one case; each is committed before the next question appears."""

    def __init__(self, store: Store, casus: Casus, flow: Flow, *, nieuw: bool = False) -> None:
        self.store = store
        self.casus = casus
        self.flow = flow
        self.nieuw = nieuw  # made by this run (start), not resumed (hervat)

    @classmethod
    def start(
        cls, store: Store, flow: Flow, *, label: str | None = None, oefening: bool = False
    ) -> Recorder:
        """Create a new case for `flow` and lock it for this process."""
        # Lock first: a lock that cannot be taken must not leave an empty case behind.
        casus_id = new_casus_id()
        # The label is shown in `lijst` and `toon`: no control characters (see stuurtekens.py).
        label = (zonder_stuurtekens(label) or None) if label is not None else None
        store.lock(casus_id)
        try:
            casus = store.create(
                sector=flow.sector.id,
                flow_versie=flow.versie,
                flow_hash=flow.hash,
                label=label,
                oefening=oefening,
                casus_id=casus_id,
            )
        except BaseException:
            store.unlock(casus_id)
            raise
        return cls(store, casus, flow, nieuw=True)

    @classmethod
    def resume(cls, store: Store, casus_id: str, flow: Flow) -> tuple[Recorder, State]:
        """Lock an existing case and rebuild its state from its events."""
        store.get(casus_id)  # an unknown id is refused before a lock file is made
        store.lock(casus_id)
        try:
            casus = store.get(casus_id)  # as it is now that no other process can write it
            state = state_from_events(flow, casus.sector, store.events(casus.id))
        except BaseException:
            store.unlock(casus_id)  # a damaged log must not leave the case locked
            raise
        return cls(store, casus, flow), state

    # --- events -------------------------------------------------------------------------

    def antwoord(self, vraag: AnyVraag, antwoord: Antwoord, state: State) -> None:
        """Record an answer; `state` is the state after it."""
        self._append(
            state,
            soort="antwoord",
            stap=vraag.stap,
            vraag=vraag.id,
            antwoord=antwoord.waarde,
            toelichting=antwoord.toelichting,
        )

    def onderbouwing(self, vraag: AnyVraag, tekst: str, state: State) -> None:
        """Record the reasoning behind an afweging, after the afweging itself."""
        self._append(
            state, soort="onderbouwing", stap=vraag.stap, vraag=vraag.id, toelichting=tekst
        )

    def wijziging(self, vraag: AnyVraag, antwoord: Antwoord, reden: str, state: State) -> None:
        """Record a changed answer with its reason; the superseded answer stays in the log."""
        self._append(
            state,
            soort="wijziging",
            stap=vraag.stap,
            vraag=vraag.id,
            antwoord=antwoord.waarde,
            toelichting=reden,
        )

    def terug(self, vraag: AnyVraag, state: State) -> None:
        """Record going back to `vraag`."""
        self._append(state, soort="terug", stap=vraag.stap, vraag=vraag.id)

    def advies(self, stap: str | None, toelichting: str, state: State) -> None:
        """Record that Veilig Thuis was consulted, and the advice."""
        self._append(state, soort="advies-veilig-thuis", stap=stap, toelichting=toelichting)

    def afsluiten(self, reden: str, toelichting: str | None, state: State) -> None:
        """Record closing the case early."""
        self._append(state, soort="afsluiten", antwoord=reden, toelichting=toelichting)

    def pauze(self, state: State) -> None:
        """Record a pause (the case keeps its status)."""
        self._append(state, soort="pauze")

    def hervat(self, state: State) -> None:
        """Record that the case was resumed."""
        self._append(state, soort="hervat")

    def close(self) -> None:
        """Release the case lock."""
        self.store.unlock(self.casus.id)

    def _append(self, state: State, **event: Any) -> None:
        if isinstance(event.get("toelichting"), str):
            # Reasons and advice are free text too (answers are cleaned by check_antwoord).
            event["toelichting"] = zonder_stuurtekens(event["toelichting"])
        fields = case_fields(self.flow, state)
        u = (fields["uitkomst_id"], fields["uitkomst_reden"], fields["meldnorm"])
        nieuw = [NieuwEvent(**event)]
        vorige = (self.casus.uitkomst_id, self.casus.uitkomst_reden, self.casus.meldnorm)
        if u[0] is None:
            fields["uitkomst_tijd"] = None
        elif u != vorige:
            # NOTE: the outcome goes in the same transaction as the answer that caused it, so
            # a crash cannot leave a case row with an outcome the log does not show.
            uitkomst = dict(zip(("id", "reden", "meldnorm"), u, strict=True))
            nieuw.append(NieuwEvent(soort="uitkomst", antwoord=uitkomst))
            fields["uitkomst_tijd"] = self.store.clock()
        self.casus, _ = self.store.append(self.casus, *nieuw, **fields)
