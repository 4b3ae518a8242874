"""Registries the operator keeps: organizations, payers, agreements, financing periods, certificates."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str]
    short_name: Mapped[str]
    inn: Mapped[str] = mapped_column(String(12), unique=True)
    mirror_key: Mapped[str] = mapped_column(String(64))
    """Hex key of the organization's offline certificate mirror (HMAC of number and surname)."""
    contract_counter: Mapped[int] = mapped_column(default=0)
    """The last contract number given (numbers are sequential per organization: 17-ПФ)."""
    created_at: Mapped[datetime]
    # Requisites (реквизиты) printed on contracts, kept by the organization's admin; empty until filled in.
    kpp: Mapped[str] = mapped_column(String(9), default="")
    ogrn: Mapped[str] = mapped_column(String(15), default="")
    license_number: Mapped[str] = mapped_column(default="")
    license_date: Mapped[date | None]
    license_issuer: Mapped[str] = mapped_column(default="")
    legal_address: Mapped[str] = mapped_column(default="")
    actual_address: Mapped[str] = mapped_column(default="")
    bank_name: Mapped[str] = mapped_column(default="")
    bik: Mapped[str] = mapped_column(String(9), default="")
    settlement_account: Mapped[str] = mapped_column(String(20), default="")
    correspondent_account: Mapped[str] = mapped_column(String(20), default="")
    signatory_name: Mapped[str] = mapped_column(default="")
    signatory_position: Mapped[str] = mapped_column(default="")
    signatory_basis: Mapped[str] = mapped_column(default="")


class Payer(Base):
    """A municipal body that pays organizations from certificate money (уполномоченная организация)."""

    __tablename__ = "payers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    """The payer's two digits inside a certificate number (region 2 + payer 2 + 6 digits)."""
    name: Mapped[str]


class Agreement(Base):
    """A payment agreement between an organization and a payer (соглашение об оплате)."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint("starts_on <= ends_on", name="dates"),
        CheckConstraint("status IN ('active', 'suspended', 'terminated')", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    payer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payers.id"), index=True)
    number: Mapped[str]
    signed_on: Mapped[date]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16))


class Period(Base):
    """A financing period of certificates (usually the school year)."""

    __tablename__ = "periods"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="dates"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (CheckConstraint("kind IN ('accounting', 'financing')", name="kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    surname: Mapped[str]
    first_name: Mapped[str]
    patronymic: Mapped[str] = mapped_column(default="")
    birth_date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    payer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payers.id"), index=True)
    frozen: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.first_name, self.patronymic) if part)


class CertificateBalance(Base):
    """The money of one certificate in one period. The database itself refuses a negative balance."""

    __tablename__ = "certificate_balances"
    __table_args__ = (
        UniqueConstraint("certificate_id", "period_id", name="uq_certificate_balances_certificate_period"),
        CheckConstraint("nominal >= 0", name="nominal_not_negative"),
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint("reserve >= 0", name="reserve_not_negative"),
        Index("ix_certificate_balances_period", "period_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"))
    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("periods.id"))
    nominal: Mapped[int] = mapped_column(BigInteger)
    balance: Mapped[int] = mapped_column(BigInteger)
    """Free to spend."""
    reserve: Mapped[int] = mapped_column(BigInteger, default=0)
    """Committed to contracts."""
