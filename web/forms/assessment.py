"""The assessment form, generated from ``prescribe.vocabulary``.

Labels, units and impossible-value ranges come from the vocabulary, so a variable added
there appears here without a template change. WTForms checks shape and range for quick
feedback; the core (``parse_assessment``) re-validates everything and its problems are put
back on the matching fields (``attach_problems``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from prescribe import codes
from prescribe.vocabulary import BY_NAME, Variable

from ..labels import RISK_FACTORS, WARNING_SIGNS
from ..standard_items import ANTHROPOMETRY, StandardGroup
from . import choices

VITALS = ("resting_hr_bpm", "sbp_mmhg", "dbp_mmhg", "spo2_rest_percent", "body_temperature_c",
          "glucose_mmol_l", "ketones")
YOUTH_SCREENING = ("uncorrected_va_left", "uncorrected_va_right", "spherical_equivalent_d",
                   "atr_deg", "cobb_deg")
YOUTH_ACTIVITY = ("mvpa_min_per_day", "outdoor_min_per_day", "screen_min_per_day")
ACTIVITY = ("regularly_active", "moderate_min_per_week", "vigorous_min_per_week")
CLINICAL_FLAGS = ("acute_illness", "feeling_unwell", "falls_past_12_months", "injurious_fall",
                  "vertebral_fracture", "lbp_red_flags", "severe_hypo_24h", "on_dialysis")
PREGNANCY = ("gestational_age_weeks", "pregnancy_complicated")
CODED_LISTS = ("conditions", "medications", "symptoms", "risk_factors")


@dataclass(frozen=True)
class Section:
    """A fieldset of the form: a legend and the vocabulary names it holds."""

    key: str
    legend: Any
    names: tuple[str, ...]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (more usable than a multi-select on a station PC)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class VocabularyLabel:
    """A field label read from the vocabulary in the language of the current request."""

    def __init__(self, var: Variable):
        self.var = var

    def __str__(self) -> str:
        from ..i18n import current_lang

        text = self.var.label(current_lang())
        return f"{text} ({self.var.unit})" if self.var.unit else text

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


class InRange(NumberRange):
    """``NumberRange`` that stays quiet when the value did not parse as a number (the
    field already says "not a valid number"; one message per problem)."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            return
        super().__call__(form, field)


def _range_message() -> Any:
    return _l("Must be between %(min)s and %(max)s.")


def _number_field(var: Variable) -> Field:
    """A float or integer input with the vocabulary's impossible-value range as validator."""
    kw: dict[str, Any] = {"inputmode": "decimal", "step": "any"}
    validators: list[Any] = [Optional()]
    if var.lo is not None or var.hi is not None:
        validators.append(InRange(min=var.lo, max=var.hi, message=_range_message()))
        if var.lo is not None:
            kw["min"] = f"{var.lo:g}"
        if var.hi is not None:
            kw["max"] = f"{var.hi:g}"
    if var.kind == "count":
        kw.update(inputmode="numeric", step="1")
        return IntegerField(VocabularyLabel(var), validators=validators, render_kw=kw)
    return FloatField(VocabularyLabel(var), validators=validators, render_kw=kw)


def _yes_no_field(var: Variable) -> Field:
    """Three states: not asked stays missing (the engine must tell absent from "no")."""
    return SelectField(VocabularyLabel(var), choices=choices([("", _l("Not asked")), ("true", _l("Yes")),
                                                  ("false", _l("No"))]),
                       validators=[Optional()], default="")


def _enum_field(var: Variable) -> Field:
    labels = {"negative": _l("Negative"), "positive": _l("Positive")}
    return SelectField(VocabularyLabel(var), choices=choices([("", _l("Not measured"))] + [
        (c, labels.get(c, c)) for c in var.choices]), validators=[Optional()], default="")


def field_for(var: Variable) -> Field:
    if var.kind in ("number", "count"):
        return _number_field(var)
    if var.kind == "bool":
        return _yes_no_field(var)
    if var.kind == "enum":
        return _enum_field(var)
    if var.kind == "text":
        return TextAreaField(VocabularyLabel(var), validators=[Optional(), Length(max=1000)],
                             render_kw={"rows": 2})
    raise ValueError(f"no form field for {var.name} ({var.kind})")


