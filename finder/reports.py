"""Report a problem with a listing: the public form, and the reports admins work through."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from . import programs
from .db import db
from .estimator.text import N_
from .i18n import lazy_gettext as _l
from .i18n import ngettext
from .models import Program, Report, utcnow
from .security import csrf
from .signed_forms import SignedForm
from .throttle import throttle

bp = Blueprint("reports", __name__)

KINDS = {
    "closed": _l("The program has closed"),
    "wrong_phone": _l("The phone number is wrong"),
    "wrong_services": _l("The services listed are wrong"),
    "other": _l("Something else"),
}
MAX_COMMENT = 1000


class ReportForm(SignedForm):
    kind = RadioField(
        _l("What is wrong with this listing?"),
        choices=[SelectChoice(kind, label) for kind, label in KINDS.items()],
        validators=[InputRequired(_l("Choose what is wrong."))],
    )
    comment = TextAreaField(
        _l("Anything else we should know? (optional)"),
        validators=[
            Length(
                max=MAX_COMMENT, message=_l("Keep it under %(num)s characters.", num=MAX_COMMENT)
            )
        ],
    )


class TooManyReports(Exception):
    pass


def file_report(program: Program, kind: str, comment: str | None, client: str | None) -> Report:
    """Store a visitor's report, at most REPORTS_PER_HOUR from one client."""
    limiter = throttle(current_app.config.get("REPORTS_PER_HOUR", 10), 3600)
    reservation = limiter.reserve(f"report:client:{client}")
    if wait := reservation.wait_seconds:
        minutes = max(1, -(-wait // 60))
        raise TooManyReports(
            ngettext(
                "We have received many reports from your connection; "
                "please try again in %(num)d minute.",
                "We have received many reports from your connection; "
                "please try again in %(num)d minutes.",
                minutes,
            )
        )
    report = Report(program_id=program.id, kind=kind, comment=(comment or "").strip())
    db.session.add(report)
    db.session.commit()
    return report


def open_reports() -> list[Report]:
    """Unresolved reports, oldest first, with their programs loaded."""
    stmt = (
        select(Report)
        .where(Report.resolved_at.is_(None))
        .options(joinedload(Report.program))
        .order_by(Report.created_at, Report.id)
    )
    return list(db.session.scalars(stmt))


def resolve_report(report_id: int, actor: str) -> Report | None:
    """Mark an open report resolved by the admin; None if there is no such open report."""
    report = db.session.get(Report, report_id)
    if report is None or report.resolved_at is not None:
        return None
    report.resolved_at = utcnow()
    report.resolved_by = actor
    db.session.commit()
    return report


def _active_program(program_id: str) -> Program:
    program = programs.program(program_id)
    if program is None:
        abort(404, N_("There is no program with that id in the directory."))
    return program


@bp.route("/facilities/<program_id>/report", methods=["GET", "POST"])
@csrf.exempt  # signed form token and same-origin check instead: visitors get no cookie
def new(program_id: str):
    program = _active_program(program_id)
    form = ReportForm(f"report:{program.id}")
    if form.validate_on_submit():
        try:
            file_report(program, form.kind.data, form.comment.data, request.remote_addr)
        except TooManyReports as exc:
            return render_template("reports/new.html", program=program, form=form, refused=exc), 429
        return redirect(url_for("reports.thanks", program_id=program.id))
    status = 400 if form.is_submitted() else 200
    return render_template("reports/new.html", program=program, form=form), status


@bp.get("/facilities/<program_id>/report/thanks")
def thanks(program_id: str):
    return render_template("reports/thanks.html", program=_active_program(program_id))
