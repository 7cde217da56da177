"""Log in, log out and choose the language."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from .extensions import db, login_manager
from .forms.auth import EmptyForm, LanguageForm, LoginForm
from .i18n import current_lang
from .operations import accounts, audit
from .tables import User

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(login_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.login_token == login_token,
                                                User.active.is_(True)))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def safe_next(target: str | None) -> str | None:
    """Accept only a path on this site as a redirect target (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = accounts.authenticate(
            db.session, form.username.data, form.password.data, request.remote_addr or "",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window=dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"]))
    except accounts.LoginLockedError as exc:
        db.session.commit()
        flash(_("Too many failed attempts: this account is locked from this computer until "
                "%(time)s.", time=format_datetime(exc.until, "short")), "error")
        return render_template("auth/login.html", form=form), 429
    db.session.commit()
    if user is None:
        form.password.errors.append(_("Wrong username or password."))
        return render_template("auth/login.html", form=form), 200
    chosen = session.get("lang")
    session.clear()  # a fresh session on login (no fixation)
    if chosen and chosen != user.language:  # picked on the login page: remember it
        accounts.set_language(db.session, user, chosen)
        db.session.commit()
    login_user(user)
    return redirect(safe_next(form.next.data) or url_for("main.index"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    audit.record(db.session, current_user, "logout", "user", current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.set_language(db.session, current_user, form.lang.data)
            db.session.commit()
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("main.index"))


@bp.app_context_processor
def inject_forms() -> dict[str, object]:
    """The header's logout button and language switcher need CSRF-protected forms."""
    return {"logout_form": EmptyForm(), "language_form": LanguageForm(
        lang=current_lang(), next=request.full_path.rstrip("?"))}
