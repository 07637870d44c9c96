"""Errors while walking a case: answers refused, no input, an answers file that does not fit."""

from __future__ import annotations

from meldcode.errors.base import MeldcodeError


class InvalidAntwoord(MeldcodeError):
    """An answer the question does not accept; names the question, never the answer."""

    def __init__(self, *, vraag_id: str, reden: str) -> None:
        self.vraag_id = vraag_id
        super().__init__(f"Ongeldig antwoord op vraag '{vraag_id}': {reden}")


class UnexpectedAntwoord(MeldcodeError):
    """An answer to a question that is not the one being asked."""

    def __init__(self, *, vraag_id: str, verwacht: str | None) -> None:
        self.vraag_id = vraag_id
        nu = (
            f"de vraag die nu aan de beurt is, is '{verwacht}'"
            if verwacht
            else ("de casus heeft al een uitkomst")
        )
        super().__init__(f"Vraag '{vraag_id}' is nu niet aan de beurt: {nu}.")


class NotOnPath(MeldcodeError):
    """Going back to a question that is not on the active path."""

    def __init__(self, *, vraag_id: str) -> None:
        self.vraag_id = vraag_id
        super().__init__(
            f"Vraag '{vraag_id}' is in deze casus (nog) niet beantwoord; u kunt alleen "
            "teruggaan naar een vraag die al beantwoord is."
        )


class NotInteractive(MeldcodeError):
    """No terminal to ask questions on, and no answers file."""

    def __init__(self) -> None:
        super().__init__(
            "Er is geen terminal om vragen te stellen (de invoer is geen terminal of is "
            "gesloten). Geef de antwoorden in een bestand met '--antwoorden BESTAND' "
            "(of '--antwoorden -' voor standaardinvoer), of start meldcode in een terminal."
        )


class NoConfirmation(MeldcodeError):
    """`verwijder` asked for confirmation, but its input closed without an answer."""

    def __init__(self) -> None:
        super().__init__(
            "Er kwam geen bevestiging: de invoer is gesloten voordat u 'ja' typte. Er is niets "
            "verwijderd. Gebruik '--ja' om in een script zonder vraag te verwijderen."
        )


class InputClosed(NotInteractive):
    """The input closed at a question (Ctrl-D, end of piped input) during a walk."""

    def __init__(self, *, afweging: str | None = None) -> None:
        self.afweging = afweging  # the afweging whose onderbouwing was being asked, if any
        bewaard = (
            f" Uw keuze bij {afweging.replace('-', ' ')} is bewaard, zonder onderbouwing; het "
            "dossier toont dat er geen onderbouwing is vastgelegd."
            if afweging
            else ""
        )
        MeldcodeError.__init__(
            self,
            "De invoer is gesloten (bijvoorbeeld met Ctrl-D), dus meldcode kan geen vragen meer "
            f"stellen.{bewaard}",
        )


class NoInput(MeldcodeError):
    """`meldcode oefen` started with its standard input closed (`<&-`): nothing to ask with."""

    def __init__(self) -> None:
        super().__init__(
            "De standaardinvoer is gesloten, dus meldcode kan geen vragen stellen; er is geen "
            "oefening gestart. Start 'meldcode oefen' in een terminal (of geef de antwoorden via "
            "standaardinvoer)."
        )


class AnswersFileError(MeldcodeError):
    """The answers file cannot be read as an answers file (YAML, shape, keys)."""

    def __init__(self, *, bron: str, probleem: str) -> None:
        super().__init__(
            f"Het antwoordenbestand {bron} is niet bruikbaar: {probleem} Zie "
            "docs/antwoorden.md voor het formaat (sector, label, antwoorden)."
        )


class UnknownVraagIds(MeldcodeError):
    """Answers to question ids that no sector has; with a suggestion per id."""

    def __init__(self, *, ids: dict[str, str | None]) -> None:
        self.ids = dict(ids)
        delen = [f"'{i}' (bedoelde u '{s}'?)" if s else f"'{i}'" for i, s in self.ids.items()]
        super().__init__(
            f"Het antwoordenbestand noemt onbekende vraag-id's: {', '.join(delen)}. Geen enkele "
            "sector heeft zo'n vraag; verbeter de id's en probeer het opnieuw."
        )


class MissingAnswers(MeldcodeError):
    """Questions reached on the path that the answers file does not answer."""

    def __init__(self, *, ids: list[str]) -> None:
        self.ids = list(ids)
        super().__init__(
            f"Het antwoordenbestand mist antwoorden op vragen die op het pad liggen: "
            f"{', '.join(self.ids)}. Vul ze aan, of gebruik '--standaard' om vragen met een "
            "standaardantwoord (en niet-verplichte vragen) automatisch in te vullen. Er is "
            "niets opgeslagen."
        )


class AnswerRefused(MeldcodeError):
    """The engine refused an answer from the answers file during the run."""

    def __init__(self, *, melding: str) -> None:
        super().__init__(f"{melding} Pas het antwoordenbestand aan en probeer het opnieuw.")


class Beeindigd(KeyboardInterrupt):
    """A walk ended by a signal: SIGTERM (shut down) or SIGHUP (the terminal was closed).

    A KeyboardInterrupt, so it stops a walk exactly as Ctrl-C does: every answer the screen
    accepted is already saved. The exit code is the shell's for that signal (128 + its number).
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"signaal {signum}")


class InvalidText(MeldcodeError):
    """Text that is not valid UTF-8: an argument, an environment variable, typed input."""

    def __init__(self, *, waar: str) -> None:
        super().__init__(
            f"{waar} bevat tekens die geen geldige UTF-8 zijn (bijvoorbeeld uit een terminal of "
            "bestand in Latin-1). Geef de waarde opnieuw, in UTF-8; er is niets vastgelegd."
        )
