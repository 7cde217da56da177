"""Rule-set authoring: published rule-set versions and the prescribers' shared drafts.

Revision ID: 0003_ruleset_authoring
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_ruleset_authoring'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ruleset_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=80), nullable=False),
    sa.Column('files_json', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('rolled_back_to', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('seed', 'publish', 'rollback', 'upload')", name=op.f('ck_ruleset_version_kind')),
    sa.ForeignKeyConstraint(['published_by_id'], ['app_user.id'], name=op.f('fk_ruleset_version_published_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ruleset_version')),
    sa.UniqueConstraint('name', 'number', name='uq_ruleset_version_name_number')
    )
    with op.batch_alter_table('ruleset_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ruleset_version_name'), ['name'], unique=False)

    op.create_table('ruleset_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('files_json', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['base_version_id'], ['ruleset_version.id'], name=op.f('fk_ruleset_draft_base_version_id_ruleset_version')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_ruleset_draft_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ruleset_draft')),
    sa.UniqueConstraint('name', name=op.f('uq_ruleset_draft_name'))
    )


def downgrade():
    op.drop_table('ruleset_draft')
    with op.batch_alter_table('ruleset_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ruleset_version_name'))
    op.drop_table('ruleset_version')
