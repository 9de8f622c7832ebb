"""What a committee recommended, and how it is going (see docs/domain.md)."""

from .append_only import AppendOnlyError
from .evidence import MAX_EVIDENCE_FILES, Evidence
from .expressions import count_of
from .import_job import ImportJob
from .pdf_job import PdfJob
from .progress_update import AlreadyDecided, Outcome, ProgressUpdate, UpdateDecision
from .published_appendix import PublishedAppendix
from .recommendation import DERIVED_FIELDS, Recommendation, natural_sort_key
from .register_version import (
    RegisterVersion,
    current_register_version,
    register_changed,
    remembered,
)
from .rules import (
    EFFECTIVE_TARGET,
    OPEN,
    STALE,
    STALE_AFTER_DAYS,
    UNFINISHED,
    flag,
    needs_update_condition,
    overdue_condition,
    response_overdue_condition,
)
from .search import SEARCH_CONFIG, search_document_expression
from .update_request import Email, RequestedRecommendation, UpdateRequest, answered_condition

__all__ = [
    "DERIVED_FIELDS",
    "EFFECTIVE_TARGET",
    "MAX_EVIDENCE_FILES",
    "OPEN",
    "SEARCH_CONFIG",
    "STALE",
    "STALE_AFTER_DAYS",
    "UNFINISHED",
    "AlreadyDecided",
    "AppendOnlyError",
    "Email",
    "Evidence",
    "ImportJob",
    "Outcome",
    "PdfJob",
    "ProgressUpdate",
    "PublishedAppendix",
    "Recommendation",
    "RegisterVersion",
    "RequestedRecommendation",
    "UpdateDecision",
    "UpdateRequest",
    "answered_condition",
    "count_of",
    "current_register_version",
    "flag",
    "natural_sort_key",
    "needs_update_condition",
    "overdue_condition",
    "register_changed",
    "remembered",
    "response_overdue_condition",
    "search_document_expression",
]
