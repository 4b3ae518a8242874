"""Initial schema: organization, programs with modules, groups and schedules, certificate mirror,
contracts, outbox and sync state.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificate_mirror',
    sa.Column('lookup_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('frozen', sa.Boolean(), nullable=False),
    sa.Column('balance_current', sa.BigInteger(), nullable=False),
    sa.Column('balance_next', sa.BigInteger(), nullable=False),
    sa.Column('payer_code', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('lookup_key', name=op.f('pk_certificate_mirror'))
    )
    op.create_table('organization_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('inn', sa.String(length=12), nullable=False),
    sa.Column('kpp', sa.String(length=9), nullable=False),
    sa.Column('ogrn', sa.String(length=15), nullable=False),
    sa.Column('license_number', sa.Text(), nullable=False),
    sa.Column('license_date', sa.Date(), nullable=True),
    sa.Column('license_issuer', sa.Text(), nullable=False),
    sa.Column('legal_address', sa.Text(), nullable=False),
    sa.Column('actual_address', sa.Text(), nullable=False),
    sa.Column('bank_name', sa.Text(), nullable=False),
    sa.Column('bik', sa.String(length=9), nullable=False),
    sa.Column('settlement_account', sa.String(length=20), nullable=False),
    sa.Column('correspondent_account', sa.String(length=20), nullable=False),
    sa.Column('signatory_name', sa.Text(), nullable=False),
    sa.Column('signatory_position', sa.Text(), nullable=False),
    sa.Column('signatory_basis', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_organization_profile_singleton')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_profile'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('op_id', sa.Uuid(), nullable=False),
    sa.Column('op_type', sa.String(length=64), nullable=False),
    sa.Column('op_version', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('payload_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('op_id', name=op.f('uq_outbox_op_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_entity_id'), ['entity_id'], unique=False)

    op.create_table('programs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('direction', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('form', sa.String(length=32), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('distance_technologies', sa.Boolean(), nullable=False),
    sa.Column('age_from_months', sa.Integer(), nullable=False),
    sa.Column('age_to_months', sa.Integer(), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=False),
    sa.Column('annotation', sa.Text(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('expected_results', sa.Text(), nullable=False),
    sa.Column('medical_certificate_required', sa.Boolean(), nullable=False),
    sa.Column('accessible_for_disabled', sa.Boolean(), nullable=False),
    sa.Column('final_document', sa.Text(), nullable=False),
    sa.Column('addresses_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('age_from_months < age_to_months', name=op.f('ck_programs_age_range')),
    sa.CheckConstraint('duration_months >= 0', name=op.f('ck_programs_duration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs'))
    )
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programs_status'), ['status'], unique=False)

    op.create_table('sync_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('last_synced_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_sync_state_singleton')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_state'))
    )
    op.create_table('modules',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('min_group_size', sa.Integer(), nullable=False),
    sa.Column('max_group_size', sa.Integer(), nullable=False),
    sa.Column('teacher_qualification', sa.Text(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('normative', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('normative IS NULL OR normative >= 0', name=op.f('ck_modules_normative_not_negative')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_modules_price_not_negative')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_modules_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_modules'))
    )
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_modules_program_id'), ['program_id'], unique=False)

    op.create_table('study_groups',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('module_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('teacher', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_study_groups_capacity_not_negative')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_study_groups_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_groups'))
    )
    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_groups_module_id'), ['module_id'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('provisional_number', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('certificate_number', sa.String(length=10), nullable=False),
    sa.Column('child_full_name', sa.Text(), nullable=False),
    sa.Column('child_birth_date', sa.Date(), nullable=False),
    sa.Column('parent_full_name', sa.Text(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('module_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('from_certificate', sa.BigInteger(), nullable=False),
    sa.Column('co_payment', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('price = from_certificate + co_payment', name=op.f('ck_contracts_split_sums_to_price')),
    sa.CheckConstraint('price >= 0 AND from_certificate >= 0 AND co_payment >= 0', name=op.f('ck_contracts_amounts_not_negative')),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_contracts_dates')),
    sa.ForeignKeyConstraint(['group_id'], ['study_groups.id'], name=op.f('fk_contracts_group_id_study_groups')),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_contracts_module_id_modules')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_contracts_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number')),
    sa.UniqueConstraint('provisional_number', name=op.f('uq_contracts_provisional_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_certificate_module', ['certificate_number', 'module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_status'), ['status'], unique=False)

    op.create_table('schedule_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('room', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 1 AND 7', name=op.f('ck_schedule_entries_weekday')),
    sa.ForeignKeyConstraint(['group_id'], ['study_groups.id'], name=op.f('fk_schedule_entries_group_id_study_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_entries'))
    )
    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_entries_group_id'), ['group_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_entries_group_id'))

    op.drop_table('schedule_entries')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_status'))
        batch_op.drop_index(batch_op.f('ix_contracts_group_id'))
        batch_op.drop_index('ix_contracts_certificate_module')

    op.drop_table('contracts')
    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_groups_module_id'))

    op.drop_table('study_groups')
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_modules_program_id'))

    op.drop_table('modules')
    op.drop_table('sync_state')
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programs_status'))

    op.drop_table('programs')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_entity_id'))

    op.drop_table('outbox')
    op.drop_table('organization_profile')
    op.drop_table('certificate_mirror')