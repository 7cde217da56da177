"""The patient details form."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..labels import GRADE_CODES, SEXES
from ..operations.patients import MAX_AGE_YEARS, MIN_AGE_YEARS, PatientDetails
from . import choices


class PatientForm(FlaskForm):
    record_no = StringField(_l("Record number"), validators=[
        DataRequired(_l("Enter the record number.")), Length(max=40)],
        description=_l("The station's own record or student number, not a national ID."))
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")),
                                              Length(max=100)])
    sex = SelectField(_l("Sex"), choices=choices([("", "—"), *SEXES.items()]),
                      validators=[DataRequired(_l("Choose the sex."))])
    birth_date = DateField(_l("Date of birth"),
                           validators=[DataRequired(_l("Enter the date of birth (YYYY-MM-DD)."))])
    phone = StringField(_l("Phone"), validators=[
        Optional(), Length(max=30),
        Regexp(r"^[0-9+\- ()]+$", message=_l("Digits, spaces, +, - and brackets only."))])
    school_name = StringField(_l("School"), validators=[Optional(), Length(max=120)])
    class_name = StringField(_l("Class"), validators=[Optional(), Length(max=60)])
    grade_code = SelectField(_l("School grade"), choices=choices([("", _l("Not a student")),
                                                                  *GRADE_CODES.items()]),
                             validators=[Optional()])
    lock_version = HiddenField()

    def validate_birth_date(self, field: DateField) -> None:
        if field.data is None:
            return
        today = dt.date.today()
        if field.data > today:
            raise ValidationError(_l("The date of birth is in the future."))
        age = (today - field.data).days / 365.2425
        if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
            raise ValidationError(_l("Age must be between 3 and 110 years."))

    def details(self) -> PatientDetails:
        return PatientDetails(
            record_no=self.record_no.data or "", name=self.name.data or "",
            sex=self.sex.data or "", birth_date=self.birth_date.data,
            phone=self.phone.data, school_name=self.school_name.data,
            class_name=self.class_name.data, grade_code=self.grade_code.data or None)
