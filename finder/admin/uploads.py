"""Keep an uploaded file in the upload folder under its sha256, between preview and apply."""

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage

CHUNK = 1 << 16
SHA256 = re.compile(r"[0-9a-f]{64}")
KEEP_SECONDS = 24 * 60 * 60  # a preview that was never applied is forgotten after a day


@dataclass(frozen=True)
class Upload:
    path: Path
    filename: str
    size: int
    sha256: str


def save_upload(storage: FileStorage, folder: str | Path) -> Upload:
    """Copy the upload in chunks, hashing as it goes, to <folder>/<sha256>.csv."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    prune(folder)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as out:
        try:
            while chunk := storage.stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    path = folder / f"{digest.hexdigest()}.csv"
    os.replace(out.name, path)
    return Upload(path, display_name(storage.filename), size, digest.hexdigest())


def stored_upload(folder: str | Path, sha256: str) -> Path | None:
    """The kept file with this sha256, if there is one."""
    if not SHA256.fullmatch(sha256):
        return None
    path = Path(folder) / f"{sha256}.csv"
    return path if path.is_file() else None


def prune(folder: Path, now: float | None = None) -> None:
    """Remove uploads (and broken partial copies) older than KEEP_SECONDS."""
    oldest = (time.time() if now is None else now) - KEEP_SECONDS
    for path in [*folder.glob("*.csv"), *folder.glob("*.part")]:
        if path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)


def discard(path: Path) -> None:
    """Forget an upload once it has been applied."""
    path.unlink(missing_ok=True)


def display_name(filename: str | None) -> str:
    """The file's own name, without any folders a browser sent, for history and messages."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    return name[:300] or "upload.csv"
