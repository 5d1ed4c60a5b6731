"""The admin area: login, reports, verification, imports and export.

Every page but the login page needs a logged-in admin: the guard is a before_request on the
whole blueprint, so a new route cannot forget it.
"""

from flask import Blueprint, g, request

from ..auth import current_admin, redirect_to_login

bp = Blueprint("admin", __name__, url_prefix="/admin")
OPEN_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_admin():
    g.admin = current_admin()
    if g.admin is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect_to_login()
    return None


from . import imports, views  # noqa: E402, F401  (the routes register themselves on bp)
