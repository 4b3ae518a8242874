"""Request and response models of the server's own endpoints (operator, portal, health).

The workstation's protocol lives in ``desktop_app.sync.protocol``; these are for the other callers.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from desktop_app.sync.protocol import Kopecks, WireModel
from desktop_app.sync.server_records import ContractRecord, ModuleRecord, ProgramRecord


class Health(WireModel):
    status: str
    version: str


class ProgramSummary(WireModel):
    id: uuid.UUID
    organization_name: str
    full_name: str
    short_name: str
    status: str
    updated_at: datetime


class ProgramDetails(WireModel):
    organization_name: str
    program: ProgramRecord
    modules: list[ModuleRecord]


class CertifyRequest(WireModel):
    normatives: dict[uuid.UUID, Kopecks]
    """Normative cost of every active module, kopecks."""
    remark: Annotated[str, Field(max_length=5000)] = ""


class RefuseRequest(WireModel):
    remark: Annotated[str, Field(min_length=1, max_length=5000)]


class ApplicationRequest(WireModel):
    certificate_number: Annotated[str, Field(pattern=r"^\d{10}$")]
    surname: Annotated[str, Field(min_length=1, max_length=100)]
    group_id: uuid.UUID
    start_date: date


class ApplicationResponse(WireModel):
    contract: ContractRecord
