"""Template helpers and the security headers every response carries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime
from werkzeug.wrappers import Response

from prescribe.vocabulary import BY_NAME

from . import labels
from .i18n import current_lang

# Pages use only this site's own CSS and JS; no inline scripts, nothing from a CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def var_label(name: str) -> str:
    """A vocabulary variable's label (with unit) in the user's language."""
    var = BY_NAME.get(name)
    if var is None:
        return name
    text = var.label(current_lang())
    return f"{text} ({var.unit})" if var.unit else text


def fmt_value(name: str, value: Any) -> str:
    """A stored value for display: numbers without trailing zeros, lists joined."""
    if isinstance(value, bool):
        return str(labels.YES if value else labels.NO)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) if current_lang() == "zh" else ", ".join(
            str(v) for v in value)
    return "" if value is None else str(value)


def pick_suffixed(item: Any, stem: str = "name") -> str:
    """``{stem}_zh`` / ``{stem}_en`` fields (e.g. an activity's ``name_zh``, ``name_en``) in
    the user's language, falling back to the other one only when the first is missing.

    The core's activity catalogue keeps names as two flat fields rather than a ``{zh, en}``
    dict, so the ``pick`` filter does not apply; without the fallback a rule set that
    names an activity in one language only would print an empty name.
    """
    if not isinstance(item, dict):
        return "" if item is None else str(item)
    lang = current_lang()
    other = "en" if lang == "zh" else "zh"
    return str(item.get(f"{stem}_{lang}") or item.get(f"{stem}_{other}")
               or item.get("code") or "")


def fmt_date(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, "medium")


def fmt_datetime(value: dt.datetime | None) -> str:
    return "" if value is None else format_datetime(value, "short")


def fmt_range(value: Any, unit: str = "") -> str:
    """``[3, 5]`` → ``3–5``; a single value as is."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list | tuple):
        lo, hi = value[0], value[-1]
        if hi is None:
            text = f"≥ {lo:g}"
        else:
            text = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
    else:
        text = f"{value:g}" if isinstance(value, int | float) else str(value)
    return f"{text} {unit}".strip()


def fmt_weeks(weeks: Any) -> str:
    """A progression phase's weeks: ``[1, 4]`` → weeks 1–4, ``[5, None]`` → from week 5."""
    from flask_babel import gettext as _

    if not isinstance(weeks, list | tuple) or not weeks:
        return str(weeks or "")
    lo, hi = weeks[0], weeks[-1]
    if hi is None:
        return _("from week %(n)s", n=lo)
    return _("week %(n)s", n=lo) if lo == hi else _("weeks %(a)s–%(b)s", a=lo, b=hi)


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Share-link tokens sit in the URL: never send them on to another site.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    from .charts import item_label

    app.jinja_env.globals.update(
        item_label=item_label,
        var_label=var_label, pick_suffixed=pick_suffixed, fmt_value=fmt_value,
        fmt_date=fmt_date, fmt_datetime=fmt_datetime,
        fmt_range=fmt_range, fmt_weeks=fmt_weeks, labels=labels, show=labels.show)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.after_request(security_headers)
