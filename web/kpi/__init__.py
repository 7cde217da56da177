"""The administrators' KPI dashboard: the plan's indicators per district, station and
school, with charts and a CSV export (numbers from ``prescribe.school.kpi``)."""

from .views import bp

__all__ = ["bp"]
