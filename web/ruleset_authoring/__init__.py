"""Rule-set authoring pages for exercise prescribers (issue #6).

Prescribers edit a shared draft of the rule set in structured forms, test it against the
golden cases, replay it over recent assessments, and publish it through the gate; the
clinic then drafts prescriptions with the published version (``current_assistant``).

Wiring: ``app.register_blueprint(web.ruleset_authoring.bp)``; the blueprint adds its
translations folder to Flask-Babel and keeps the clinic on the published version before
each request (see ``assistants.py``).
"""

from __future__ import annotations

from . import views, views_cases, views_publish, views_rules  # noqa: F401 - routes
from .assistants import current_assistant
from .blueprint import bp

__all__ = ["bp", "current_assistant"]
