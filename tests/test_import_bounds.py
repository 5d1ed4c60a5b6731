"""A hostile or broken file is refused at its first oversized line, cell or header, having read
little of it: memory stays small whatever the file holds (no DB)."""

import tracemalloc

import pytest

from finder.importer.reading import MAX_COLUMNS, MAX_FIELD_CHARS, MAX_LINE_CHARS
from finder.importer.validate import validate_file

GOOD_HEADER = "key,name,city,state,zip,phone,care_levels\n"
GOOD_ROW = "a,A Program,Cambridge,MA,02139,617-555-0100,outpatient\n"


def errors(path):
    _, parsed = validate_file(path)
    return parsed.fatal, [(p.line, p.message) for p in parsed.problems if p.level == "error"]


def test_a_header_of_millions_of_columns_is_refused_with_little_memory(tmp_path):
    path = tmp_path / "wide.csv"
    with open(path, "w") as f:
        f.write("key,name," + "x," * 5_000_000 + "\n" + GOOD_ROW)
    tracemalloc.start()
    try:
        fatal, found = errors(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert fatal
    assert found == [(1, f"line 1 is longer than {MAX_LINE_CHARS:,} characters")]
    assert peak < 20 * MAX_LINE_CHARS  # a few copies of one line, not the 10 MB header's cells


def test_a_header_wider_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    columns = MAX_COLUMNS + 1
    path.write_text(GOOD_HEADER.strip() + ",c" * (columns - 7) + "\n" + GOOD_ROW)

    assert errors(path) == (
        True,
        [(1, f"the header has {columns:,} columns: finder reads at most {MAX_COLUMNS:,}")],
    )


def test_a_huge_cell_is_refused_at_its_line(tmp_path):
    path = tmp_path / "cell.csv"
    cell = '"' + ("word\n" * (MAX_FIELD_CHARS // 5 + 10)) + '"'
    path.write_text(GOOD_HEADER + GOOD_ROW + f"b,{cell},Cambridge,MA,02139,1,outpatient\n")

    assert errors(path) == (True, [(3, f"a cell is longer than {MAX_FIELD_CHARS:,} characters")])


@pytest.mark.parametrize("columns", [7, MAX_COLUMNS])
def test_files_within_the_bounds_read_as_before(tmp_path, columns):
    path = tmp_path / "ok.csv"
    extra = "".join(f",extra{i}" for i in range(columns - 7))
    path.write_text(GOOD_HEADER.strip() + extra + "\n" + GOOD_ROW)
    fatal, found = errors(path)

    assert not fatal and found == []
