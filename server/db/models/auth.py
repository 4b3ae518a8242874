"""Users, refresh tokens and the wrong-password back-off."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('clerk', 'org_admin', 'operator')", name="role"),
        CheckConstraint("(role = 'operator') = (organization_id IS NULL)", name="operator_has_no_organization"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str]
    full_name: Mapped[str]
    role: Mapped[str] = mapped_column(String(16))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class RefreshToken(Base):
    """One refresh token, stored as a hash. Rotation links each token to its successor in a family."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[uuid.UUID]
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    access_jti: Mapped[uuid.UUID]
    """The access token issued with this refresh token, so a lost reply can be answered with the same pair."""
    rotated_at: Mapped[datetime | None]
    successor_id: Mapped[uuid.UUID | None]
    revoked_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Wrong passwords per username (known or not, so the back-off does not reveal which names exist)."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
