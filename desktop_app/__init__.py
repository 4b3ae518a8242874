"""The client's core: domain rules, storage, sync and services. Never imports Qt."""

__version__ = "0.1.0"
