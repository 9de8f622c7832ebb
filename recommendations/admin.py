from django.contrib import admin

from reviews.admin import ReviewAdmin
from reviews.models import Review
from scrutiny.admin import ChoicesInRange, DateHierarchyInRange, VersionedAdmin

from .models import ProgressUpdate, PublishedAppendix, Recommendation


class ReadOnlyProgressUpdateInline(admin.TabularInline):
    """Updates are append-only: shown here, never changed or removed."""

    model = ProgressUpdate
    extra = 0
    fields = ["as_at", "status", "narrative", "author", "recorded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdmin):
    list_display = [
        "__str__",
        "lead_organisation",
        "response",
        "target_date",
        "is_priority",
        "closure",
    ]
    list_filter = ["response", "is_priority", "closure", "review__committee", "lead_organisation"]
    list_select_related = ["review", "lead_organisation"]
    search_fields = ["number", "text", "review__title"]
    autocomplete_fields = [
        "review",
        "lead_organisation",
        "lead_officer",
        "partners",
        "closed_at_meeting",
    ]
    exclude = ["version"]
    inlines = [ReadOnlyProgressUpdateInline]
    history_list_display = ["response", "target_date", "revised_target_date"]


class RecommendationInline(ChoicesInRange, admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["number", "text", "lead_organisation", "response", "target_date", "is_priority"]
    autocomplete_fields = ["lead_organisation"]
    show_change_link = True


admin.site.unregister(Review)


@admin.register(Review)
class ReviewWithRecommendationsAdmin(ReviewAdmin):
    inlines = [RecommendationInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ChoicesInRange, DateHierarchyInRange, admin.ModelAdmin):
    """Updates can be added here, with the signed-in user as author, but never changed or deleted."""

    list_display = ["recommendation", "as_at", "status", "author", "recorded_at"]
    list_filter = ["status", "recommendation__review"]
    list_select_related = ["recommendation__review", "author"]
    search_fields = ["narrative", "recommendation__review__title", "recommendation__number"]
    date_hierarchy = "as_at"
    fields = ["recommendation", "as_at", "status", "narrative"]
    autocomplete_fields = ["recommendation"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields, "author", "recorded_at"] if obj else []

    def get_fields(self, request, obj=None):
        return [*self.fields, "author", "recorded_at"] if obj else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)
        # Only the scrutiny officer and administrators reach the admin: their updates count at
        # once (docs/domain.md, "Acceptance").
        obj.accept(by=request.user, at=obj.recorded_at)


@admin.register(PublishedAppendix)
class PublishedAppendixAdmin(admin.ModelAdmin):
    """Published appendices are frozen: listed and shown here, never added, changed or deleted."""

    list_display = ["__str__", "meeting", "published_at", "published_by", "pdf_sha256"]
    list_filter = ["review__committee"]
    list_select_related = ["review", "meeting__committee", "published_by"]
    search_fields = ["review__title", "pdf_sha256"]
    fields = [
        "review",
        "meeting",
        "as_at",
        "known_at",
        "number",
        "include_closed",
        "pdf_sha256",
        "generator_version",
        "published_by",
        "published_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