def coded_field(name: str) -> Field:
    """Conditions and medications from ``prescribe.codes``; ACSM signs; risk factors."""
    if name == "conditions":
        pairs = [(c.code, f"{c.code} {c.label_zh} / {c.label_en}") for c in codes.CONDITIONS]
    elif name == "medications":
        pairs = [(c.code, f"{c.code} {c.label_zh} / {c.label_en}") for c in codes.MEDICATIONS]
    elif name == "symptoms":
        pairs = list(WARNING_SIGNS.items())
    else:
        pairs = list(RISK_FACTORS.items())
    return MultiCheckboxField(VocabularyLabel(BY_NAME[name]), choices=choices(pairs),
                              validators=[Optional()])


def synonyms_for(name: str) -> dict[str, str]:
    """Search text per code for the filter box: labels and every synonym people type."""
    table = codes.CONDITIONS if name == "conditions" else codes.MEDICATIONS
    return {c.code: " ".join((c.code, c.label_zh, c.label_en, c.group, *c.synonyms)).casefold()
            for c in table}


def sections_for(group: StandardGroup, sex: str, age_years: float) -> list[Section]:
    """The fieldsets for this person, in the order a station records them."""
    sections = [
        Section("anthropometry", _l("Body size"), ANTHROPOMETRY),
        Section("physique", _l("Physical fitness tests"), group.items),
        Section("vitals", _l("Vital signs"), VITALS),
    ]
    if group.youth:
        sections.append(Section("youth_screening", _l("School screening: vision and spine"),
                                YOUTH_SCREENING))
        sections.append(Section("youth_activity", _l("Daily activity"), YOUTH_ACTIVITY))
    sections.append(Section("activity", _l("Physical activity"), ACTIVITY))
    clinical = CLINICAL_FLAGS + (PREGNANCY if sex == "F" and 12 <= age_years < 56 else ())
    sections.append(Section("clinical", _l("Health status"), clinical))
    return sections


class AssessmentFormBase(FlaskForm):
    assessed_on = DateField(_l("Assessment date"),
                            validators=[DataRequired(_l("Enter the assessment date."))])
    conditions = coded_field("conditions")
    medications = coded_field("medications")
    symptoms = coded_field("symptoms")
    risk_factors = coded_field("risk_factors")
    symptoms_text = field_for(BY_NAME["symptoms_text"])
    notes = TextAreaField(_l("Clinician's note (not used by the rules)"),
                          validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    lock_version = HiddenField()

    birth_date: dt.date | None = None

    def validate_assessed_on(self, field: Field) -> None:
        if field.data and field.data > dt.date.today():
            raise ValidationError(_l("The assessment date cannot be in the future."))
        if field.data and self.birth_date and field.data < self.birth_date:
            raise ValidationError(_l("The assessment date is before the date of birth."))


def build_form_class(sections: list[Section]) -> type[AssessmentFormBase]:
    """A form class holding exactly the vocabulary fields of ``sections``."""
    attrs = {name: field_for(BY_NAME[name]) for s in sections for name in s.names}
    return type("AssessmentForm", (AssessmentFormBase,), attrs)


def form_values(form: AssessmentFormBase, sections: list[Section]) -> dict[str, Any]:
    """The entered values keyed by vocabulary name; empty fields are left out (missing)."""
    values: dict[str, Any] = {}
    for name in [n for s in sections for n in s.names] + ["symptoms_text"]:
        data = form[name].data
        if data is None or data == "":
            continue
        if BY_NAME[name].kind == "bool":
            data = data == "true"
        values[name] = data
    for name in CODED_LISTS:
        if form[name].data:
            values[name] = list(form[name].data)
    return values


def fill_form(form: AssessmentFormBase, values: dict[str, Any]) -> None:
    """Put stored values back into a form (editing an assessment)."""
    for name, value in values.items():
        if name not in form:
            continue
        if BY_NAME.get(name) is not None and BY_NAME[name].kind == "bool":
            value = "true" if value else "false"
        form[name].data = value

