"""The start page and a health check for process supervisors."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.wrappers import Response

from .extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index() -> Response:
    """Clinical staff start at the patient list; administrators at the user list."""
    if current_user.role == "admin":
        return redirect(url_for("admin.users"))
    return redirect(url_for("patients.index"))


@bp.route("/healthz")
def health() -> tuple[str, int, dict[str, str]]:
    """``ok`` when the database answers (no login, no data)."""
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
