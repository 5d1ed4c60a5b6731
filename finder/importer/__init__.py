"""One importer for the admin upload and the CLI: check every row first, then write once.

result = preview(path)                     # writes nothing
result = import_file(path, actor="a@b.c")  # one transaction, or ImportRefused
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .. import schema
from ..db import db, intent
from ..models import ImportBatch
from . import apply, compare
from .export import export_csv, export_rows
from .records import ERROR, WARNING, Problem
from .result import Change, ImportRefused, ImportResult, Summary, problems_json
from .validate import FORMATS, validate_file

__all__ = [
    "FORMATS",
    "Change",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "Summary",
    "export_csv",
    "export_rows",
    "import_file",
    "preview",
]


def preview(
    path: str | Path,
    *,
    fmt: str = "auto",
    complete_source: bool = False,
    skip_invalid: bool = False,
    verified_on: dt.date | None = None,
    filename: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check the file and compute what importing it would change, writing nothing.
    progress, if given, is told (bytes checked, bytes in all)."""
    db.session.commit()  # what the caller began is its own
    with intent("read"):
        result, parsed, _ = _check(
            path, fmt, complete_source, skip_invalid, verified_on, filename, progress
        )
        parsed.records.close()
        db.session.rollback()
    return result


def import_file(
    path: str | Path,
    *,
    actor: str,
    fmt: str = "auto",
    complete_source: bool = False,
    skip_invalid: bool = False,
    verified_on: dt.date | None = None,
    filename: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    checking: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check the file again and write all of it (and an ImportBatch) in one transaction.

    The file is checked and compared with one snapshot of the database, outside any write
    lock; the write transaction is short, and if the directory changed meanwhile it is
    compared again inside it. Raises ImportRefused, writing nothing, when the file has
    errors, unless skip_invalid is set and the errors are in rows (a file whose header or
    encoding is wrong is always refused). With dry_run, stops before writing. progress is told
    (programs written, programs to write), checking (bytes checked, bytes in all), and
    before_commit is called with the result inside the import's transaction."""
    db.session.commit()  # what the caller began is its own
    with intent("read"):
        result, parsed, todo = _check(
            path, fmt, complete_source, skip_invalid, verified_on, filename, checking
        )
        seen = apply.fingerprint()
        db.session.rollback()
    try:
        return _write(result, parsed, todo, seen, actor, complete_source, dry_run, progress,
                      before_commit)  # fmt: skip
    finally:
        parsed.records.close()


def _write(result, parsed, todo, seen, actor, complete_source, dry_run, progress, before_commit):
    if result.refused:
        raise ImportRefused(result)
    result.dry_run = dry_run
    if dry_run:
        return result
    batch = ImportBatch(
        filename=result.filename[:300],
        size=result.size,
        sha256=result.sha256,
        format=result.format,
        encoding=result.encoding,
        source=",".join(todo.sources)[:40] or result.format,
        actor=actor[:254],
        complete_source=complete_source,
        problems=problems_json(result.warnings),
    )
    _count_into(batch, result.summary)
    try:
        with intent("write"):
            apply.lock()
            current = apply.fingerprint()
            if current != seen:  # another import landed meanwhile: compare again
                todo = _plan(result, parsed, complete_source)
                _count_into(batch, result.summary)
            written, programs = todo.new + todo.changed, current[1]  # (batch, count, time)
            # Most of the directory rewritten: its indexes are built again after the rows.
            bulk = written >= PACK_AFTER and 2 * written >= programs + todo.new
            apply.write(todo, batch, dt.date.today(), progress, bulk=bulk, empty=programs == 0)
            if written >= PACK_AFTER:
                schema.pack_spatial_index(db.session.connection())
                schema.refresh_statistics(db.session.connection())
                apply.analyze_written()
            result.applied, result.batch_id = True, batch.id
            if before_commit is not None:
                before_commit(result)
            db.session.commit()
    except BaseException:
        result.applied, result.batch_id = False, None
        db.session.rollback()
        raise
    return result


# An import that adds or changes this many programs refills SQLite's R*Tree in map order (a
# second at 100,000 programs, in the import's transaction): inserted one by one in file order,
# its boxes would span the country and every search would read more of it.
PACK_AFTER = 5000

_COUNTS = ("added", "changed", "unchanged", "deactivated", "skipped_rows", "warnings")


def _count_into(batch: ImportBatch, summary: Summary) -> None:
    for name in _COUNTS:
        setattr(batch, name, getattr(summary, name))


def _check(path, fmt, complete_source, skip_invalid, verified_on, filename, progress=None):
    facts, parsed = validate_file(
        path, fmt=fmt, verified_on=verified_on, filename=filename, progress=progress
    )
    result = ImportResult(
        filename=filename or Path(path).name,
        size=facts.size,
        sha256=facts.sha256,
        format=parsed.format,
        encoding=facts.encoding,
        rows=parsed.rows,
        problems=sorted(parsed.problems, key=lambda p: p.line),
        error_count=parsed.counts[ERROR],
        warning_count=parsed.counts[WARNING],
        verified_on=parsed.verified_on,
        undated=parsed.records.undated,
        complete_source=complete_source,
    )
    result.refused = bool(result.errors) and (parsed.fatal or not skip_invalid)
    return result, parsed, _plan(result, parsed, complete_source)


def _plan(result: ImportResult, parsed, complete_source: bool) -> compare.Plan:
    """Compare the checked file with the directory as it stands now: the plan, and its counts
    and sample changes in result."""
    todo = compare.plan(parsed.records, parsed.invalid_keys, complete_source and not parsed.fatal)
    result.summary = Summary(
        added=todo.new,
        changed=todo.changed,
        unchanged=todo.unchanged,
        deactivated=len(todo.deactivate),
        skipped_rows=parsed.skipped_rows,
        warnings=len(result.warnings),
    )
    result.changes = todo.sample
    return todo
