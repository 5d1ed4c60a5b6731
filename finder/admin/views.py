"""Admin pages: login and logout, the dashboard, reports and verification."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import auth, reports
from ..models import MAX_ID
from ..security import csrf
from . import bp, queries
from .forms import ActionForm, LoginForm


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # signed form token and same-origin check instead: no cookie before the login
def login():
    form = LoginForm("admin.login", next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            admin = auth.log_in(form.email.data, form.password.data, request.remote_addr)
        except auth.LoginRefused as exc:
            return render_template("admin/login.html", form=form, refused=exc), exc.status
        auth.start_session(admin)
        return redirect(auth.safe_next(form.next.data) or url_for("admin.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
def logout():
    auth.end_sessions(g.admin)
    flash("You are logged out.")
    return redirect(url_for("admin.login"))


@bp.get("/")
def dashboard():
    return render_template("admin/dashboard.html", board=queries.dashboard())


@bp.get("/reports")
def open_reports():
    return render_template(
        "admin/reports.html", reports=reports.open_reports(), kinds=reports.KINDS, form=ActionForm()
    )


@bp.post(f"/reports/<int(min=1, max={MAX_ID}):report_id>/resolve")
def resolve(report_id: int):
    if reports.resolve_report(report_id, g.admin.email) is None:
        abort(404, "There is no open report with that number.")
    flash("Report resolved.")
    return redirect(url_for("admin.open_reports"))


@bp.post("/programs/<program_id>/verify")
def verify(program_id: str):
    program = queries.mark_verified(program_id)
    if program is None:
        abort(404, "There is no program with that id in the directory.")
    flash(f"{program.name} is marked verified today.")
    return redirect(url_for("admin.open_reports"))
