"""The database handle and its schema migrations (Alembic, through Flask-Migrate)."""

from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

from . import cpython311

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
cpython311.guard(db.Model)
# render_as_batch: SQLite alters a table by copying it, and Alembic's batch mode does that.
migrate = Migrate(directory=MIGRATIONS, render_as_batch=True, compare_type=True)


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables on Base.metadata)

    db.init_app(app)
    migrate.init_app(app, db)
