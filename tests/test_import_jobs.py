"""Large uploads are previewed and applied by the import worker, not within a request: the
upload and the job live in the database, so any app server can take either step, and a worker
that dies leaves the directory as it was."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select, update
from test_admin import log_in, make_admin
from test_admin_imports import BAD_ZIP, GOOD, HEADER, apply_form, batches, programs, upload
from test_importer import native

from finder.db import db
from finder.importer import jobs
from finder.models import ImportJob, utcnow


@pytest.fixture
def servers(make_app):
    """Two app servers on one database that hand every upload to the worker."""
    first, second = make_app(IMPORT_INLINE_BYTES=0), make_app(IMPORT_INLINE_BYTES=0)
    make_admin(first)
    clients = []
    for app in (first, second):
        client = app.test_client()
        assert log_in(client).status_code == 302
        clients.append(client)
    return first, second, clients


def run_worker(app) -> None:
    with app.app_context():
        jobs.work(once=True)


def job_state(app, job_id: int) -> str:
    with app.app_context():
        return db.session.get(ImportJob, job_id).state


def test_preview_on_one_server_and_apply_on_another_through_the_worker(servers):
    first, second, (one, two) = servers

    queued = upload(one, HEADER + "".join(GOOD))
    assert queued.status_code == 302 and queued.location == "/admin/import/jobs/1"
    waiting = one.get(queued.location).text
    assert "Waiting for the import worker" in waiting
    assert '<script src="/static/reload.js" defer></script>' in waiting
    run_worker(first)

    preview = two.get(queued.location)
    assert preview.status_code == 200
    assert re.search(r"Would be added</dt><dd>2<", preview.text) and programs(first) == {}

    applied = two.post("/admin/import/apply", data=apply_form(preview.text))
    assert applied.status_code == 302 and applied.location == "/admin/import/jobs/2"
    assert programs(second) == {}
    run_worker(second)

    done = one.get(applied.location)
    assert done.status_code == 302 and done.location == "/admin/imports"
    assert "Imported programs.csv: 2 added, 0 changed" in one.get(done.location).text
    assert set(programs(first)) == {"t-one", "t-two"}
    assert [job_state(first, n) for n in (1, 2)] == ["done", "done"]


def test_a_refused_apply_through_the_worker_shows_the_errors(servers):
    first, _, (one, _) = servers
    preview_job = upload(one, HEADER + GOOD[0] + BAD_ZIP).location
    run_worker(first)
    preview = one.get(preview_job).text

    applied = one.post("/admin/import/apply", data=apply_form(preview)).location
    run_worker(first)
    refused = one.get(applied)

    assert refused.status_code == 422
    assert "Nothing was imported: the file has 1 error" in refused.text
    assert programs(first) == {} and batches(first) == []


def test_a_job_whose_worker_died_is_run_again_then_failed(servers):
    first, _, (one, _) = servers
    preview = one.get(upload(one, HEADER + "".join(GOOD)).location)
    run_worker(first)
    preview = one.get("/admin/import/jobs/1").text
    one.post("/admin/import/apply", data=apply_form(preview))
    long_ago = utcnow() - jobs.STALE_AFTER - dt.timedelta(seconds=1)

    with first.app_context():
        for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
            job = jobs.claim("a worker that is then killed")
            assert (job.id, job.state, job.attempts) == (2, "running", attempt)
            db.session.execute(update(ImportJob).values(heartbeat_at=long_ago))
            db.session.commit()
            jobs.recover_stale()
            db.session.expire_all()
        job = db.session.get(ImportJob, 2)
        assert job.state == "failed" and "stopped" in job.error
        assert jobs.claim("another worker") is None

    page = one.get("/admin/import/jobs/2")
    assert page.status_code == 200
    assert "The import worker stopped while running this job; nothing was written." in page.text
    assert programs(first) == {}


def test_two_workers_never_claim_one_job(servers):
    first, second, (one, _) = servers
    upload(one, HEADER + "".join(GOOD))
    with first.app_context():
        taken = jobs.claim("worker one")
    with second.app_context():
        again = jobs.claim("worker two")

    assert taken is not None and again is None


def test_the_worker_command_runs_queued_jobs(servers):
    first, _, (one, _) = servers
    location = upload(one, HEADER + "".join(GOOD)).location

    result = first.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "Would be added" in one.get(location).text
    with first.app_context():
        assert db.session.scalars(select(ImportJob.state)).all() == ["done"]


@pytest.mark.slow
def test_a_worker_killed_mid_import_leaves_the_directory_as_it_was(servers, database_url, tmp_path):
    first, _, (one, _) = servers
    rows = [{"key": f"k{i:05d}", "name": f"Program {i}"} for i in range(3000)]
    content = native(tmp_path, rows).read_text()
    upload(one, content)
    run_worker(first)  # the preview
    one.post("/admin/import/apply", data=apply_form(one.get("/admin/import/jobs/1").text))
    env = {**os.environ, "DATABASE_URL": database_url, "FINDER_SECRET_KEY": "k" * 64}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "finder", "worker"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(600):
            if job_state(first, 2) == "running":
                break
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    state = job_state(first, 2)
    if state == "running":  # killed mid-job: nothing written
        assert programs(first) == {} and batches(first) == []
        with first.app_context():
            jobs.recover_stale(now=utcnow() + jobs.STALE_AFTER + dt.timedelta(seconds=1))
        assert job_state(first, 2) == "queued"
        run_worker(first)
    assert job_state(first, 2) == "done"
    assert len(programs(first)) == 3000 and len(batches(first)) == 1
