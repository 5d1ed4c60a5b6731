"""The key that signs admin sessions and form tokens: configured, or generated once and kept.

A generated key serves one host. Several app servers must share one FINDER_SECRET_KEY: each
would otherwise sign with a key of its own.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

MIN_LENGTH = 32


def check(key: object) -> str:
    """A configured key, refused when it is short enough to guess (dev, changeme, ...)."""
    if not isinstance(key, str) or len(key) < MIN_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be a random string of at least {MIN_LENGTH} characters: "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))' makes one. "
            "Or leave it unset, and finder keeps a key of its own in the instance folder."
        )
    return key


def instance_key(path: str | Path) -> str:
    """The key kept in `path` (mode 0600), made on first use.

    The key is written whole to a temporary file and then linked into place, which fails if
    the file exists: workers that start together all end up reading the one key linked first.
    """
    path = Path(path)
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as stream:
                stream.write(secrets.token_urlsafe(48) + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            with contextlib.suppress(FileExistsError):  # another worker was first
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < MIN_LENGTH:
        raise RuntimeError(f"{path} does not hold a usable key: delete it and finder makes one.")
    return key
