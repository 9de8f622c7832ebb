"""Admin pieces shared by the apps."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from simple_history.admin import SimpleHistoryAdmin

from .forms import ModelChoiceField, ModelMultipleChoiceField


class ChoicesInRange:
    """Mix into every ModelAdmin and inline with a foreign key or a many-to-many: their fields
    refuse an id beyond the database's integers as an invalid choice, where Django's own would
    fail on the query (on SQLite, an OverflowError and a 500)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class _ChangeListWithinTheCalendar(ChangeList):
    def get_filters(self, request):
        # Django turns a date hierarchy's impossible date (?date__month=13) into "incorrect
        # lookup parameters", but not a year, month or day too large for the calendar
        # (?date__year=9999 reaches year 10000 for the end of its range; ?date__day=2**63
        # overflows), which raise and answer 500.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class DateHierarchyInRange:
    """Mix into a ModelAdmin with a `date_hierarchy`: a date in the address beyond the calendar
    shows the list with Django's "incorrect parameters" notice rather than a 500."""

    def get_changelist(self, request, **kwargs):
        return _ChangeListWithinTheCalendar


class OneHistoryRowAdmin(SimpleHistoryAdmin):
    """An admin whose every edit of an existing record writes exactly one history row, with the
    new many-to-many relations and the signed-in user.

    Left to itself an edit writes a row for the save and another for each `remove` and `add` the
    many-to-many fields make afterwards (three for one change of partners). Here, as in
    `VersionedModelForm` (scrutiny/editing.py), the relations are saved first without history and
    the record after them, all in save_model, so simple-history's own "revert to this version"
    (which calls save_model but not save_related) saves the same way; Django's second
    `save_m2m()` then finds nothing to change. A new record keeps Django's order: it needs its key
    before it can have relations.
    """

    def save_model(self, request, obj, form, change):
        if change:
            obj.skip_history_when_saving = True
            try:
                form.save_m2m()
            finally:
                del obj.skip_history_when_saving
        super().save_model(request, obj, form, change)


class VersionedAdmin(ChoicesInRange, OneHistoryRowAdmin):
    """An admin for a record edited with optimistic locking (see scrutiny/editing.py): every save
    of an existing record here, and of a versioned record in one of its inlines, bumps `version`,
    so a form opened elsewhere before the admin edit is refused with the conflict page rather than
    silently overwriting it."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            changed = inline_form not in deleted and inline_form.has_changed()
            if changed and hasattr(instance, "version"):
                instance.version += 1
        super().save_formset(request, form, formset, change)
