"""Admin import pages: upload and preview, apply, a job's progress, history; and the CSV export.

A small file is checked and applied within the request; a larger one becomes an import job
that `flask --app finder worker` runs, and the job's page shows its progress, then its result.
"""

import datetime as dt
from typing import TYPE_CHECKING

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from . import bp, queries
from .forms import ApplyForm, UploadForm

# The importer (its parsers, its writer, rapidfuzz) is imported by the pages that use it, not
# by every process that registers these routes: a web process that only searches never loads it.
if TYPE_CHECKING:
    from .. import importer

MAX_LISTED = 200  # errors and warnings rendered per table; the rest are counted


@bp.get("/imports")
def history():
    return render_template("admin/imports.html", imports=queries.import_history())


@bp.get("/imports/<int:batch_id>")
def batch(batch_id: int):
    """One applied import and the warnings it had."""
    from ..importer.result import problems_from_json

    found = queries.import_batch(batch_id)
    if found is None:
        abort(404, "There is no such import.")
    return render_template(
        "admin/import.html", batch=found, warnings=problems_from_json(found.problems)
    )


@bp.route("/import", methods=["GET", "POST"])
def upload():
    from .. import importer
    from ..importer import jobs
    from ..importer.uploads import save_upload, upload_file

    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/upload.html", form=form, max_upload=max_upload()), status
    saved = save_upload(form.file.data)
    # Previewed as if invalid rows were skipped: without skipping, a file with errors is refused.
    options = dict(
        fmt=form.format.data,
        complete_source=form.complete_source.data,
        skip_invalid=True,
        verified_on=form.verified_on.data,
        filename=saved.filename,
    )
    if saved.size > current_app.config["IMPORT_INLINE_BYTES"]:
        job = jobs.enqueue("preview", saved.sha256, g.admin.email, **options)
        return redirect(url_for("admin.job", job_id=job.id))
    with upload_file(saved.sha256) as path:
        result = importer.preview(path, **options)
    return preview_page(result, saved.sha256, form.format.data)


def apply_form(result: "importer.ImportResult", sha256: str, fmt: str) -> ApplyForm:
    """The form that applies the checked upload with the options it was checked with."""
    return ApplyForm(
        formdata=None,
        sha256=sha256,
        filename=result.filename,
        format=fmt,
        complete_source="y" if result.complete_source else "",
        verified_on=result.verified_on,
    )


def preview_page(result: "importer.ImportResult", sha256: str, fmt: str):
    return render_template(
        "admin/preview.html",
        result=result,
        form=apply_form(result, sha256, fmt),
        limit=MAX_LISTED,
        importable=not result.refused,
    )


@bp.post("/import/apply")
def apply():
    from .. import importer
    from ..importer import jobs
    from ..importer.uploads import discard, upload_file, upload_size

    form = ApplyForm()
    sha256 = form.sha256.data or ""
    size = upload_size(sha256)
    if not form.validate() or size is None:
        if size is not None and form.verified_on.errors:
            flash("The source's date was not a date like 2025-08-19: upload the file again.")
        else:
            flash("That upload is no longer available: please upload the file again.")
        return redirect(url_for("admin.upload"))
    options = dict(
        fmt=form.format.data,
        complete_source=form.complete_source.data == "y",
        skip_invalid=form.skip_invalid.data,
        verified_on=form.verified_on.data,
        filename=form.filename.data,
    )
    if size > current_app.config["IMPORT_INLINE_BYTES"]:
        job = jobs.enqueue("apply", sha256, g.admin.email, **options)
        return redirect(url_for("admin.job", job_id=job.id))
    try:
        with upload_file(sha256) as path:
            result = importer.import_file(path, actor=g.admin.email, **options)
    except importer.ImportRefused as exc:
        return refused_page(exc.result, form, skip_invalid=form.skip_invalid.data)
    discard(sha256)
    return imported(result)


def refused_page(result: "importer.ImportResult", form: ApplyForm, skip_invalid: bool):
    page = render_template(
        "admin/preview.html",
        result=result,
        form=form,
        limit=MAX_LISTED,
        refused=True,
        importable=not skip_invalid,  # refused even when skipping: not rows
    )
    return page, 422


def imported(result: "importer.ImportResult"):
    s = result.summary
    flash(
        f"Imported {result.filename}: {s.added} added, {s.changed} changed, "
        f"{s.unchanged} unchanged, {s.deactivated} deactivated, {s.skipped_rows} rows skipped."
    )
    return redirect(url_for("admin.history"))


@bp.get("/import/jobs/<int:job_id>")
def job(job_id: int):
    """A job's progress while it runs (the page reloads itself), then its result."""
    from ..importer import jobs

    found = queries.import_job(job_id)
    if found is None:
        abort(404, "There is no such import job.")
    result, options = jobs.result_of(found), jobs.options_of(found)
    if found.state != "done" or result is None:
        return render_template("admin/job.html", job=found)
    if found.kind == "preview":
        return preview_page(result, found.upload_sha256, options["fmt"])
    if not result.applied:
        form = apply_form(result, found.upload_sha256, options["fmt"])
        return refused_page(result, form, skip_invalid=options["skip_invalid"])
    return imported(result)


@bp.get("/export.csv")
def export():
    from .. import importer

    name = f"finder-programs-{dt.date.today().isoformat()}.csv"
    return Response(
        stream_with_context(importer.export_rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    message = (
        f"The upload is larger than the {max_upload()} limit, so it was not accepted. "
        "Split the file, or ask whoever runs the site to raise MAX_CONTENT_LENGTH."
    )
    return render_template("error.html", error=error, message=message), 413


def max_upload() -> str:
    limit = current_app.config["MAX_CONTENT_LENGTH"] or 0
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if limit >= size:
            return f"{limit / size:,.4g} {unit}"
    return f"{limit:,} bytes"
