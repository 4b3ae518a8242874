"""The local database: SQLAlchemy tables, migrations and repositories. ORM objects never leave it."""
