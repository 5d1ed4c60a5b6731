"""Import jobs: a row per preview or apply of an upload, run by `flask --app finder worker` so
that no web request checks or writes a large file (a thread inside a web worker would die with
it). A job is claimed atomically; a worker that dies is noticed by its stale heartbeat, and its
job is run again or marked failed. An apply's job is marked done in the import's own
transaction: the directory is before or after the import, and the job says which."""

import datetime as dt
import json
import os
import socket
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select, update

from ..db import db
from ..models import ImportJob, utcnow
from . import ImportRefused, import_file, preview
from .result import ImportResult, from_json, to_json
from .uploads import discard, upload_file

HEARTBEAT_SECONDS = 5
STALE_AFTER = dt.timedelta(seconds=60)  # no heartbeat for this long: the worker is gone
MAX_ATTEMPTS = 2
POLL_SECONDS = 1.0
OPTIONS = ("fmt", "complete_source", "skip_invalid", "verified_on", "filename")


def enqueue(kind: str, sha256: str, actor: str, **options) -> ImportJob:
    """Queue a preview or an apply of the kept upload with this sha256."""
    if options.get("verified_on"):
        options["verified_on"] = options["verified_on"].isoformat()
    job = ImportJob(kind=kind, upload_sha256=sha256, actor=actor, options=json.dumps(options))
    db.session.add(job)
    db.session.commit()
    return job


def result_of(job: ImportJob) -> ImportResult | None:
    return from_json(job.result) if job.result else None


def options_of(job: ImportJob) -> dict:
    """The importer's options the job was queued with."""
    options = json.loads(job.options)
    if options.get("verified_on"):
        options["verified_on"] = dt.date.fromisoformat(options["verified_on"])
    return options


def claim(worker: str) -> ImportJob | None:
    """Take the oldest queued job, or None. Two workers never take the same one: on PostgreSQL
    the row is locked (others skip it), and the update is conditional on SQLite."""
    recover_stale()
    candidate = db.session.scalar(
        select(ImportJob.id)
        .where(ImportJob.state == "queued")
        .order_by(ImportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    taken = candidate is not None and (
        db.session.execute(
            update(ImportJob)
            .where(ImportJob.id == candidate, ImportJob.state == "queued")
            .values(
                state="running",
                worker=worker[:100],
                attempts=ImportJob.attempts + 1,
                heartbeat_at=utcnow(),
            )
        ).rowcount
        == 1
    )
    db.session.commit()
    return db.session.get(ImportJob, candidate) if taken else None


def recover_stale(now: dt.datetime | None = None) -> None:
    """Jobs whose worker stopped beating: queued again, or failed after MAX_ATTEMPTS."""
    oldest = (now or utcnow()) - STALE_AFTER
    stale = (ImportJob.state == "running", ImportJob.heartbeat_at < oldest)
    db.session.execute(
        update(ImportJob)
        .where(*stale, ImportJob.attempts >= MAX_ATTEMPTS)
        .values(
            state="failed",
            error="The import worker stopped while running this job; nothing was written.",
            finished_at=utcnow(),
        )
    )
    db.session.execute(update(ImportJob).where(*stale).values(state="queued"))
    db.session.commit()


class Heartbeat:
    """Writes the job's heartbeat and progress every HEARTBEAT_SECONDS from a thread of its
    own, on a connection of its own (the import's transaction is not its business)."""

    def __init__(self, job_id: int, engine):
        self.job_id, self.engine = job_id, engine
        self.logger = current_app.logger
        self.done = self.total = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(ImportJob)
                        .where(ImportJob.id == self.job_id, ImportJob.state == "running")
                        .values(heartbeat_at=utcnow(), done=self.done, total=self.total)
                    )
            except Exception:  # the database is away: the next beat tries again
                self.logger.warning("An import job's heartbeat was not written.")


def run(job: ImportJob) -> None:
    """Run a claimed job to done (a result, the import's refusal included) or failed."""
    options = options_of(job)
    job_id = job.id
    try:
        with Heartbeat(job_id, db.engine) as beat, upload_file(job.upload_sha256) as path:
            if path is None:
                _finish(job_id, "failed", error="The upload is no longer available.")
                return
            if job.kind == "preview":
                result = preview(path, progress=beat.progress, **_importer_options(options))
                _finish(job_id, "done", result)
                return
            try:
                import_file(
                    path,
                    actor=job.actor,
                    checking=beat.progress,
                    before_commit=lambda result: _finish(job_id, "done", result, commit=False),
                    **_importer_options(options),
                )
            except ImportRefused as exc:
                _finish(job_id, "done", exc.result)
                return
            discard(job.upload_sha256)
    except Exception as exc:
        db.session.rollback()
        current_app.logger.exception("Import job %s failed", job_id)
        _finish(job_id, "failed", error=f"The import failed ({type(exc).__name__}).")


def _importer_options(options: dict) -> dict:
    return {name: options[name] for name in OPTIONS if name in options}


def _finish(job_id, state, result=None, error=None, commit=True) -> None:
    db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(
            state=state,
            result=to_json(result) if result is not None else None,
            error=error,
            finished_at=utcnow(),
            done=result.size if result is not None else 0,
            total=result.size if result is not None else 0,
        )
    )
    if commit:
        db.session.commit()


def work(once: bool = False) -> None:
    """Claim and run jobs until stopped (or, with once, until the queue is empty)."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    while True:
        try:
            job = claim(name)
        except Exception:  # the database is away: wait and ask again
            db.session.rollback()
            current_app.logger.warning("The import worker cannot reach the database.")
            job = None
        if job is not None:
            current_app.logger.info("Running import job %s (%s)", job.id, job.kind)
            run(job)
            db.session.remove()
            continue
        if once:
            return
        time.sleep(POLL_SECONDS)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then stop.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Run admins' import previews and applies (start it beside the web server)."""
    current_app.logger.setLevel("INFO")
    click.echo("The import worker is waiting for jobs (Ctrl-C stops it).")
    work(once)
