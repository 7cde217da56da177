"""School youth health: schools, classes per school year, students (学籍号 as text, one per
station, linked to their patient record), yearly results with their screening, imports.

Revision ID: 0004_school
Revises: 0003_ruleset_authoring
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_school'
down_revision = '0003_ruleset_authoring'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('school',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_school_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_school_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school')),
    sa.UniqueConstraint('station_id', 'name', name='uq_school_station_name')
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_station_id'), ['station_id'], unique=False)

    op.create_table('school_class',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('grade_code', sa.String(length=2), nullable=False),
    sa.Column('class_code', sa.String(length=20), nullable=False),
    sa.Column('class_name', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_class_school_id_school')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_school_class_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_class')),
    sa.UniqueConstraint('school_id', 'school_year', 'grade_code', 'class_code', name='uq_school_class_key')
    )
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_class_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_class_station_id'), ['station_id'], unique=False)

    op.create_table('school_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('test_date', sa.Date(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('files_json', sa.Text(), nullable=False),
    sa.Column('draft_scope', sa.String(length=10), nullable=False),
    sa.Column('n_rows', sa.Integer(), nullable=False),
    sa.Column('n_new_students', sa.Integer(), nullable=False),
    sa.Column('n_new_assessments', sa.Integer(), nullable=False),
    sa.Column('n_corrected', sa.Integer(), nullable=False),
    sa.Column('n_unchanged', sa.Integer(), nullable=False),
    sa.Column('n_drafts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_school_import_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_import_school_id_school')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_school_import_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_import'))
    )
    with op.batch_alter_table('school_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_import_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_import_station_id'), ['station_id'], unique=False)

    op.create_table('student',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('student_no', sa.String(length=40), nullable=False),
    sa.Column('ethnicity_code', sa.String(length=4), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_student_patient_id_patient')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_student_school_id_school')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_student_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student')),
    sa.UniqueConstraint('patient_id', name=op.f('uq_student_patient_id')),
    sa.UniqueConstraint('station_id', 'student_no', name='uq_student_number')
    )
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_station_id'), ['station_id'], unique=False)

    op.create_table('student_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('tested_on', sa.Date(), nullable=False),
    sa.Column('values_hash', sa.String(length=20), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=True),
    sa.Column('grade', sa.String(length=10), nullable=True),
    sa.Column('bmi', sa.Float(), nullable=True),
    sa.Column('weight_status', sa.String(length=12), nullable=True),
    sa.Column('screening_myopia', sa.Boolean(), nullable=True),
    sa.Column('atr_band', sa.String(length=12), nullable=True),
    sa.Column('scoliosis_positive', sa.Boolean(), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flag_reasons', sa.String(length=80), nullable=False),
    sa.Column('failing_items', sa.String(length=200), nullable=False),
    sa.Column('extra_json', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_student_assessment_assessment_id_assessment')),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'], name=op.f('fk_student_assessment_class_id_school_class')),
    sa.ForeignKeyConstraint(['import_id'], ['school_import.id'], name=op.f('fk_student_assessment_import_id_school_import')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_student_assessment_station_id_station')),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_student_assessment_student_id_student')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_assessment')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_student_assessment_assessment_id')),
    sa.UniqueConstraint('student_id', 'school_year', name='uq_student_assessment_year')
    )
    with op.batch_alter_table('student_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_assessment_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_assessment_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_assessment_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_assessment_student_id'), ['student_id'], unique=False)
        batch_op.create_index('ix_student_assessment_year_class', ['school_year', 'class_id'], unique=False)



def downgrade():
    with op.batch_alter_table('student_assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_student_assessment_year_class')
        batch_op.drop_index(batch_op.f('ix_student_assessment_student_id'))
        batch_op.drop_index(batch_op.f('ix_student_assessment_station_id'))
        batch_op.drop_index(batch_op.f('ix_student_assessment_import_id'))
        batch_op.drop_index(batch_op.f('ix_student_assessment_class_id'))

    op.drop_table('student_assessment')
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_station_id'))
        batch_op.drop_index(batch_op.f('ix_student_school_id'))

    op.drop_table('student')
    with op.batch_alter_table('school_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_import_station_id'))
        batch_op.drop_index(batch_op.f('ix_school_import_school_id'))

    op.drop_table('school_import')
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_class_station_id'))
        batch_op.drop_index(batch_op.f('ix_school_class_school_id'))

    op.drop_table('school_class')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_station_id'))

    op.drop_table('school')
