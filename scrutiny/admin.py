"""Admin pieces shared by the apps."""

from simple_history.admin import SimpleHistoryAdmin


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


class VersionedAdmin(OneHistoryRowAdmin):
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
