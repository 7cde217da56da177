"""Error pages: the same layout for 400/403/404/429/500, in the user's language."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: _l("The request could not be understood. If you submitted a form, reload the page "
            "and try again."),
    403: _l("Your account does not have access to this page."),
    404: _l("This page does not exist, or it belongs to another station."),
    405: _l("This address does not accept that kind of request."),
    410: _l("This link has expired or was withdrawn. Ask your clinic for a new copy."),
    429: _l("Too many attempts. Please wait and try again."),
    500: _l("Something went wrong on our side. The error was logged; please try again."),
}


def _render(code: int, message: object = None) -> tuple[str, int]:
    return render_template("errors/error.html", code=code,
                           message=message or MESSAGES.get(code, MESSAGES[500])), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return _render(400, _l("The form expired or was not sent from this site. Reload the "
                               "page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int] | HTTPException:
        if exc.code is None or exc.code < 400:
            return exc
        return _render(exc.code)
