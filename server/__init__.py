"""The reference central server of the region: registries, certification, arbitration of money, sync API.

Imports ``desktop_app.domain`` (rules, written once) and ``desktop_app.sync.protocol`` (wire models) only:
never the client's storage or UI.
"""

from desktop_app import __version__

__all__ = ["__version__"]
