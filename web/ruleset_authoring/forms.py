"""Flask-WTF forms of the authoring pages (each carries its CSRF token).

The rule editor's dynamic rows are read by ``rule_form``; these forms hold the fixed
fields: the draft's version counter (optimistic locking), notes, uploads and cases.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from ..forms import choices

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
FILE_PATTERN = r"^(cases/)?[a-z0-9][a-z0-9_\-]*\.yaml$"


class LockForm(FlaskForm):
    """A POST button on the draft (duplicate, disable, delete, discard, test)."""

    lock_version = HiddenField(validators=[InputRequired()])


class NoteForm(LockForm):
    """Publish or roll back: the changelog note is the audit trail's "why"."""

    note = TextAreaField(_l("What changed and why"), validators=[
        DataRequired(_l("Write what changed and why: the changelog is the audit trail.")),
        Length(max=2000)])


class RollbackForm(FlaskForm):
    note = TextAreaField(_l("Why roll back"), validators=[
        DataRequired(_l("Write why this version is rolled back.")), Length(max=2000)])


class UploadForm(LockForm):
    archive = FileField(_l("Rule-set file (.zip)"),
                        validators=[FileRequired(_l("Choose a .zip file to upload."))])


class RuleMetaForm(LockForm):
    """The fixed part of the rule editor; ``file`` is asked only for a new rule."""

    file = StringField(_l("File"), validators=[
        Regexp(FILE_PATTERN, message=_l("Use a name like conditions.yaml"))],
        default="conditions.yaml")


class CaseForm(LockForm):
    case_id = StringField(_l("Case id"), validators=[
        DataRequired(), Length(max=80),
        Regexp(ID_PATTERN, message=_l("Lower-case letters, digits, '-', '_' and '.'"))])
    file = SelectField(_l("File"), validate_choice=False)
    title_zh = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200)])
    given = TextAreaField(_l("Inputs (given)"), validators=[DataRequired()],
                          render_kw={"rows": 8, "spellcheck": "false"})
    expect = TextAreaField(_l("Expected (expect)"), validators=[DataRequired()],
                           render_kw={"rows": 10, "spellcheck": "false"})
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)], render_kw={"rows": 2})


class FromAssessmentForm(FlaskForm):
    assessment_id = IntegerField(_l("Assessment number"), validators=[
        InputRequired(_l("Enter the assessment number.")), NumberRange(min=1)])


class ImpactForm(FlaskForm):
    limit = SelectField(_l("Recent assessments"), coerce=int, default=1000,
                        choices=choices([(1000, "1,000"), (5000, "5,000"), (10000, "10,000")]))
