"""One error tree: each error carries its Dutch message and its exit code (design.md §6).

By area: `base` (MeldcodeError), `flows`, `walk`, `store` and `output`. Import from here:
`from meldcode.errors import StoreLocked`.
"""

from meldcode.errors.base import (
    MeldcodeError,
)
from meldcode.errors.flows import (
    FlowError,
    OefenCasusError,
    Probleem,
    UnknownOefenCasus,
    UnknownSector,
)
from meldcode.errors.output import (
    CasusOutputFailed,
    ExportExists,
    ExportNotAFile,
    ExportUnwritable,
    ExportWriteFailed,
    GraphvizMissing,
    OutputFailed,
)
from meldcode.errors.store import (
    CasusNotFound,
    FlowChanged,
    InvalidDuur,
    KopZonderCasus,
    SectorMismatch,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreShared,
    StoreTooNew,
    StoreUnwritable,
    VerificatieMislukt,
    WalkNotFinished,
)
from meldcode.errors.walk import (
    AnswerRefused,
    AnswersFileError,
    Beeindigd,
    InputClosed,
    InvalidAntwoord,
    InvalidText,
    MissingAnswers,
    NoConfirmation,
    NoInput,
    NotInteractive,
    NotOnPath,
    UnexpectedAntwoord,
    UnknownVraagIds,
)

__all__ = [
    "AnswerRefused",
    "AnswersFileError",
    "Beeindigd",
    "CasusNotFound",
    "CasusOutputFailed",
    "ExportExists",
    "ExportNotAFile",
    "ExportUnwritable",
    "ExportWriteFailed",
    "FlowChanged",
    "FlowError",
    "GraphvizMissing",
    "InputClosed",
    "InvalidAntwoord",
    "InvalidDuur",
    "InvalidText",
    "KopZonderCasus",
    "MeldcodeError",
    "MissingAnswers",
    "NoConfirmation",
    "NoInput",
    "NotInteractive",
    "NotOnPath",
    "OefenCasusError",
    "OutputFailed",
    "Probleem",
    "SectorMismatch",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreShared",
    "StoreTooNew",
    "StoreUnwritable",
    "UnexpectedAntwoord",
    "UnknownOefenCasus",
    "UnknownSector",
    "UnknownVraagIds",
    "VerificatieMislukt",
    "WalkNotFinished",
]
