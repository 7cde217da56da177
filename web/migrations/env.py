"""Alembic environment: migrations run inside the Flask app's context (Flask-Migrate).

Unlike the stock template this does not call ``logging.config.fileConfig``: that would
disable every logger the application configured before the migration ran.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

from web.schema import load_all_tables

config = context.config
migrate_ext = current_app.extensions["migrate"]
target_metadata = load_all_tables()  # every area's tables, not only those imported so far


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``prescribe db upgrade --sql`` style) without a connection."""
    url = migrate_ext.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_: object, revision: object, directives: list) -> None:
        # An autogenerate that found no change writes no empty revision file.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    args = dict(migrate_ext.configure_args)
    args.setdefault("process_revision_directives", skip_empty)
    with migrate_ext.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename); with foreign keys
            # enforced the drop would fail while other tables point at it. Switch them off
            # for the migration, then check every reference before switching them back on.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **args)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.commit()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken reference(s): "
                                       f"{broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
