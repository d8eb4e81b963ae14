"""Alembic environment: the store named by DATABASE_URL (or the embedded SQLite file).

The app does not run this file: data_access.schema applies migrations itself with the same
options. It serves the `alembic` command (upgrade, downgrade, revision --autogenerate).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from data_access import schema
from data_access.engine import database_url, make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or database_url()


def _run(connection: Connection) -> None:
    schema.adopt_existing(connection)  # a store made before migrations: stamp what it matches
    context.configure(connection=connection, **schema.context_options())
    with context.begin_transaction():
        context.run_migrations()
    schema.check_foreign_keys(connection)  # SQLite migrates with the checks off


if context.is_offline_mode():
    context.configure(url=_url(), literal_binds=True, **schema.context_options())
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
    else:
        with schema.migrating(make_engine(_url())) as connection:
            _run(connection)
