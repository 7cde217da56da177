"""Forms for stations and user accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..labels import ROLES, STATION_KINDS
from ..passwords import MIN_LENGTH
from . import choices


def _password_rule(form: FlaskForm, field: PasswordField) -> None:
    value = field.data or ""
    if not value:
        return
    if len(value) < MIN_LENGTH:
        raise ValidationError(_l("At least %(n)s characters.", n=MIN_LENGTH))
    if value.isdigit() or value.isalpha():
        raise ValidationError(_l("Mix letters with digits or symbols."))


class StationForm(FlaskForm):
    name = StringField(_l("Station name"), validators=[DataRequired(_l("Enter a name.")),
                                                      Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(STATION_KINDS.items()))


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(_l("Enter a username.")), Length(max=64),
        Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Use letters, digits, dot, dash or underscore."))])
    display_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter a name.")),
                                                           Length(max=120)])
    role = SelectField(_l("Role"), choices=choices(ROLES.items()))
    station_id = SelectField(_l("Station"), coerce=int)
    language = SelectField(_l("Language"), choices=choices([("zh", "中文"), ("en", "English")]))
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), _password_rule],
                             render_kw={"autocomplete": "new-password"})

    def __init__(self, *args: object, new: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if new:
            self.password.validators = [DataRequired(_l("Enter a password.")), _password_rule]
