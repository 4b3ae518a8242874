"""Repositories: the only way in and out of the local database. They take and return domain objects."""
