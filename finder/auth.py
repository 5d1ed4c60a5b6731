"""Admin accounts: scrypt password hashes, the create-admin command, throttled login, sessions."""

import time
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, redirect, request, session, url_for
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .db import db
from .models import Admin
from .throttle import reserve_all, throttle

MIN_PASSWORD_LENGTH = 12


class AccountError(Exception):
    """An account cannot be created as asked."""


class LoginRefused(Exception):
    """A login attempt was refused; the message is safe to show and names no account."""

    status = 200


class TooManyAttempts(LoginRefused):
    status = 429

    def __init__(self, wait_seconds: int):
        minutes = max(1, -(-wait_seconds // 60))
        super().__init__(f"Too many attempts; try again in {minutes} minute{plural(minutes)}.")
        self.wait_seconds = wait_seconds


def plural(n: int) -> str:
    return "" if n == 1 else "s"


def hash_method() -> str:
    # OWASP's scrypt minimum is N=2**17, r=8, p=1 (werkzeug's default N is 2**15).
    return f"scrypt:{current_app.config['PASSWORD_SCRYPT_N']}:8:1"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash at the current work factor, checked for unknown emails so timing is the same."""
    method = hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not anyone's password", method=method)
    return _dummy_hashes[method]


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def create_admin(email: str, password: str) -> Admin:
    """Store a new admin with a scrypt hash of the password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("That is not an email address.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalar(select(Admin.id).where(Admin.email == email)) is not None:
        raise AccountError(f"There is already an admin with the email {email}.")
    admin = Admin(email=email, password_hash=hash_password(password))
    db.session.add(admin)
    db.session.commit()
    return admin


def slow_down(seconds: float) -> None:
    time.sleep(seconds)


def log_in(email: str, password: str, client: str | None) -> Admin:
    """The admin with this email and password, unless the attempt is throttled.

    Within LOGIN_WINDOW_SECONDS, LOGIN_MAX_FAILURES failures for one account from one address,
    or LOGIN_MAX_FAILURES_PER_ADDRESS from one address for any accounts, lock that address out.
    Failures for an account from every address only slow each attempt down: an attacker
    elsewhere must not lock the real admin out. Attempts are counted before the password is
    checked, so parallel guesses cannot slip past the limit.

    Raises LoginRefused with the same message whether or not the email exists.
    """
    email = normalise_email(email)
    config = current_app.config
    window = config["LOGIN_WINDOW_SECONDS"]
    per_account, per_address = (
        throttle(config["LOGIN_MAX_FAILURES"], window),
        throttle(config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window),
    )
    # An address never contains a space, so the pair's key cannot be another pair's.
    pair_key, address_key = f"login:pair:{client} {email}", f"login:address:{client}"
    account_key = f"login:account:{email}"
    attempt = reserve_all((per_account, pair_key), (per_address, address_key))
    if attempt.wait_seconds:
        raise TooManyAttempts(attempt.wait_seconds)
    if per_account.wait_seconds(account_key):
        slow_down(config["LOGIN_SLOWDOWN_SECONDS"])
    admin = db.session.scalar(select(Admin).where(Admin.email == email))
    stored = admin.password_hash if admin is not None else _dummy_hash()
    if not check_password_hash(stored, password) or admin is None:
        per_account.hit(account_key)  # the reserved attempts stay counted: they failed
        raise LoginRefused("Email or password is incorrect.")
    attempt.release()
    per_account.reset(pair_key)
    per_account.reset(account_key)
    if not admin.password_hash.startswith(hash_method() + "$"):
        admin.password_hash = hash_password(password)  # upgrade to the current work factor
        db.session.commit()
    return admin


def start_session(admin: Admin) -> None:
    """A fresh session for the admin: nothing from before the login survives."""
    session.clear()
    session.permanent = True
    now = int(time.time())
    session.update(
        admin_id=admin.id, generation=admin.session_generation, login_at=now, seen_at=now
    )


def current_admin() -> Admin | None:
    """The logged-in admin, and the idle clock restarted; None (and the cookie dropped) when
    the session is older than PERMANENT_SESSION_LIFETIME, idle for ADMIN_IDLE_SECONDS, or was
    ended by a logout."""
    if session.get("admin_id") is None:
        return None
    now = time.time()
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    admin = None
    if (
        now - session.get("login_at", 0) <= lifetime
        and now - session.get("seen_at", 0) <= current_app.config["ADMIN_IDLE_SECONDS"]
    ):
        admin = db.session.get(Admin, session["admin_id"])
    if admin is None or admin.session_generation != session.get("generation"):
        session.clear()
        return None
    session["seen_at"] = int(now)
    return admin


def end_sessions(admin: Admin) -> None:
    """Log the admin out: this session and every cookie issued to them before stop working."""
    admin.session_generation += 1
    db.session.commit()
    session.clear()


def redirect_to_login():
    """To the login page, coming back here afterwards when this was a GET."""
    target = None
    if request.method == "GET":
        query = request.query_string.decode("latin-1")
        target = request.path + (f"?{query}" if query else "")
    return redirect(url_for("admin.login", next=target))


def safe_next(target: str | None) -> str | None:
    """The target if it is a path on this site, else None (no //host, /\\host or scheme)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    # Browsers drop tabs and newlines from URLs and read backslashes as slashes.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@click.command("create-admin")
@click.argument("email")
@with_appcontext
def create_admin_command(email: str) -> None:
    """Create an admin account; the password is asked for twice and not echoed."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        admin = create_admin(email, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created admin {admin.email}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin_command)
