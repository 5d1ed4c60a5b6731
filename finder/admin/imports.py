"""Admin import pages: upload and preview, apply, history; and the CSV export."""

import datetime as dt

from flask import (
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from .. import importer
from . import bp, queries
from .forms import ApplyForm, UploadForm
from .uploads import discard, save_upload, stored_upload

MAX_LISTED = 200  # errors and warnings rendered per table; the rest are counted


@bp.get("/imports")
def history():
    return render_template("admin/imports.html", imports=queries.import_history())


@bp.route("/import", methods=["GET", "POST"])
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/upload.html", form=form, max_upload=max_upload()), status
    saved = save_upload(form.file.data, current_app.config["UPLOAD_FOLDER"])
    # Previewed as if invalid rows were skipped: without skipping, a file with errors is refused.
    result = importer.preview(
        saved.path,
        fmt=form.format.data,
        complete_source=form.complete_source.data,
        skip_invalid=True,
        verified_on=form.verified_on.data,
        filename=saved.filename,
    )
    apply_form = ApplyForm(
        formdata=None,
        sha256=saved.sha256,
        filename=saved.filename,
        format=form.format.data,
        complete_source="y" if form.complete_source.data else "",
        verified_on=form.verified_on.data,
    )
    return render_template(
        "admin/preview.html",
        result=result,
        form=apply_form,
        limit=MAX_LISTED,
        importable=not result.refused,
    )


@bp.post("/import/apply")
def apply():
    form = ApplyForm()
    path = stored_upload(current_app.config["UPLOAD_FOLDER"], form.sha256.data or "")
    if not form.validate() or path is None:
        flash("That upload is no longer available: please upload the file again.")
        return redirect(url_for("admin.upload"))
    try:
        result = importer.import_file(
            path,
            actor=g.admin.email,
            fmt=form.format.data,
            complete_source=form.complete_source.data == "y",
            skip_invalid=form.skip_invalid.data,
            verified_on=form.verified_on.data,
            filename=form.filename.data,
        )
    except importer.ImportRefused as exc:
        page = render_template(
            "admin/preview.html",
            result=exc.result,
            form=form,
            limit=MAX_LISTED,
            refused=True,
            importable=not form.skip_invalid.data,  # refused even when skipping: not rows
        )
        return page, 422
    discard(path)
    s = result.summary
    flash(
        f"Imported {result.filename}: {s.added} added, {s.changed} changed, "
        f"{s.unchanged} unchanged, {s.deactivated} deactivated, {s.skipped_rows} rows skipped."
    )
    return redirect(url_for("admin.history"))


@bp.get("/export.csv")
def export():
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
