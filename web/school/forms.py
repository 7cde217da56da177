"""Forms of the school pages (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import choices
from .staging import ALLOWED_SUFFIXES

NEW_SCHOOL = "new"
SCOPES = (("all", _l("Every student (each child gets a plan for the parents)")),
          ("flagged", _l("Flagged students only (fail, overweight or obese, screening "
                         "myopia, scoliosis)")),
          ("none", _l("No drafts now (store and screen only)")))


def _files_present(form: FlaskForm, field: MultipleFileField) -> None:
    files = [f for f in (field.data or []) if getattr(f, "filename", "")]
    if not files:
        raise ValidationError(_l("Choose the template file(s) to upload."))
    bad = [f.filename for f in files if not f.filename.lower().endswith(ALLOWED_SUFFIXES)]
    if bad:
        raise ValidationError(_l("Only .csv, .xlsx and .xls files can be imported: "
                                 "%(names)s", names=", ".join(bad)))


class UploadForm(FlaskForm):
    """The official template (one or many class files) plus vision/scoliosis sheets."""

    school = SelectField(_l("School"), validate_choice=False)
    school_name = StringField(_l("Name of the new school"),
                              validators=[Optional(), Length(max=120)])
    test_date = DateField(_l("Test date"), default=dt.date.today,
                          validators=[InputRequired(_l("Enter the test date."))])
    files = MultipleFileField(_l("Files"), validators=[_files_present],
                              render_kw={"accept": ",".join(ALLOWED_SUFFIXES)})

    def validate_school(self, field: SelectField) -> None:
        if field.data == NEW_SCHOOL and not (self.school_name.data or "").strip():
            raise ValidationError(_l("Choose a school or type the name of a new one."))

    def validate_test_date(self, field: DateField) -> None:
        if field.data and field.data > dt.date.today():
            raise ValidationError(_l("The test date is in the future."))


class ConfirmImportForm(FlaskForm):
    draft_scope = RadioField(_l("Draft prescriptions for"), default="all",
                             choices=choices(SCOPES))


class ApproveForm(FlaskForm):
    """``expected``: the routine drafts the doctor saw, as ``id:lock_version`` pairs."""

    expected = HiddenField()


class PrintForm(FlaskForm):
    lang = SelectField(_l("Language of the plans"), default="zh",
                       choices=choices([("zh", "中文"), ("en", "English")]))


def parse_expected(text: str | None) -> dict[int, int]:
    """``"12:1,13:2"`` → ``{12: 1, 13: 2}``; a malformed pair raises ``ValueError``."""
    out: dict[int, int] = {}
    for pair in filter(None, (text or "").split(",")):
        key, _sep, version = pair.partition(":")
        out[int(key)] = int(version)
    return out
