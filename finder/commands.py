"""The command line (`flask --app finder ...`): the directory's commands and the migrations'.

Each is registered by name and imported when it is run or listed: the importer behind
`import` and Flask-Migrate (with Alembic) behind `db` take a third of a new process's
imports, and a web process, which registers every command, runs none of them.
"""

import importlib

import click
from flask import Flask

COMMANDS = {
    "init-db": "finder.importer.cli:init_db_command",
    "remove-demo": "finder.importer.cli:remove_demo_command",
    "import": "finder.importer.cli:import_command",
    "export": "finder.importer.cli:export_command",
    "worker": "finder.importer.jobs:worker_command",
    "db": "flask_migrate.cli:db",
}


class Deferred(click.Command):
    """Stands in for the command at `target` ("module:name") and hands over to it, imported
    then, when it is run (its options, its --help) or listed with its one-line help."""

    def __init__(self, name: str, target: str):
        super().__init__(name)
        self.target = target

    def command(self) -> click.Command:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return self.command().make_context(info_name, args, parent, **extra)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.command().get_short_help_str(limit)


def init_app(app: Flask) -> None:
    for name, target in COMMANDS.items():
        app.cli.add_command(Deferred(name, target))
