"""Plain records the parsers produce: problems found, and programs ready to be written."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spool import Records

ERROR = "error"
WARNING = "warning"
# Problems of each level kept to be shown (and, warnings, kept with the import); a file of a
# million rows may have more, and those are counted, not kept.
MAX_KEPT = 1000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (line, header = 1; column) and what, in plain words."""

    line: int
    column: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ProgramRecord:
    """A validated program, as the file describes it (values already in storage form)."""

    key: str
    line: int
    name: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    phone: str
    name2: str = ""
    street: str = ""
    street2: str = ""
    location_approximate: bool = False
    intake_phone: str = ""
    website: str = ""
    beds: int | None = None
    sliding_fee_schedule: str = ""
    substance_use: bool = True
    source: str = "finder"
    # The date someone verified the listing (an admin's, or the source's own export date).
    # None: not known; a new program then has none, a known one keeps the date it has.
    verified_on: dt.date | None = None
    telehealth: bool = False
    # Every number of the program, main first: (kind, number, label), kind in vocab.PHONE_KINDS.
    phones: tuple[tuple[str, str, str], ...] = ()
    features: tuple[tuple[str, str], ...] = ()  # sorted (kind, value) pairs
    rates: tuple[tuple[str, int, int], ...] = ()  # sorted (item, low_cents, high_cents)


@dataclass
class Parsed:
    """Everything a parser learned from one file: its records wait on disk (spool.Records);
    of its problems, the first MAX_KEPT of each level are kept and all are counted."""

    format: str
    records: "Records" = field(default_factory=lambda: _records())
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {ERROR: 0, WARNING: 0})
    invalid_keys: set[str] = field(default_factory=set)  # programs whose rows had errors
    rows: int = 0
    skipped_rows: int = 0
    verified_on: dt.date | None = None  # the date given to rows that name none
    fatal: bool = False  # the file as a whole cannot be read (header, encoding)

    def error(self, line: int, column: str, message: str) -> None:
        self.add([Problem(line, column, message, ERROR)])

    def warn(self, line: int, column: str, message: str) -> None:
        self.add([Problem(line, column, message, WARNING)])

    def add(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.counts[problem.level] += 1
            if self.counts[problem.level] <= MAX_KEPT:
                self.problems.append(problem)


def _records():
    from .spool import Records

    return Records()


class Row:
    """One data row being checked: reads cells by column name and collects its problems."""

    def __init__(self, line: int, cells: dict[str, str]):
        self.line = line
        self.cells = cells
        self.problems: list[Problem] = []

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message, ERROR))

    def warn(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message, WARNING))

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)
