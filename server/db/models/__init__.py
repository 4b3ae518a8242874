"""Server tables, grouped by subject. Importing this package registers them all on ``Base.metadata``."""

from server.db.models.auth import LoginThrottle, RefreshToken, User
from server.db.models.base import Base
from server.db.models.contracts import ContractRow, ContractStatusChange, LedgerEntry
from server.db.models.programs import (
    AddressRow,
    CertificationDecision,
    GroupRow,
    ModuleRow,
    ProgramRow,
    ScheduleEntryRow,
    TeacherRow,
)
from server.db.models.registry import Agreement, Certificate, CertificateBalance, Organization, Payer, Period
from server.db.models.sync import AuditEntry, ChangeLogEntry, ProcessedOperation, ServerState

__all__ = [
    "AddressRow",
    "Agreement",
    "AuditEntry",
    "Base",
    "Certificate",
    "CertificateBalance",
    "CertificationDecision",
    "ChangeLogEntry",
    "ContractRow",
    "ContractStatusChange",
    "GroupRow",
    "LedgerEntry",
    "LoginThrottle",
    "ModuleRow",
    "Organization",
    "Payer",
    "Period",
    "ProcessedOperation",
    "ProgramRow",
    "RefreshToken",
    "ScheduleEntryRow",
    "ServerState",
    "TeacherRow",
    "User",
]
