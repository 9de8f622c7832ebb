"""The columns of a tracker file (docs/tracker-format.md), and how long their names may be."""

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

# Most characters a name may have, from the models.
MAX_LENGTHS = {
    "review": Review._meta.get_field("title").max_length,
    "committee": Committee._meta.get_field("name").max_length,
    "number": Recommendation._meta.get_field("number").max_length,
    "lead": Organisation._meta.get_field("name").max_length,
    "partners": Organisation._meta.get_field("name").max_length,
}
