"""The HTTP API (FastAPI): routes, dependencies, error handling, limits."""
