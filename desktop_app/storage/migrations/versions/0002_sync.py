"""Sync with the server: results and the rejection inbox, certification decisions, server-owned fields
(places taken, archived flags, contract details), financing periods, dependencies of queued operations,
and the organization's reference lists of teachers and addresses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_results',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('op_id', sa.Uuid(), nullable=False),
    sa.Column('op_type', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('figures_json', sa.Text(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_results')),
    sa.UniqueConstraint('op_id', name=op.f('uq_sync_results_op_id'))
    )
    with op.batch_alter_table('sync_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_results_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index('ix_sync_results_inbox', ['status', 'acknowledged_at'], unique=False)

    op.create_table('periods',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_periods'))
    )
    op.create_table('teachers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teachers'))
    )
    op.create_table('addresses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses'))
    )
    op.create_table('program_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_decisions_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_decisions'))
    )
    with op.batch_alter_table('program_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_decisions_program_id'), ['program_id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_surname', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('child_address', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_phone', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_email', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_address', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_document', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source', sa.String(length=8), server_default='desk', nullable=False))
        batch_op.add_column(sa.Column('normative', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('signed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('terminates_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refs_json', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('summary', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('archived', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('clock_offset_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.drop_column('clock_offset_seconds')
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.drop_column('archived')
        batch_op.drop_column('taken')

    with op.batch_alter_table('schedule_entries', schema=None) as batch_op:
        batch_op.drop_column('archived')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('summary')
        batch_op.drop_column('refs_json')

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('archived')

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('reason')
        batch_op.drop_column('terminates_on')
        batch_op.drop_column('signed_on')
        batch_op.drop_column('normative')
        batch_op.drop_column('source')
        batch_op.drop_column('parent_document')
        batch_op.drop_column('parent_address')
        batch_op.drop_column('parent_email')
        batch_op.drop_column('parent_phone')
        batch_op.drop_column('child_address')
        batch_op.drop_column('child_surname')

    with op.batch_alter_table('program_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_decisions_program_id'))

    op.drop_table('program_decisions')
    op.drop_table('addresses')
    op.drop_table('teachers')
    op.drop_table('periods')
    with op.batch_alter_table('sync_results', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_results_inbox')
        batch_op.drop_index(batch_op.f('ix_sync_results_entity_id'))

    op.drop_table('sync_results')