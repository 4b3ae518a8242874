"""Talking to the regional server: wire protocol, HTTP client, outbox pushing and pulling (issues 3–4)."""
