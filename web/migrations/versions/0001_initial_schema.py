"""Initial schema: stations, users, login attempts, audit log, patients, assessments,
prescriptions (versioned, optimistic locking) and override records.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_who_when', ['username', 'address', 'at'], unique=False)

    op.create_table('station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('community', 'school')", name=op.f('ck_station_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station')),
    sa.UniqueConstraint('name', name=op.f('uq_station_name'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('login_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("language IN ('zh', 'en')", name=op.f('ck_app_user_language')),
    sa.CheckConstraint("role IN ('clinician', 'prescriber', 'admin')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_app_user_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('login_token', name=op.f('uq_app_user_login_token')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_station_id'), ['station_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('object_type', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_audit_event_station_id_station')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_user_id'), ['user_id'], unique=False)

    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('record_no', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('school_name', sa.String(length=120), nullable=True),
    sa.Column('class_name', sa.String(length=60), nullable=True),
    sa.Column('grade_code', sa.String(length=2), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_patient_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_patient_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient')),
    sa.UniqueConstraint('station_id', 'record_no', name='uq_patient_record')
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_patient_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_patient_station_id'), ['station_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('standard', sa.String(length=20), nullable=True),
    sa.Column('values_json', sa.Text(), nullable=False),
    sa.Column('scores_json', sa.Text(), nullable=True),
    sa.Column('warnings_json', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_assessment_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_assessment_patient_id_patient')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_assessment_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_patient_date', ['patient_id', 'assessed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_station_id'), ['station_id'], unique=False)

    op.create_table('prescription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=32), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('proposed_json', sa.Text(), nullable=False),
    sa.Column('content_json', sa.Text(), nullable=False),
    sa.Column('ruleset_name', sa.String(length=80), nullable=False),
    sa.Column('ruleset_version', sa.String(length=40), nullable=False),
    sa.Column('ruleset_hash', sa.String(length=80), nullable=False),
    sa.Column('model_version', sa.String(length=80), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'signed', 'superseded')", name=op.f('ck_prescription_status')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_prescription_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_prescription_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['prescription.id'], name=op.f('fk_prescription_parent_id_prescription')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_prescription_patient_id_patient')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['app_user.id'], name=op.f('fk_prescription_signed_by_id_app_user')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_prescription_station_id_station')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_prescription_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prescription')),
    sa.UniqueConstraint('series', 'version_no', name='uq_prescription_series_version')
    )
    with op.batch_alter_table('prescription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prescription_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescription_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescription_series'), ['series'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescription_station_id'), ['station_id'], unique=False)

    op.create_table('override_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prescription_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('rule_ids', sa.String(length=400), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prescription_id'], ['prescription.id'], name=op.f('fk_override_record_prescription_id_prescription')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_override_record_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_override_record'))
    )
    with op.batch_alter_table('override_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_override_record_prescription_id'), ['prescription_id'], unique=False)


def downgrade():
    with op.batch_alter_table('override_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_override_record_prescription_id'))

    op.drop_table('override_record')
    with op.batch_alter_table('prescription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prescription_station_id'))
        batch_op.drop_index(batch_op.f('ix_prescription_series'))
        batch_op.drop_index(batch_op.f('ix_prescription_patient_id'))
        batch_op.drop_index(batch_op.f('ix_prescription_assessment_id'))

    op.drop_table('prescription')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_station_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_patient_id'))
        batch_op.drop_index('ix_assessment_patient_date')

    op.drop_table('assessment')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_station_id'))
        batch_op.drop_index(batch_op.f('ix_patient_phone'))
        batch_op.drop_index(batch_op.f('ix_patient_name'))

    op.drop_table('patient')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_station_id'))
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))

    op.drop_table('audit_event')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_station_id'))

    op.drop_table('app_user')
    op.drop_table('station')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_who_when')

    op.drop_table('login_attempt')
