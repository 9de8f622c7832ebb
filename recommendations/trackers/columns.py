"""The columns of a tracker file (docs/tracker-format.md): names, labels, fields, lengths."""

from reviews.models import Committee, Organisation, Review

from ..models import Recommendation

COLUMNS = [
    "review",
    "committee",
    "number",
    "recommendation",
    "lead",
    "partners",
    "response",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
    "update_date",
    "update_status",
    "update_text",
]
REQUIRED_COLUMNS = ["review", "number"]
DATE_COLUMNS = {"target_date", "revised_target_date", "update_date"}
# Free text, kept as written; every other column is a name, a number or a word.
LONG_TEXT_COLUMNS = {"recommendation", "response_text", "revision_reason", "update_text"}

# Most characters a name may have, from the models.
MAX_LENGTHS = {
    "review": Review._meta.get_field("title").max_length,
    "committee": Committee._meta.get_field("name").max_length,
    "number": Recommendation._meta.get_field("number").max_length,
    "lead": Organisation._meta.get_field("name").max_length,
    "partners": Organisation._meta.get_field("name").max_length,
}

# The columns that describe a recommendation rather than one of its updates, as the preview of
# a change names them.
FIELD_LABELS = {
    "recommendation": "Recommendation",
    "lead": "Lead",
    "partners": "Partners",
    "response": "Executive response",
    "response_text": "Reasons given with the response",
    "target_date": "Target date",
    "revised_target_date": "Revised target date",
    "revision_reason": "Reason for revising the target date",
}
RECOMMENDATION_COLUMNS = list(FIELD_LABELS)
# The Recommendation field each of those columns sets directly (leads and partners are names of
# organisations).
MODEL_FIELDS = {
    "recommendation": "text",
    "response": "response",
    "response_text": "response_text",
    "target_date": "target_date",
    "revised_target_date": "revised_target_date",
    "revision_reason": "revision_reason",
}
