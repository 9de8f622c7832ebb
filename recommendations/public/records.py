"""Which records the public may see. Every public page, API endpoint and the open-data CSV asks
here, so a review not marked public, a submitted or returned update, a comment, a user or an email
can never be reached from outside.

Ids in a URL beyond the database's integers find nothing (a 404), never an overflow.
"""

from django.db.models import Prefetch
from django.http import Http404

from reviews.models import Review

from ..models import ProgressUpdate, PublishedAppendix, Recommendation

# The largest id the database holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


def public_reviews():
    return Review.objects.public().select_related("committee")


def public_recommendations():
    """Recommendations of public reviews, in the register's order."""
    return Recommendation.objects.filter(review__is_public=True).select_related(
        "review__committee", "lead_organisation"
    )


def accepted_updates():
    """Accepted updates, oldest first, with the organisation of their author (never the author)."""
    return (
        ProgressUpdate.objects.accepted()
        .select_related("author__organisation")
        .order_by("as_at", "recorded_at", "pk")
    )


def with_accepted_updates(recommendations):
    return recommendations.prefetch_related(
        "partners", Prefetch("updates", queryset=accepted_updates(), to_attr="accepted_updates")
    )


def public_appendices():
    return PublishedAppendix.objects.filter(review__is_public=True).select_related(
        "review", "meeting"
    )


def get_public(queryset, pk):
    """The record with this id if the public may see it; otherwise a 404, exactly as for a record
    that does not exist."""
    if not 0 < int(pk) <= LARGEST_ID:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def organisation_of(update) -> str:
    """The organisation an update came from: its author's, never the author's name."""
    organisation = update.author.organisation
    return organisation.name if organisation else ""
