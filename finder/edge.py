"""Input refused at the edge, before any view reads it: a NUL character anywhere (PostgreSQL's
text cannot hold one, and no field needs one), and JSON bodies too large, too deep or not JSON.
"""

import json

from flask import Flask, g, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from .estimator.text import N_, Text

MAX_JSON_BYTES = 64 * 1024  # an estimate request is under 2 KB
MAX_JSON_DEPTH = 20  # objects and lists inside one another; an estimate needs 4
NUL = N_("The request contains a NUL character (\\0), which no field accepts.")


class BadInput(BadRequest):
    """A 400 naming the input: the API answers {"error": ..., "field": ...}."""

    def __init__(self, field: str, description: str):
        super().__init__(description)
        self.field = field


def refuse_bad_input() -> None:
    """A NUL in the path, a parameter, a form field or a file name, a form field without a
    name, or a bad JSON body posted to the API, is a 400 before any view runs."""
    if "\x00" in request.path:
        raise BadInput("path", NUL)
    pairs = list(request.args.items(multi=True))
    if request.method == "POST":
        pairs += request.form.items(multi=True)
        pairs += ((name, file.filename or "") for name, file in request.files.items(multi=True))
    for name, value in pairs:
        if name is None:  # how Werkzeug names a multipart field it cannot read ("\n")
            raise BadInput("body", N_("A form field has no name that can be read."))
        if "\x00" in name or "\x00" in value:
            raise BadInput(name.replace("\x00", ""), NUL)
    if request.method == "POST" and request.blueprint == "api":
        json_body()


def json_body() -> object:
    """The request's JSON body whatever its content type, parsed once."""
    if "json_body" not in g:
        if (request.content_length or 0) > MAX_JSON_BYTES:
            raise RequestEntityTooLarge(_too_large())
        g.json_body = _parse(request.get_data(cache=True))
    return g.json_body


def _parse(raw: bytes) -> object:
    if len(raw) > MAX_JSON_BYTES:
        raise RequestEntityTooLarge(_too_large())
    try:
        body = json.loads(raw, parse_constant=_not_a_number)
    except (ValueError, RecursionError):
        raise BadInput(
            "body",
            Text(
                "The body must be JSON in UTF-8, nested at most %(depth)s levels.",
                depth=MAX_JSON_DEPTH,
            ),
        ) from None
    _check(body)
    return body


def _not_a_number(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _check(body: object) -> None:
    """BadInput for nesting deeper than MAX_JSON_DEPTH or a NUL in any key or string."""
    stack = [(body, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            raise BadInput(path or "body", NUL)
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise BadInput(
                "body",
                Text("The body is nested more than %(depth)s levels deep.", depth=MAX_JSON_DEPTH),
            )
        if isinstance(value, list):
            stack += ((item, depth + 1, f"{path}[{i}]") for i, item in enumerate(value))
            continue
        for key, item in value.items():
            if "\x00" in key:
                raise BadInput(path or "body", NUL)
            stack.append((item, depth + 1, f"{path}.{key}" if path else key))


def init_app(app: Flask) -> None:
    app.before_request(refuse_bad_input)


def _too_large() -> Text:
    return Text("The body is larger than %(bytes)s bytes.", bytes=format(MAX_JSON_BYTES, ","))
