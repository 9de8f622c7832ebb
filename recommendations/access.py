"""Who may do what to which recommendation: the only place that decides.

Role permissions come from the groups (see the roles migration); this module adds the object rule
for officers: they may update the recommendations they lead, or whose lead or partner organisation
is theirs. Views ask here and nowhere else.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from reviews.models import Committee, Meeting, Review, User, WorkProgrammeItem

from .models import Outcome, ProgressUpdate, Recommendation, UpdateRequest

# The roles (groups, see the roles migration) whose members may lead a recommendation.
LEAD_OFFICER_ROLES = ["Officer", "Scrutiny officer"]

# Every role (docs/domain.md, "Roles") reads everything; a signed-in user with no role reads nothing.
readers_only = permission_required("recommendations.view_recommendation", raise_exception=True)


def may_edit_register(user) -> bool:
    """Create and edit reviews, recommendations and meetings; record responses and closures."""
    return user.has_perm("recommendations.change_recommendation")


def may_set_public(user) -> bool:
    """Mark a review public or private: the scrutiny officer, who edits reviews."""
    return user.has_perm("reviews.change_review")


def may_add_updates(user) -> bool:
    """May add progress updates at all (to the recommendations `updatable_by` gives)."""
    return user.is_authenticated and user.has_perm("recommendations.add_progressupdate")


def is_officer(user) -> bool:
    """Someone who updates the recommendations of their own organisation (not a clerk)."""
    return may_add_updates(user) and not may_edit_register(user)


def require_updater(user) -> None:
    """403 for anyone who has no recommendations to update (councillors, say)."""
    if not may_add_updates(user):
        raise PermissionDenied("Only officers have recommendations to update.")


def possible_lead_officers(current: User | None = None):
    """The users who may be chosen as a lead officer: active officers and scrutiny officers, and
    whoever leads it now, whatever their role."""
    officers = Q(groups__name__in=LEAD_OFFICER_ROLES, is_active=True)
    if current is not None:
        officers |= Q(pk=current.pk)
    return User.objects.filter(officers).distinct().order_by("first_name", "last_name", "username")


def may_import(user) -> bool:
    return user.has_perm("recommendations.import_tracker")


def may_publish(user) -> bool:
    return user.has_perm("recommendations.publish_appendix")


def may_ask_for_updates(user) -> bool:
    """Ask officers for progress updates before a meeting, and remind them: the scrutiny officer
    and the administrator (who edit the register)."""
    return may_edit_register(user)


def require_asker(user) -> None:
    if not may_ask_for_updates(user):
        raise PermissionDenied("Only a scrutiny officer can ask for updates.")


def may_check_updates(user) -> bool:
    """Accept or return submitted progress updates: the scrutiny officer and the administrator."""
    return may_edit_register(user)


def require_checker(user) -> None:
    if not may_check_updates(user):
        raise PermissionDenied("Only a scrutiny officer can check updates.")


def updates_visible_to(user, queryset=None):
    """The progress updates `user` may see: accepted ones (every reader), their own whatever
    their state, and every one for those who check them. Submitted and returned updates are
    otherwise nobody's business (docs/domain.md, "Acceptance")."""
    queryset = ProgressUpdate.objects.all() if queryset is None else queryset
    if not user.has_perm("recommendations.view_recommendation"):
        return queryset.none()
    if may_check_updates(user):
        return queryset
    return queryset.filter(Q(decision__outcome=Outcome.ACCEPTED) | Q(author=user))


def get_update_request(request, pk) -> UpdateRequest:
    """A request for updates: 404 when there is none, 403 for anyone but a clerk."""
    update_request = get_object_or_404(
        UpdateRequest.objects.select_related("meeting__committee", "requested_by"), pk=pk
    )
    require_asker(request.user)
    return update_request


def updatable_by(user, queryset=None):
    """The recommendations `user` may add progress updates to."""
    queryset = (Recommendation.objects.all() if queryset is None else queryset).open()
    if not may_add_updates(user):
        return queryset.none()
    if may_edit_register(user):
        return queryset
    # The ids of each kind, united, rather than one condition joined by OR: the database then
    # reads three small indexes instead of every recommendation (a tenth of a second at 200,000).
    mine = Recommendation.objects.filter(lead_officer=user).values("pk")
    if user.organisation_id:
        organisation = user.organisation_id
        mine = mine.union(
            Recommendation.objects.filter(lead_organisation=organisation).values("pk"),
            Recommendation.partners.through.objects.filter(organisation=organisation).values(
                "recommendation"
            ),
        )
    return queryset.filter(pk__in=mine)


def may_update(user, recommendation: Recommendation) -> bool:
    """May `user` add a progress update to this recommendation?"""
    if recommendation.is_closed or not may_add_updates(user):
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
    require_may_update(request.user, recommendation)
    return recommendation


def require_may_update(user, recommendation: Recommendation) -> None:
    if not may_update(user, recommendation):
        raise PermissionDenied("You cannot add progress updates to this recommendation.")


def get_recommendation_for_edit(request, pk) -> Recommendation:
    """The recommendation to edit or close: 404 when there is none, 403 for anyone but a clerk."""
    recommendation = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    if not may_edit_register(request.user):
        raise PermissionDenied("Only a scrutiny officer can edit recommendations.")
    return recommendation


def get_review_for_edit(request, pk) -> Review:
    """The review to add recommendations to: 404 when there is none, 403 for anyone but a clerk."""
    review = get_object_or_404(Review, pk=pk)
    if not may_edit_register(request.user):
        raise PermissionDenied("Only a scrutiny officer can add recommendations.")
    return review


# The roles give no delete permission on items: taking one off the work programme is part of
# editing it, and the history keeps it.
MEETING_PERMISSIONS = [
    "reviews.add_meeting",
    "reviews.change_meeting",
    "reviews.add_workprogrammeitem",
    "reviews.change_workprogrammeitem",
]


def may_edit_meetings(user) -> bool:
    """Add and edit a committee's meetings and their work programme."""
    return user.has_perms(MEETING_PERMISSIONS)


def _require_meeting_editor(user) -> None:
    if not may_edit_meetings(user):
        raise PermissionDenied("Only a scrutiny officer can add and edit meetings.")


def get_committee_for_new_meeting(request, pk) -> Committee:
    """The committee to add a meeting to: 404 when there is none, 403 for anyone but a clerk."""
    committee = get_object_or_404(Committee, pk=pk)
    _require_meeting_editor(request.user)
    return committee


def get_meeting_for_edit(request, pk) -> Meeting:
    """The meeting to edit or add items to: 404 when there is none, 403 for anyone but a clerk."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    _require_meeting_editor(request.user)
    return meeting


def get_work_programme_item_for_edit(request, pk) -> WorkProgrammeItem:
    """The item to edit or remove: 404 when there is none, 403 for anyone but a clerk."""
    item = get_object_or_404(
        WorkProgrammeItem.objects.select_related("committee", "meeting", "review"), pk=pk
    )
    _require_meeting_editor(request.user)
    return item
