"""The review form for a draft prescription, built from the draft's own components.

Field names: ``<component>__days_lo`` etc. for the dose, ``keep__<code>`` for exclusions, and
``reason__<override key>`` for the written reason each override needs (the override keys
come from ``web.review``: ``intensity_cap``, ``clearance``, ``excluded:<code>``,
``component:<type>:intensity``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..labels import INTENSITIES, INTENSITY_ORDER
from ..review import DAYS_RANGE, MINUTES_RANGE, ComponentEdit, ReviewEdit, as_range
from . import choices

LEVEL_CHOICES = choices((k, INTENSITIES[k]) for k in INTENSITY_ORDER)


def reason_field(key: str) -> str:
    return "reason__" + key.replace(":", "__")


def error_field(problem_field: str | None) -> str | None:
    """Map an operation's field name to the form field that shows the message."""
    if not problem_field:
        return None
    if problem_field.startswith("reason:"):
        return reason_field(problem_field[len("reason:"):])
    if "-" in problem_field:
        comp, what = problem_field.split("-", 1)
        return {"days_per_week": f"{comp}__days_lo", "minutes_per_session": f"{comp}__min_lo",
                "intensity": f"{comp}__int_hi", "type": f"{comp}__days_lo"}.get(what)
    return problem_field


CAP_CHOICES = choices([("", _l("No cap")), *((k, INTENSITIES[k]) for k in INTENSITY_ORDER)])


class ReviewFormBase(FlaskForm):
    lock_version = HiddenField()
    intensity_cap = SelectField(_l("Intensity cap"), choices=CAP_CHOICES)
    clearance_required = BooleanField(_l("Medical clearance required before starting"))


def _reason() -> TextAreaField:
    return TextAreaField(_l("Reason for this override"), validators=[Optional()],
                         render_kw={"rows": 2})


def build_review_form(proposed: dict[str, Any], current: dict[str, Any],
                      **kwargs: Any) -> ReviewFormBase:
    """A form with one block per component and one keep/reason pair per exclusion."""
    attrs: dict[str, Any] = {
        reason_field("intensity_cap"): _reason(), reason_field("clearance"): _reason()}
    day_v = [InputRequired(_l("Enter a number.")),
             NumberRange(*DAYS_RANGE, message=_l("Must be between %(min)s and %(max)s."))]
    min_v = [Optional(), NumberRange(*MINUTES_RANGE,
                                     message=_l("Must be between %(min)s and %(max)s."))]
    for comp in current.get("components", []):
        t = comp["type"]
        attrs[f"{t}__days_lo"] = IntegerField(_l("Days per week, from"), validators=day_v)
        attrs[f"{t}__days_hi"] = IntegerField(_l("to"), validators=day_v)
        attrs[f"{t}__min_lo"] = IntegerField(_l("Minutes per session, from"), validators=min_v)
        attrs[f"{t}__min_hi"] = IntegerField(_l("to"), validators=min_v)
        attrs[f"{t}__int_lo"] = SelectField(_l("Intensity, from"), choices=LEVEL_CHOICES)
        attrs[f"{t}__int_hi"] = SelectField(_l("to"), choices=LEVEL_CHOICES)
        attrs[reason_field(f"component:{t}:intensity")] = _reason()
    for item in proposed.get("excluded", []):
        attrs[f"keep__{item['code']}"] = BooleanField(_l("Keep this exclusion"), default=True)
        attrs[reason_field(f"excluded:{item['code']}")] = _reason()
    form_class = type("ReviewForm", (ReviewFormBase,), attrs)
    return form_class(**kwargs)


def fill_review_form(form: ReviewFormBase, current: dict[str, Any], lock_version: int) -> None:
    """Load the draft's current values into a fresh (GET) form."""
    form.lock_version.data = str(lock_version)
    form.intensity_cap.data = current.get("intensity_cap") or ""
    form.clearance_required.data = bool((current.get("clearance") or {}).get("required"))
    for comp in current.get("components", []):
        t = comp["type"]
        days = as_range(comp.get("days_per_week")) or (None, None)
        mins = as_range(comp.get("minutes_per_session")) or (None, None)
        levels = as_range(comp.get("intensity")) or ("light", "light")
        form[f"{t}__days_lo"].data, form[f"{t}__days_hi"].data = days
        form[f"{t}__min_lo"].data, form[f"{t}__min_hi"].data = mins
        form[f"{t}__int_lo"].data, form[f"{t}__int_hi"].data = levels
    kept = {e["code"] for e in current.get("excluded", [])}
    for name in form._fields:
        if name.startswith("keep__"):
            form[name].data = name[len("keep__"):] in kept


def review_edit(form: ReviewFormBase, proposed: dict[str, Any],
                current: dict[str, Any]) -> ReviewEdit:
    """The submitted review as a ``ReviewEdit`` for ``operations.prescriptions``."""
    components = []
    for comp in current.get("components", []):
        t = comp["type"]
        lo, hi = form[f"{t}__min_lo"].data, form[f"{t}__min_hi"].data
        components.append(ComponentEdit(
            type=t, days_per_week=(form[f"{t}__days_lo"].data, form[f"{t}__days_hi"].data),
            minutes_per_session=None if lo is None and hi is None else (lo or hi, hi or lo),
            intensity=(form[f"{t}__int_lo"].data, form[f"{t}__int_hi"].data)))
    cap = form.intensity_cap.data or None
    kept = {name[len("keep__"):] for name in form._fields
            if name.startswith("keep__") and form[name].data}
    reasons = {name[len("reason__"):].replace("__", ":"): form[name].data or ""
               for name in form._fields if name.startswith("reason__")}
    return ReviewEdit(components=components, intensity_cap=cap,
                      clearance_required=bool(form.clearance_required.data),
                      kept_exclusions=kept, reasons=reasons)
