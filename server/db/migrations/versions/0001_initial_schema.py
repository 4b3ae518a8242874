"""Initial schema of the reference server: registries, users and tokens, programs, contracts and the
ledger, change log, processed operations, audit log (append-only, enforced by triggers).

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "organizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.Text(), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column("mirror_key", sa.String(length=64), nullable=False),
        sa.Column("contract_counter", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("inn", name=op.f("uq_organizations_inn")),
    )
    op.create_table(
        "payers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payers")),
        sa.UniqueConstraint("code", name=op.f("uq_payers_code")),
    )
    op.create_table(
        "periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f("ck_periods_dates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        sa.UniqueConstraint("code", name=op.f("uq_periods_code")),
    )
    op.create_table(
        "server_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_server_state")),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("payer_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.CheckConstraint("status IN ('active', 'suspended', 'terminated')", name=op.f("ck_agreements_status")),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f("ck_agreements_dates")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_agreements_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_agreements_payer_id_payers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreements_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreements_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("surname", sa.Text(), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("patronymic", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payer_id", sa.Uuid(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('accounting', 'financing')", name=op.f("ck_certificates_kind")),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_certificates_payer_id_payers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("payer_id", sa.Uuid(), nullable=True),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_change_log_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_change_log_payer_id_payers")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index("ix_change_log_organization_seq", ["organization_id", "seq"], unique=False)
        batch_op.create_index("ix_change_log_payer_seq", ["payer_id", "seq"], unique=False)

    op.create_table(
        "processed_operations",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("op_id", sa.Uuid(), nullable=False),
        sa.Column("op_type", sa.String(length=64), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_processed_operations_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", "op_id", name=op.f("pk_processed_operations")),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("form", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("distance_technologies", sa.Boolean(), nullable=False),
        sa.Column("age_from_months", sa.Integer(), nullable=False),
        sa.Column("age_to_months", sa.Integer(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=False),
        sa.Column("annotation", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("expected_results", sa.Text(), nullable=False),
        sa.Column("medical_certificate_required", sa.Boolean(), nullable=False),
        sa.Column("accessible_for_disabled", sa.Boolean(), nullable=False),
        sa.Column("final_document", sa.Text(), nullable=False),
        sa.Column("addresses_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'certified', 'refused')", name=op.f("ck_programs_status")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_programs_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
    )
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programs_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programs_status"), ["status"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(role = 'operator') = (organization_id IS NULL)", name=op.f("ck_users_operator_has_no_organization")
        ),
        sa.CheckConstraint("role IN ('clerk', 'org_admin', 'operator')", name=op.f("ck_users_role")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_users_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_audit_log_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "certificate_balances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("nominal", sa.BigInteger(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("reserve", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_certificate_balances_balance_not_negative")),
        sa.CheckConstraint("nominal >= 0", name=op.f("ck_certificate_balances_nominal_not_negative")),
        sa.CheckConstraint("reserve >= 0", name=op.f("ck_certificate_balances_reserve_not_negative")),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_certificate_balances_certificate_id_certificates")
        ),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_certificate_balances_period_id_periods")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_balances")),
        sa.UniqueConstraint("certificate_id", "period_id", name="uq_certificate_balances_certificate_period"),
    )
    with op.batch_alter_table("certificate_balances", schema=None) as batch_op:
        batch_op.create_index("ix_certificate_balances_period", ["period_id"], unique=False)

    op.create_table(
        "certification_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('submitted', 'certified', 'refused')", name=op.f("ck_certification_decisions_decision")
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_certification_decisions_author_id_users")),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_certification_decisions_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_decisions")),
    )
    with op.batch_alter_table("certification_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certification_decisions_program_id"), ["program_id"], unique=False)

    op.create_table(
        "modules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("max_group_size", sa.Integer(), nullable=False),
        sa.Column("teacher_qualification", sa.Text(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("normative", sa.BigInteger(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint("normative IS NULL OR normative >= 0", name=op.f("ck_modules_normative_not_negative")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_modules_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_modules_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name=op.f("fk_modules_program_id_programs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_modules")),
    )
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_modules_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_modules_program_id"), ["program_id"], unique=False)

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("access_jti", sa.Uuid(), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("successor_id", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_refresh_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_tokens_family_id"), ["family_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refresh_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "study_groups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("module_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("teacher", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_study_groups_dates")),
        sa.CheckConstraint("taken >= 0 AND taken <= capacity", name=op.f("ck_study_groups_places")),
        sa.ForeignKeyConstraint(["module_id"], ["modules.id"], name=op.f("fk_study_groups_module_id_modules")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_study_groups_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_groups")),
    )
    with op.batch_alter_table("study_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_groups_module_id"), ["module_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_groups_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "contracts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("provisional_number", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("module_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("normative", sa.BigInteger(), nullable=False),
        sa.Column("from_certificate", sa.BigInteger(), nullable=False),
        sa.Column("co_payment", sa.BigInteger(), nullable=False),
        sa.Column("child_full_name", sa.Text(), nullable=False),
        sa.Column("child_address", sa.Text(), nullable=False),
        sa.Column("parent_full_name", sa.Text(), nullable=False),
        sa.Column("parent_phone", sa.Text(), nullable=False),
        sa.Column("parent_email", sa.Text(), nullable=False),
        sa.Column("parent_address", sa.Text(), nullable=False),
        sa.Column("parent_document", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("terminates_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('desk', 'portal')", name=op.f("ck_contracts_source")),
        sa.CheckConstraint(
            "status IN ('requested', 'confirmed', 'active', 'terminating', 'closed', 'refused')",
            name=op.f("ck_contracts_status"),
        ),
        sa.CheckConstraint("price = from_certificate + co_payment", name=op.f("ck_contracts_split_sums_to_price")),
        sa.CheckConstraint(
            "price >= 0 AND normative >= 0 AND from_certificate >= 0 AND co_payment >= 0",
            name=op.f("ck_contracts_amounts"),
        ),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_contracts_dates")),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_contracts_certificate_id_certificates")
        ),
        sa.ForeignKeyConstraint(["group_id"], ["study_groups.id"], name=op.f("fk_contracts_group_id_study_groups")),
        sa.ForeignKeyConstraint(["module_id"], ["modules.id"], name=op.f("fk_contracts_module_id_modules")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_contracts_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], name=op.f("fk_contracts_period_id_periods")),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name=op.f("fk_contracts_program_id_programs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("organization_id", "number", name="uq_contracts_organization_number"),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_certificate_id"), ["certificate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_contracts_open_per_module",
            ["certificate_id", "module_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('requested', 'confirmed', 'active', 'terminating')"),
            postgresql_where=sa.text("status IN ('requested', 'confirmed', 'active', 'terminating')"),
        )

    op.create_table(
        "schedule_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("room", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_schedule_entries_weekday")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["study_groups.id"], name=op.f("fk_schedule_entries_group_id_study_groups")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_schedule_entries_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_entries")),
    )
    with op.batch_alter_table("schedule_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_entries_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_schedule_entries_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "contract_status_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_status_history_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_contract_status_history_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_status_history")),
    )
    with op.batch_alter_table("contract_status_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_status_history_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("balance_id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('reserve', 'release')", name=op.f("ck_ledger_entries_kind")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_entries_amount_positive")),
        sa.ForeignKeyConstraint(
            ["balance_id"], ["certificate_balances.id"], name=op.f("fk_ledger_entries_balance_id_certificate_balances")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_ledger_entries_contract_id_contracts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("contract_id", "kind", name="uq_ledger_entries_contract_kind"),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_balance_id"), ["balance_id"], unique=False)
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """The audit log is append-only: the database itself refuses to change or delete an entry."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only';
            END;
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_balance_id"))

    op.drop_table("ledger_entries")
    with op.batch_alter_table("contract_status_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_status_history_contract_id"))

    op.drop_table("contract_status_history")
    with op.batch_alter_table("schedule_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_entries_organization_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_entries_group_id"))

    op.drop_table("schedule_entries")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_contracts_open_per_module",
            sqlite_where=sa.text("status IN ('requested', 'confirmed', 'active', 'terminating')"),
            postgresql_where=sa.text("status IN ('requested', 'confirmed', 'active', 'terminating')"),
        )
        batch_op.drop_index(batch_op.f("ix_contracts_status"))
        batch_op.drop_index(batch_op.f("ix_contracts_organization_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_group_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_certificate_id"))

    op.drop_table("contracts")
    with op.batch_alter_table("study_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_groups_organization_id"))
        batch_op.drop_index(batch_op.f("ix_study_groups_module_id"))

    op.drop_table("study_groups")
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_family_id"))

    op.drop_table("refresh_tokens")
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_modules_program_id"))
        batch_op.drop_index(batch_op.f("ix_modules_organization_id"))

    op.drop_table("modules")
    with op.batch_alter_table("certification_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_decisions_program_id"))

    op.drop_table("certification_decisions")
    with op.batch_alter_table("certificate_balances", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_balances_period")

    op.drop_table("certificate_balances")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_organization_id"))

    op.drop_table("audit_log")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_organization_id"))

    op.drop_table("users")
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programs_status"))
        batch_op.drop_index(batch_op.f("ix_programs_organization_id"))

    op.drop_table("programs")
    op.drop_table("processed_operations")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_payer_seq")
        batch_op.drop_index("ix_change_log_organization_seq")
        batch_op.drop_index("ix_change_log_entity")

    op.drop_table("change_log")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_payer_id"))

    op.drop_table("certificates")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_payer_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_organization_id"))

    op.drop_table("agreements")
    op.drop_table("server_state")
    op.drop_table("periods")
    op.drop_table("payers")
    op.drop_table("organizations")
    op.drop_table("login_throttle")
