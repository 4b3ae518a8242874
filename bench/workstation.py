"""A workstation on a prepared data folder, signed in from memory, whose server cannot be reached."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx2

from bench.client_db import ClientRegion
from desktop_app.bootstrap import AppContext, build_context
from desktop_app.credentials import MemorySecretStore
from desktop_app.settings import RememberedUser, load_settings, save_settings
from desktop_app.sync.client import ServerClient

UNREACHABLE = "http://127.0.0.1:9"
USERNAME = "org0001-clerk"


def _refuse(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("connection refused", request=request)


def offline_context(region: ClientRegion) -> AppContext:
    """The workstation of the region's database, signed in as remembered; every request fails at once.

    The refusal comes from an in-process transport, so what is measured is the program, not the operating
    system's way of refusing a connection.
    """
    data_dir = region.path.parent
    secrets = MemorySecretStore()
    secrets.put(f"refresh-token:{UNREACHABLE}:{USERNAME}", "bench-refresh-token")
    secrets.put(f"mirror-key:{UNREACHABLE}:{region.organization_id}", region.mirror_key.hex())
    remember(data_dir / "settings.json", region)
    context = build_context(
        data_dir, secrets=secrets, make_client=lambda url: ServerClient(url, transport=httpx2.MockTransport(_refuse))
    )
    context.session.restore()
    return context


def remember(settings_file: Path, region: ClientRegion) -> None:
    """Settings of a workstation whose clerk signed in with «Запомнить меня» (no server to reach)."""
    settings = load_settings(settings_file)
    user = RememberedUser(
        username=USERNAME,
        user_id="00000000-0000-4000-8000-000000000001",
        full_name="Сотрудник org0001",
        role="clerk",
        organization_id=str(region.organization_id),
        organization_name="МБУ ДО «ЦТ № 1»",
    )
    save_settings(settings_file, dataclasses.replace(settings, server_url=UNREACHABLE, remembered_user=user))
