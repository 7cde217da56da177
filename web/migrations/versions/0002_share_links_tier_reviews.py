"""Share links for printed plans, clinicians' fitness-tier reviews, assessment notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('share_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prescription_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_share_link_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['prescription_id'], ['prescription.id'], name=op.f('fk_share_link_prescription_id_prescription')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['app_user.id'], name=op.f('fk_share_link_revoked_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_link')),
    sa.UniqueConstraint('token', name=op.f('uq_share_link_token'))
    )
    with op.batch_alter_table('share_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_link_prescription_id'), ['prescription_id'], unique=False)

    op.create_table('tier_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('prescription_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=80), nullable=False),
    sa.Column('model_tier', sa.Integer(), nullable=True),
    sa.Column('confirmed_tier', sa.Integer(), nullable=False),
    sa.Column('features_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('confirmed_tier BETWEEN 1 AND 4', name=op.f('ck_tier_review_confirmed_tier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_review'))
    )
    with op.batch_alter_table('tier_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_review_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tier_review_station_id'), ['station_id'], unique=False)

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('notes')

    with op.batch_alter_table('tier_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_review_station_id'))
        batch_op.drop_index(batch_op.f('ix_tier_review_assessment_id'))

    op.drop_table('tier_review')
    with op.batch_alter_table('share_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_link_prescription_id'))

    op.drop_table('share_link')
