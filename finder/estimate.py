"""The estimate pages: a form, and an answer in plain words with a chart."""

import datetime as dt

from flask import Blueprint, abort, make_response, render_template, request
from wtforms import SelectChoice

from . import answer as words
from . import i18n, programs
from .db import read_only
from .estimate_inputs import body_from_form, program_choices, program_prices, read_request
from .estimator import EstimateError, NotEstimated, estimate
from .forms import PROGRAM_CHOICES, EstimateForm
from .i18n import gettext as _
from .i18n import say
from .security import csrf

bp = Blueprint("estimate", __name__)
bp.add_app_template_filter(words.whole_dollars, "whole_dollars")
bp.add_app_template_filter(words.month_name, "month_name")
bp.add_app_template_filter(i18n.long_date, "plain_date")
bp.add_app_template_global(words.usual_visits, "usual_visits")
bp.add_app_template_global(words.unit_word, "unit_word")


def _form_for(formdata, program):
    form = EstimateForm(formdata)
    if program is not None:
        form.program.choices = [
            SelectChoice(value, text) for value, text in program_choices(program)
        ] + PROGRAM_CHOICES
    return form


def _program(program_id: str | None):
    if not program_id:
        return None
    program = programs.program(program_id)
    if program is None:
        abort(404, _("There is no program with that id in the directory."))
    if not program.substance_use:
        abort(
            make_response(
                render_template(
                    "estimate/none.html", program=program, no_estimate=programs.NO_ESTIMATE
                ),
                400,
            )
        )
    return program


@bp.get("/estimate")
def form():
    program = _program(request.args.get("facility"))
    form = _form_for(None, program)
    form.start_date.data = dt.date.today()
    if program is not None:
        form.facility.data = program.id
        form.program.data = form.program.choices[0].value
        form.sliding_scale.data = program_prices(program)["sliding_scale"]
    return render_template("estimate/form.html", form=form, program=program)


@bp.post("/estimate")
@csrf.exempt
@read_only
def result():
    program = _program(request.form.get("facility"))
    form = _form_for(request.form, program)
    if form.validate():
        try:
            body = body_from_form(form.data)
            answer = estimate(read_request(body, program))
        except NotEstimated as exc:
            return render_template(
                "estimate/not_estimated.html",
                program=program,
                form=form,
                reason=exc.message,
                sources=exc.sources,
                typed=words.typed_values(form),
            )
        except EstimateError as exc:
            target = form[EstimateForm.FIELD_FOR.get(exc.field, "program")]
            target.errors = [*target.errors, say(exc.message)]
        else:
            return render_template(
                "estimate/result.html", program=program, **words.page(answer, form, body)
            )
    return render_template("estimate/form.html", form=form, program=program), 400


@bp.post("/estimate/change")
@csrf.exempt
@read_only
def change():
    """The form again, filled with the answers an estimate used (posted back by its "Change
    answers" button, so nothing typed goes into a link)."""
    program = _program(request.form.get("facility"))
    form = _form_for(request.form, program)
    return render_template("estimate/form.html", form=form, program=program)
