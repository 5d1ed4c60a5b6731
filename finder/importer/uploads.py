"""Keep an uploaded file in the database under its sha256, between preview and apply: every
app server and the import worker can read it, whichever one received it."""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage

from ..db import db
from ..models import ImportUpload, utcnow

CHUNK = 1 << 16
SHA256 = re.compile(r"[0-9a-f]{64}")
KEEP = timedelta(days=1)  # a preview that was never applied is forgotten after a day


@dataclass(frozen=True)
class Upload:
    filename: str
    size: int
    sha256: str


def save_upload(storage: FileStorage) -> Upload:
    """Read the upload in chunks (Flask's MAX_CONTENT_LENGTH bounds it), hashing as it goes,
    and keep it in the database."""
    digest, parts = hashlib.sha256(), []
    while chunk := storage.stream.read(CHUNK):
        digest.update(chunk)
        parts.append(chunk)
    content = b"".join(parts)
    upload = Upload(display_name(storage.filename), len(content), digest.hexdigest())
    prune()
    db.session.add(
        ImportUpload(
            sha256=upload.sha256, filename=upload.filename, size=upload.size, content=content
        )
    )
    db.session.commit()
    return upload


def upload_size(sha256: str) -> int | None:
    """The size of the kept upload with this sha256, or None when there is none."""
    if not SHA256.fullmatch(sha256):
        return None
    return db.session.scalar(
        select(func.max(ImportUpload.size)).where(ImportUpload.sha256 == sha256)
    )


@contextmanager
def upload_file(sha256: str) -> Iterator[Path | None]:
    """The kept upload with this sha256 as a temporary file (None when there is none)."""
    content = None
    if SHA256.fullmatch(sha256):
        content = db.session.scalar(
            select(ImportUpload.content)
            .where(ImportUpload.sha256 == sha256)
            .order_by(ImportUpload.id.desc())
            .limit(1)
        )
    if content is None:
        yield None
        return
    handle, name = tempfile.mkstemp(prefix="finder-upload-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        del content
        yield Path(name)
    finally:
        os.unlink(name)


def prune(now=None) -> None:
    """Forget uploads older than KEEP."""
    oldest = (now or utcnow()) - KEEP
    db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < oldest))


def discard(sha256: str) -> None:
    """Forget an upload once it has been applied."""
    db.session.execute(delete(ImportUpload).where(ImportUpload.sha256 == sha256))
    db.session.commit()


def display_name(filename: str | None) -> str:
    """The file's own name, without any folders a browser sent, for history and messages."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    return name[:300] or "upload.csv"
