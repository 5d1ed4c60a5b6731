"""What an import found and did: counts, problems, a sample of changes."""

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from .reading import ENCODING_LABELS
from .records import ERROR, WARNING, Problem


@dataclass
class Summary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped_rows: int = 0
    warnings: int = 0


@dataclass(frozen=True)
class Change:
    """One program the import adds, changes or deactivates; fields: (name, before, after)."""

    key: str
    name: str
    action: str  # "add", "change" or "deactivate"
    fields: tuple[tuple[str, str, str], ...] = ()


@dataclass
class ImportResult:
    """The outcome of preview() or import_file(): the file's facts, its problems, the diff."""

    filename: str
    size: int
    sha256: str
    format: str
    encoding: str | None
    rows: int = 0
    # The first problems of each level (records.MAX_KEPT), in line order; all are counted.
    problems: list[Problem] = field(default_factory=list)
    error_count: int | None = None  # None: as many as problems holds
    warning_count: int | None = None
    summary: Summary = field(default_factory=Summary)
    changes: list[Change] = field(default_factory=list)  # a sample, at most SAMPLE_SIZE per action
    verified_on: dt.date | None = None
    # Programs with no verification date: the file names none, and none was given for it.
    undated: int = 0
    complete_source: bool = False
    dry_run: bool = True
    refused: bool = False
    applied: bool = False
    batch_id: int | None = None

    @property
    def errors(self) -> list[Problem]:
        """The errors kept; len() is how many there are in all."""
        return Counted([p for p in self.problems if p.level == ERROR], self.error_count)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings kept; len() is how many there are in all."""
        return Counted([p for p in self.problems if p.level == WARNING], self.warning_count)

    @property
    def dateless(self) -> bool:
        """Whether the source's date is wanted: the file's programs have no verified date."""
        return self.undated > 0 and self.verified_on is None

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding or "", "unknown")


class Counted(list):
    """The first problems of a kind, with len() the count of all of them (a preview lists the
    first ones and says how many more there are)."""

    def __init__(self, kept: list[Problem], total: int | None):
        super().__init__(kept)
        self.total = max(total or 0, super().__len__())

    def __len__(self) -> int:
        return self.total

    @property
    def kept(self) -> int:
        return super().__len__()

    @property
    def omitted(self) -> int:
        return self.total - self.kept


class ImportRefused(Exception):
    """import_file() wrote nothing because the file has errors (see .result.errors)."""

    def __init__(self, result: ImportResult):
        super().__init__(f"{result.filename}: {len(result.errors)} errors; nothing was imported")
        self.result = result


def to_json(result: ImportResult) -> str:
    """The result as JSON, for an import job's row."""
    data = asdict(result)
    data["verified_on"] = result.verified_on.isoformat() if result.verified_on else None
    return json.dumps(data)


def from_json(text: str) -> ImportResult:
    data = json.loads(text)
    data["problems"] = [Problem(**p) for p in data["problems"]]
    data["summary"] = Summary(**data["summary"])
    data["changes"] = [
        Change(c["key"], c["name"], c["action"], tuple(tuple(f) for f in c["fields"]))
        for c in data["changes"]
    ]
    if data["verified_on"]:
        data["verified_on"] = dt.date.fromisoformat(data["verified_on"])
    return ImportResult(**data)


def problems_json(problems: list[Problem]) -> str:
    """Problems as kept with an import's history: [[line, column, message], ...]."""
    return json.dumps([[p.line, p.column, p.message] for p in problems])


def problems_from_json(text: str | None, level: str = WARNING) -> list[Problem]:
    return [
        Problem(line, column, message, level) for line, column, message in json.loads(text or "[]")
    ]
