"""The school youth-health pages (issue #7): upload the official template with a preview of
every bad row, import all-or-nothing, flagged students with batch drafts, a review queue
per class, the class PDF for parents, the school report (page and PDF) and the export back
into the official template.

The pages only translate between HTTP and ``prescribe.school`` (import, screening, batch
drafting, reports, export); database writes are in ``operations`` and ``importer``.
"""

from .views import bp

__all__ = ["bp"]
