"""The database handle and the init-db command."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select
from sqlalchemy.orm import DeclarativeBase

from . import cpython311


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
cpython311.guard(db.Model)


def init_db() -> None:
    """Create every table that does not exist yet."""
    from . import models  # noqa: F401  (registers the tables on Base.metadata)

    db.create_all()


def load_demo_if_empty() -> int:
    """Load the demo directory into an empty database; return how many programs were added."""
    from .importer import import_file
    from .models import Program

    if db.session.scalar(select(func.count()).select_from(Program)):
        return 0
    result = import_file(current_app.config["DEMO_DATA"], fmt="native", actor="init-db")
    return result.summary.added


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the schema and load data/programs.csv into an empty database."""
    init_db()
    added = load_demo_if_empty()
    click.echo(f"Initialized the database; loaded {added} demo programs.")


def init_app(app: Flask) -> None:
    db.init_app(app)
    app.cli.add_command(init_db_command)
