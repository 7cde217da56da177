"""Administration: stations, user accounts and the audit log (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from .access import admin_required
from .extensions import db
from .forms import choices
from .forms.admin import StationForm, UserForm
from .operations import OperationError, accounts
from .tables import AuditEvent, Station, User

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PER_PAGE = 50


def _stations() -> list[Station]:
    return list(db.session.scalars(select(Station).order_by(Station.name)))


@bp.route("/stations")
@admin_required
def stations() -> str:
    return render_template("admin/stations.html", stations=_stations())


@bp.route("/stations/new", methods=["GET", "POST"])
@admin_required
def create_station() -> Response | str:
    form = StationForm()
    if form.validate_on_submit():
        try:
            accounts.create_station(db.session, current_user, form.name.data, form.kind.data)
        except OperationError:
            db.session.rollback()
            form.name.errors.append(_("A station with this name exists."))
        else:
            db.session.commit()
            flash(_("Station created."), "success")
            return redirect(url_for("admin.stations"))
    return render_template("admin/station_form.html", form=form, station=None)


@bp.route("/stations/<int:station_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_station(station_id: int) -> Response | str:
    station = db.session.get(Station, station_id) or abort(404)
    form = StationForm(obj=station)
    if form.validate_on_submit():
        try:
            accounts.update_station(db.session, current_user, station, form.name.data,
                                    form.kind.data)
        except OperationError:
            db.session.rollback()
            form.name.errors.append(_("A station with this name exists."))
        else:
            db.session.commit()
            flash(_("Station saved."), "success")
            return redirect(url_for("admin.stations"))
    return render_template("admin/station_form.html", form=form, station=station)


@bp.route("/users")
@admin_required
def users() -> str:
    rows = db.session.scalars(select(User).order_by(User.station_id, User.username))
    return render_template("admin/users.html", users=list(rows))


def _user_form(user: User | None) -> UserForm:
    form = UserForm(obj=user, new=user is None)
    form.station_id.choices = choices((s.id, s.name) for s in _stations())
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user() -> Response | str:
    form = _user_form(None)
    if form.validate_on_submit():
        station = db.session.get(Station, form.station_id.data)
        try:
            accounts.create_user(db.session, current_user, username=form.username.data,
                                 display_name=form.display_name.data,
                                 password=form.password.data, role=form.role.data,
                                 station=station, language=form.language.data)
        except OperationError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("User created."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> Response | str:
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    if request.method == "GET":
        form.password.data = ""
    if form.validate_on_submit():
        station = db.session.get(Station, form.station_id.data)
        try:
            accounts.update_user(db.session, current_user, user,
                                 display_name=form.display_name.data, role=form.role.data,
                                 station=station, active=form.active.data,
                                 language=form.language.data,
                                 password=form.password.data or None)
        except OperationError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("User saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


_ACCOUNT_MESSAGES = {
    "username": lambda: _("This username is taken."),
    "role": lambda: _("You cannot remove your own administrator access."),
    "password": lambda: _("This password is too weak."),
}


def _field_error(form: UserForm, exc: OperationError) -> None:
    name = exc.field if exc.field in form else "username"
    form[name].errors.append(_ACCOUNT_MESSAGES.get(name, lambda: exc.message)())


@bp.route("/audit")
@admin_required
def audit() -> str:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    object_type = request.args.get("object_type", "")
    station_id = request.args.get("station_id", type=int)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if station_id:
        query = query.where(AuditEvent.station_id == station_id)
    page = db.paginate(query, per_page=AUDIT_PER_PAGE, error_out=False)
    return render_template("admin/audit.html", page=page, object_type=object_type,
                           station_id=station_id, stations=_stations())
