from django.contrib import admin, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from scrutiny.admin import ChoicesInRange, DateHierarchyInRange, OneHistoryRowAdmin, VersionedAdmin

from .models import Committee, Meeting, Organisation, Review, User, WorkProgrammeItem
from .sign_in.second_factor import remove_authenticator


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(ChoicesInRange, DjangoUserAdmin, OneHistoryRowAdmin):
    list_display = ["username", "get_full_name", "email", "organisation", "is_active", "is_staff"]
    list_filter = [*DjangoUserAdmin.list_filter, "organisation"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Organisation", {"fields": ["organisation"]}),
        # Set at the first sign-in through the council's identity provider (README, "Signing
        # in with the council's accounts").
        ("Identity provider", {"fields": ["identity_issuer", "identity_subject"]}),
    ]
    readonly_fields = ["identity_issuer", "identity_subject"]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Organisation", {"fields": ["organisation"]}),
    ]

    actions = ["reset_second_factor"]

    @admin.action(
        description="Reset the authenticator app and recovery codes of the selected users",
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        """For a lost phone: the user signs in with their password and, if the second factor is
        required for them, sets up an app again; their sessions verified by it are sent there."""
        for user in queryset:
            remove_authenticator(user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Reset the second factor of %(count)d user, who sets up an authenticator app "
                "again at their next sign-in if they must have one.",
                "Reset the second factor of %(count)d users, who set up an authenticator app "
                "again at their next sign-in if they must have one.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A change of role ends the user's sessions (reviews/sign_in/sessions.py); an
        # administrator changing their own keeps the session they made it in.
        if form.instance.pk == request.user.pk:
            update_session_auth_hash(request, form.instance)


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "chair", "vice_chair"]
    search_fields = ["name", "chair", "vice_chair"]


class WorkProgrammeItemInline(ChoicesInRange, admin.TabularInline):
    model = WorkProgrammeItem
    extra = 0
    fields = ["kind", "title", "review"]
    autocomplete_fields = ["review"]


@admin.register(Meeting)
class MeetingAdmin(DateHierarchyInRange, VersionedAdmin):
    list_display = ["date", "committee", "title"]
    list_filter = ["committee"]
    list_select_related = ["committee"]
    search_fields = ["committee__name"]
    date_hierarchy = "date"
    inlines = [WorkProgrammeItemInline]
    exclude = ["version"]

    def save_formset(self, request, form, formset, change):
        # A work programme item added on a meeting belongs to that meeting's committee.
        for inline_form in formset.forms:
            inline_form.instance.committee = form.instance.committee
        super().save_formset(request, form, formset, change)


@admin.register(Review)
class ReviewAdmin(VersionedAdmin):
    list_display = [
        "title",
        "committee",
        "municipal_year",
        "status",
        "report_to_executive_date",
        "response_due_date",
    ]
    list_filter = ["status", "committee", "municipal_year"]
    list_select_related = ["committee"]
    search_fields = ["title", "chaired_by"]
    exclude = ["version"]


@admin.register(WorkProgrammeItem)
class WorkProgrammeItemAdmin(VersionedAdmin):
    list_display = ["title", "kind", "committee", "meeting", "review"]
    list_filter = ["kind", "committee"]
    list_select_related = ["committee", "meeting__committee", "review"]
    search_fields = ["title", "review__title"]
    autocomplete_fields = ["review", "meeting"]
    exclude = ["version"]


# Django's own, with the same refusal of ids out of range in its permissions field.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ChoicesInRange, DjangoGroupAdmin):
    pass
