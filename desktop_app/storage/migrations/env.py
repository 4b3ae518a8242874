"""Alembic environment of the local database: always run from ``desktop_app.storage.migrate``.

The caller hands over an open connection (``config.attributes["connection"]``) inside a write transaction,
so the whole upgrade commits or rolls back as one.
"""

from alembic import context

from desktop_app.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
