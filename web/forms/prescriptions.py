"""Small forms on the prescription page: sign, tier review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField

from . import choices


class SignForm(FlaskForm):
    lock_version = HiddenField()
    acknowledge = BooleanField(_l("I have reviewed every item flagged for review"))


class TierForm(FlaskForm):
    confirmed_tier = SelectField(_l("Fitness tier"), coerce=int, choices=choices([
        (1, _l("Tier 1 (lowest fitness)")), (2, _l("Tier 2")), (3, _l("Tier 3")),
        (4, _l("Tier 4 (highest fitness)"))]))
