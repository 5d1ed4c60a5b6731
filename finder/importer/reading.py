"""Read a CSV file as a stream: its encoding, its fingerprint, and its rows with line numbers."""

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
_CHUNK = 1 << 16
# Bounds that keep a hostile or broken file's memory small (a 49 MB header of 5.6 million
# columns once took 2 GB): SAMHSA's export has 332 columns and lines under 2,000 characters.
MAX_COLUMNS = 1000
MAX_LINE_CHARS = 1 << 20
MAX_FIELD_CHARS = 1 << 16
PROGRESS_ROWS = 1000
# The five bytes Windows-1252 leaves undefined: a file holding one is not Windows-1252 either.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class ReadError(Exception):
    """The file cannot be read as CSV from this line on."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FileFacts:
    size: int
    sha256: str
    encoding: str | None  # a key of ENCODING_LABELS, or None when the file is in none of them
    bad_line: int = 0  # where a byte that is neither UTF-8 nor Windows-1252 sits
    bad_byte: int = 0


def inspect(path: str | Path) -> FileFacts:
    """Hash the file and find its encoding in one streaming pass (UTF-8 first, then 1252)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = newlines = 0
    utf8_ok, bom = True, False
    bad_line = bad_byte = 0
    with open(path, "rb") as raw:
        while chunk := raw.read(_CHUNK):
            if size == 0:
                bom = chunk.startswith(codecs.BOM_UTF8)
            digest.update(chunk)
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if not bad_line and (m := _NOT_CP1252.search(chunk)):
                bad_line = newlines + chunk.count(b"\n", 0, m.start()) + 1
                bad_byte = chunk[m.start()]
            newlines += chunk.count(b"\n")
            size += len(chunk)
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        encoding: str | None = "utf-8-sig" if bom else "utf-8"
    elif bad_line:
        encoding = None
    else:
        encoding = "cp1252"
    return FileFacts(size, digest.hexdigest(), encoding, bad_line, bad_byte)


def read_rows(
    path: str | Path, encoding: str, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line of the row, cells) for every non-blank row, the header included.

    A quoted cell may span lines; the row is reported at the line where it starts. Raises
    ReadError at a line longer than MAX_LINE_CHARS, a cell longer than MAX_FIELD_CHARS or a
    header wider than MAX_COLUMNS, having read no more of the file than that. progress, if
    given, is told how many bytes have been read, every PROGRESS_ROWS rows."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    with open(path, "rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        reader = csv.reader(_bounded_lines(text))
        last = 0
        header = True
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise ReadError(
                        last + 1, f"a cell is longer than {MAX_FIELD_CHARS:,} characters"
                    ) from None
                raise ReadError(last + 1, f"cannot read the file as CSV: {exc}") from exc
            except UnicodeDecodeError as exc:
                raise ReadError(last + 1, f"cannot read the file as CSV: {exc}") from exc
            first, last = last + 1, reader.line_num
            if header and len(cells) > MAX_COLUMNS:
                raise ReadError(
                    first,
                    f"the header has {len(cells):,} columns: finder reads at most {MAX_COLUMNS:,}",
                )
            if progress is not None and reader.line_num % PROGRESS_ROWS == 0:
                progress(raw.tell())
            if "".join(cells).strip():  # a cell that is not blank
                header = False
                yield first, cells


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise ReadError(number, f"line {number} is longer than {MAX_LINE_CHARS:,} characters")
        yield line
