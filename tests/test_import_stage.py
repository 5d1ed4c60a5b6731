"""An import is compared with the database outside the write lock, then written in one short
transaction: a directory that changed in between is compared again, never half-written."""

from sqlalchemy import func, select
from test_importer import native

from finder.db import db
from finder.importer import apply, import_file
from finder.models import ImportBatch, Program


def test_an_import_that_lands_between_check_and_write_is_compared_again(app, tmp_path, monkeypatch):
    real_lock = apply.lock
    raced = []

    def another_import_lands_first():
        if not raced:
            raced.append(1)
            with app.app_context():  # a session of its own, as another process would have
                import_file(native(tmp_path, [{"key": "b", "name": "Other B"}], "o.csv"), actor="o")
        real_lock()

    monkeypatch.setattr(apply, "lock", another_import_lands_first)
    with app.app_context():
        result = import_file(native(tmp_path, [{"key": "a"}, {"key": "b"}]), actor="a")

        assert (result.summary.added, result.summary.changed) == (1, 1)
        names = dict(db.session.execute(select(Program.id, Program.name)).all())
        assert names["b"] != "Other B"
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 2
        assert db.session.scalars(select(ImportBatch.added).order_by(ImportBatch.id)).all() == [
            1,
            1,
        ]
