import logging
from logging.config import fileConfig

import click
from alembic import context
from alembic.script import ScriptDirectory
from flask import current_app

from finder import schema

config = context.config
# `flask db ...` logs what Alembic does; finder's own commands (init-db, import) say it in
# their words, and a process that has set up its logging (tests) keeps it.
if config.attributes.get("configure_logger", True) and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate = current_app.extensions["migrate"]
config.set_main_option(
    "sqlalchemy.url",
    migrate.db.engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)


def skip_empty_autogenerate(context, revision, directives):
    """`flask db migrate` with no change to the models writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def upgrading() -> bool:
    # Alembic's upgrade command runs this file with a step function named upgrade; stamp,
    # downgrade, check and current have their own.
    return getattr(context.get_context().opts.get("fn"), "__name__", None) == "upgrade"


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=migrate.db.metadata,
        include_object=schema.include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    conf_args = {"process_revision_directives": skip_empty_autogenerate, **migrate.configure_args}
    with migrate.db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=migrate.db.metadata,
            include_object=schema.include_object,
            **conf_args,
        )
        if upgrading():
            adopt(connection)
        with context.begin_transaction():
            context.run_migrations()


def adopt(connection):
    script = ScriptDirectory.from_config(config)
    revision = schema.adopt_unversioned(context.get_context(), script)
    connection.commit()
    if revision is not None:
        config.attributes["adopted"] = revision
        click.echo(
            "This database was made before migrations; its schema is revision "
            f"{revision}, so it is stamped with it and upgraded from there."
        )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
