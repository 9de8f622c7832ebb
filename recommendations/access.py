"""Who may do what to which recommendation: the only place that decides.

Role permissions come from the groups (see the roles migration); this module adds the object rule
for officers: they may update the recommendations they lead, or whose lead or partner organisation
is theirs. Views ask here and nowhere else.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Recommendation

# Every role of DOMAIN.md reads everything; a signed-in user with no role reads nothing.
readers_only = permission_required("recommendations.view_recommendation", raise_exception=True)


def may_edit_register(user) -> bool:
    """Create and edit reviews, recommendations and meetings; record responses and closures."""
    return user.has_perm("recommendations.change_recommendation")


def may_import(user) -> bool:
    return user.has_perm("recommendations.import_tracker")


def may_publish(user) -> bool:
    return user.has_perm("recommendations.publish_appendix")


def updatable_by(user, queryset=None):
    """The recommendations `user` may add progress updates to."""
    queryset = (Recommendation.objects.all() if queryset is None else queryset).open()
    if not user.is_authenticated or not user.has_perm("recommendations.add_progressupdate"):
        return queryset.none()
    if may_edit_register(user):
        return queryset
    mine = Q(lead_officer=user)
    if user.organisation_id:
        organisation = user.organisation_id
        mine |= Q(lead_organisation=organisation) | Q(
            pk__in=Recommendation.partners.through.objects.filter(organisation=organisation).values(
                "recommendation"
            )
        )
    return queryset.filter(mine)


def may_update(user, recommendation: Recommendation) -> bool:
    """May `user` add a progress update to this recommendation?"""
    if recommendation.is_closed:
        return False
    if not user.is_authenticated or not user.has_perm("recommendations.add_progressupdate"):
        return False
    if may_edit_register(user):
        return True
    if recommendation.lead_officer_id == user.pk:
        return True
    organisation = user.organisation_id
    return bool(organisation) and (
        recommendation.lead_organisation_id == organisation
        or recommendation.partners.filter(pk=organisation).exists()
    )


def get_recommendation_for_update(request, pk) -> Recommendation:
    """The recommendation to update: 404 when there is none, 403 when the user may not."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("review", "lead_organisation"), pk=pk
    )
    if not may_update(request.user, recommendation):
        raise PermissionDenied("You cannot add progress updates to this recommendation.")
    return recommendation


def get_recommendation_for_edit(request, pk) -> Recommendation:
    """The recommendation to edit or close: 404 when there is none, 403 for anyone but a clerk."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    if not may_edit_register(request.user):
        raise PermissionDenied("Only a scrutiny officer can edit recommendations.")
    return recommendation
