"""A recommendation's page, its history, an officer's own list, and the clerk's editing pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from reviews.models import Review
from scrutiny.editing import CLASHED, edit_with_lock

from . import access
from .access import readers_only
from .forms import ClosureForm, RecommendationForm
from .history import recommendation_history
from .models import Recommendation


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
        "recommendations/show_recommendation.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "updates": recommendation.updates.select_related("author"),
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
        "recommendations/recommendation_history.html",
        {
            "recommendation": recommendation,
            "review": recommendation.review,
            "entries": recommendation_history(recommendation),
        },
    )


@require_safe
def list_my_recommendations(request):
    """The recommendations an officer may update, the ones needing attention first."""
    if not request.user.has_perm("recommendations.add_progressupdate"):
        raise PermissionDenied("Only officers have recommendations to update.")
    today = timezone.localdate()
    recommendations = list(
        access.updatable_by(request.user)
        .with_flags(today)
        .select_related("review", "lead_organisation")
    )
    recommendations.sort(
        key=lambda r: (
            not (r.is_overdue or r.is_stale),
            not (r.is_overdue and r.is_stale),
            r.review.title,
            r.sort_key,
        )
    )
    return render(
        request,
        "recommendations/list_my_recommendations.html",
        {
            "recommendations": recommendations,
            "attention_count": sum(r.is_overdue or r.is_stale for r in recommendations),
        },
    )


@require_http_methods(["GET", "POST"])
def add_recommendation(request, pk):
    review = get_object_or_404(Review, pk=pk)
    if not access.may_edit_register(request.user):
        raise PermissionDenied("Only a scrutiny officer can add recommendations.")
    form = RecommendationForm(request.POST if request.method == "POST" else None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                recommendation = form.save()
        except IntegrityError:
            form.add_error(None, CLASHED)
        else:
            messages.success(request, f"Recommendation {recommendation.number} added")
            return redirect(recommendation)
    return render(
        request,
        "recommendations/recommendation_form.html",
        {
            "form": form,
            "review": review,
            "recommendation": None,
            "back_url": review.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_recommendation(request, pk):
    recommendation = access.get_recommendation_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=Recommendation,
        pk=recommendation.pk,
        form_class=RecommendationForm,
        template="recommendations/recommendation_form.html",
        context={
            "recommendation": recommendation,
            "review": recommendation.review,
            "back_url": recommendation.get_absolute_url(),
        },
        success="Recommendation saved",
    )


@require_http_methods(["GET", "POST"])
def close_recommendation(request, pk):
    recommendation = access.get_recommendation_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=Recommendation,
        pk=recommendation.pk,
        form_class=ClosureForm,
        template="recommendations/closure_form.html",
        context={
            "recommendation": recommendation,
            "review": recommendation.review,
            "back_url": recommendation.get_absolute_url(),
        },
        success="Closure recorded",
        save=lambda form: form.instance.close(
            meeting=form.cleaned_data["closed_at_meeting"],
            how=form.cleaned_data["closure"],
            user=request.user,
        ),
    )
