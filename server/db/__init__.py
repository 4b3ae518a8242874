"""The server's database: SQLAlchemy models, engine (SQLite or PostgreSQL) and Alembic migrations."""
