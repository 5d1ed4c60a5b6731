"""An import streams: records wait on disk between checking and writing, and a file's problems
are counted in full but only the first ones are kept (a million-row file stays small)."""

import csv

import pytest
from test_importer import count, native

from finder.db import db
from finder.importer import import_file, preview, records, spool
from finder.importer.records import ProgramRecord
from finder.importer.validate import validate_file
from finder.models import ImportBatch, Program


def many(tmp_path, n, **extra):
    return native(tmp_path, [{"key": f"k-{i}", "name": f"Program {i}", **extra} for i in range(n)])


def test_a_key_used_again_far_down_the_file_refuses_both_rows(app, tmp_path):
    rows = [{"key": f"k-{i}"} for i in range(2500)] + [{"key": "k-3", "name": "Again"}]
    with app.app_context():
        result = preview(native(tmp_path, rows), skip_invalid=True)
        assert [str(e) for e in result.errors] == [
            "line 2502, key: key 'k-3' is used twice: on line 5 and line 2502"
        ]
        assert (result.summary.added, result.summary.skipped_rows) == (2499, 2)
        assert "k-3" not in {c.key for c in result.changes}

        import_file(native(tmp_path, rows), actor="t", skip_invalid=True)
        assert count() == 2499 and db.session.get(Program, "k-3") is None


@pytest.mark.parametrize("bits", [spool._BITS, 8])  # 8: every key "may have been seen"
def test_records_come_back_in_file_order_without_the_discarded(bits, monkeypatch):
    monkeypatch.setattr(spool, "_BITS", bits)
    kept = spool.Records()
    made = [ProgramRecord(f"r-{i}", i + 2, "N", "Boston", "MA", "02118", 42.3, -71.1, "617")
            for i in range(2500)]  # fmt: skip
    for record in made:
        assert kept.claim(record.key, record.line, record) is None
    assert kept.claim("r-7", 9000, None) == 9  # on disk
    assert kept.claim("r-2499", 9001, None) == 2501  # not written yet
    kept.discard("r-7")
    assert len(kept) == 2499 and kept.undated == 2499
    assert list(kept) == [r for r in made if r.key != "r-7"]
    assert kept.listed(["r-1", "r-7", "nope"]) == {"r-1"}
    kept.close()


def test_records_come_back_by_key_in_chunks_of_one_action():
    """The writer reads them in key order (its tables' B-trees then grow at their right edge)."""
    kept = spool.Records()
    keys = [f"r-{(i * 7919) % 1201:04d}" for i in range(1201)]  # every key, out of order
    for line, key in enumerate(keys, 2):
        kept.claim(key, line, ProgramRecord(key, line, "N", "Boston", "MA", "02118", 42.3, -71.1,
                                            "617"))  # fmt: skip
    new = [n for n, key in enumerate(keys, 1) if key.endswith(("1", "3"))]
    kept.reset()  # as compare.plan does before marking
    kept.mark([(spool.NEW, n, n) for n in new])

    chunks = list(kept.chunks(500, (spool.NEW,), by_key=True))

    assert [len(chunk) for chunk in chunks] == [240]
    assert [r.key for _, r in chunks[0]] == sorted(keys[n - 1] for n in new)
    assert [keys[n - 1] for n, _ in chunks[0]] == [r.key for _, r in chunks[0]]
    everything = [r.key for chunk in kept.chunks(100, by_key=True) for _, r in chunk]
    assert everything == sorted(keys) and list(kept) == [kept[i] for i in range(1201)]
    kept.close()


def test_problems_beyond_the_kept_ones_are_counted_and_said_to_be_more(
    app, tmp_path, monkeypatch, runner
):
    monkeypatch.setattr(records, "MAX_KEPT", 3)
    path = many(tmp_path, 10, website="http://")  # a warning on every row
    with app.app_context():
        result = preview(path)
        assert len(result.warnings) == 10 and result.warnings.kept == 3
        assert [p.line for p in result.warnings] == [2, 3, 4]
        assert result.summary.warnings == 10

    output = runner.invoke(args=["import", str(path)]).output
    assert "... and 7 more warnings not shown (the first 3 are)" in output
    assert "errors 0, warnings 10" in output
    with app.app_context():
        batch = db.session.query(ImportBatch).one()
        assert batch.warnings == 10 and batch.problems.count("http://") == 3


def test_errors_beyond_the_kept_ones_are_counted_in_a_refusal(app, tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_KEPT", 2)
    with app.app_context():
        result = preview(many(tmp_path, 6, zip="2118x"))
        assert result.refused and len(result.errors) == 6 and result.errors.kept == 2


def test_a_samhsa_site_whose_rows_are_far_apart_is_one_program(app, tmp_path):
    header = ["name1", "street1", "city", "state", "zip", "phone", "type_facility", "latitude",
              "longitude", "op", "hi"]  # fmt: skip
    site = ["Harbor Health", "1 Main St", "Boston", "MA", "02118", "617-555-0001", "SU",
            "42.34", "-71.07"]  # fmt: skip
    rows = [site + ["1", ""]]
    rows += [[f"Other {i}", f"{i} Elm St", "Boston", "MA", "02118", "617-555-0002", "SU",
              "42.34", "-71.07", "1", ""] for i in range(1500)]  # fmt: skip
    rows.append(site + ["", "1"])
    path = tmp_path / "samhsa.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    _, parsed = validate_file(path)
    harbor = [r for r in parsed.records if r.name == "Harbor Health"]
    assert len(parsed.records) == 1501 and len(harbor) == 1
    assert harbor[0].line == 2
    assert {("care", "outpatient")} <= set(harbor[0].features)
    assert [r.name for r in parsed.records][:2] == ["Harbor Health", "Other 0"]


def test_a_large_import_leaves_the_spatial_index_packed_and_whole(app, tmp_path, monkeypatch):
    import finder.importer as importer

    monkeypatch.setattr(importer, "PACK_AFTER", 5)
    packed = []
    monkeypatch.setattr(importer.schema, "pack_spatial_index", packed.append)
    with app.app_context():
        import_file(many(tmp_path, 4), actor="t")
        assert packed == []  # a small import leaves the index as the triggers keep it
        import_file(many(tmp_path, 6), actor="t")  # 4 unchanged, 2 added: below the bar
        assert packed == []
        import_file(many(tmp_path, 12, city="Cambridge"), actor="t")  # 6 changed, 6 added
        assert len(packed) == 1


def test_a_packed_index_still_finds_every_program(app, tmp_path, monkeypatch):
    import finder.importer as importer

    monkeypatch.setattr(importer, "PACK_AFTER", 1)
    with app.app_context():
        import_file(many(tmp_path, 30), actor="t")
    found = app.test_client().get("/api/facilities?near=02139&radius=any&per_page=100").json
    assert found["total"] == 30 and len(found["results"]) == 30
