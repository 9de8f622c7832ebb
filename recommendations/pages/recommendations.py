"""A recommendation's page, its history, an officer's own list, and the clerk's editing pages."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from scrutiny.editing import create_with_clash, edit_with_lock
from scrutiny.history import HistoryEntry, history_of

from .. import access
from ..access import readers_only
from ..models import ProgressUpdate, Recommendation
from .forms import ClosureForm, RecommendationForm


@require_safe
@readers_only
def show_recommendation(request, pk):
    today = timezone.localdate()
    recommendation = get_object_or_404(
        Recommendation.objects.with_flags(today)
        .select_related(
            "review__committee",
            "lead_organisation",
            "lead_officer",
            "closed_at_meeting__committee",
        )
        .prefetch_related("partners"),
        pk=pk,
    )
    return render(
        request,
        "pages/show_recommendation.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "updates": access.updates_visible_to(request.user, recommendation.updates.all())
            .select_related("author", "decision__decided_by")
            .prefetch_related(Prefetch("evidence", to_attr="evidence_files")),
            "overdue": recommendation.is_overdue,
            "stale": recommendation.is_stale,
            "may_update": access.may_update(request.user, recommendation),
            "may_edit": access.may_edit_register(request.user),
        },
    )


@require_safe
@readers_only
def show_recommendation_history(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    return render(
        request,
        "pages/recommendation_history.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "entries": recommendation_history(recommendation, request.user),
        },
    )


def recommendation_history(recommendation, user) -> list[HistoryEntry]:
    """The recommendation's changes and the progress updates `user` may see (append-only, so each
    is one event)."""
    entries = history_of(recommendation)
    for update in access.updates_visible_to(user, recommendation.updates.all()).select_related(
        "author"
    ):
        entries.append(
            HistoryEntry(
                when=update.recorded_at,
                who=update.author,
                action="Progress update added",
                update=update,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


# Rows on a page of "My recommendations", as in the register.
MY_RECOMMENDATIONS_PAGE_SIZE = 50


@require_safe
def list_my_recommendations(request):
    """The recommendations an officer may update, the ones needing attention first, a page at a
    time: the database orders and counts them, and only the page's rows are read and drawn."""
    access.require_updater(request.user)
    today = timezone.localdate()
    mine = access.updatable_by(request.user)
    rows = mine.needing_update_first(today).defer("search_document")
    page = Paginator(rows, MY_RECOMMENDATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _attach_own_pending_updates(request.user, page.object_list)
    return render(
        request,
        "pages/list_my_recommendations.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "attention_count": mine.needing_update(today).count(),
        },
    )


def _attach_own_pending_updates(user, recommendations) -> None:
    """Set `own_pending` on each recommendation: the user's newest own update on it when that one
    is submitted (awaiting check) or returned, else None. One query, for these recommendations
    only, reading each one's newest own update alone."""
    newest_own = ProgressUpdate.objects.filter(
        author=user, recommendation=OuterRef("recommendation")
    ).order_by("-recorded_at", "-pk")
    newest = {
        update.recommendation_id: update
        for update in ProgressUpdate.objects.filter(
            author=user,
            recommendation__in=[r.pk for r in recommendations],
            pk=Subquery(newest_own.values("pk")[:1]),
        )
        .select_related("decision__decided_by")
        .order_by()
    }
    for recommendation in recommendations:
        update = newest.get(recommendation.pk)
        recommendation.own_pending = update if update and update.state != "accepted" else None


@require_http_methods(["GET", "POST"])
def add_recommendation(request, pk):
    review = access.get_review_for_edit(request, pk)
    return create_with_clash(
        request,
        form=RecommendationForm(request.POST if request.method == "POST" else None, review=review),
        template="pages/recommendation_form.html",
        context={"review": review, "recommendation": None, "back_url": review.get_absolute_url()},
        success=lambda recommendation: f"Recommendation {recommendation.number} added",
    )


def _edit_recommendation_with(request, pk, form_class, template: str, **options):
    """A clerk's locked edit of one recommendation (see scrutiny/editing.py)."""
    recommendation = access.get_recommendation_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=Recommendation,
        pk=recommendation.pk,
        form_class=form_class,
        template=template,
        context={
            "recommendation": recommendation,
            "review": recommendation.review,
            "back_url": recommendation.get_absolute_url(),
        },
        **options,
    )


@require_http_methods(["GET", "POST"])
def edit_recommendation(request, pk):
    return _edit_recommendation_with(
        request,
        pk,
        RecommendationForm,
        "pages/recommendation_form.html",
        success="Recommendation saved",
    )


@require_http_methods(["GET", "POST"])
def close_recommendation(request, pk):
    return _edit_recommendation_with(
        request,
        pk,
        ClosureForm,
        "pages/closure_form.html",
        success="Closure recorded",
        save=lambda form: form.instance.close(
            meeting=form.cleaned_data["closed_at_meeting"],
            how=form.cleaned_data["closure"],
            user=request.user,
        ),
    )
