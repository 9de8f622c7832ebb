"""Editing without lost changes: optimistic locking for the register's forms.

A record with a `version` field is edited through a form that carries the version it was opened at.
The view locks the row (`lock_for_edit`), binds the form to the locked, current record and, when the
form is valid but was opened at an older version, refuses the save and shows the other person's
version beside the user's own (`conflict_context`), keeping what they typed. Every save through the
application increments `version`, and goes through `save()` so the audit history records it.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as format_date

from scrutiny.forms import ModelForm

VERSION_TAMPERED = (
    "This form is out of date or was changed before it was sent. Reload the page and try again."
)
CLASHED = "This could not be saved because it clashes with a record saved at the same moment. Check the details and save again."


def lock_for_edit(model: type[models.Model], pk) -> models.Model:
    """The record as it is now, locked until the end of the transaction.

    On PostgreSQL the row lock makes a second save wait for the first, so both cannot pass the version
    check; SQLite's IMMEDIATE transactions (see settings) serialise writers the same way.
    """
    return model._default_manager.select_for_update().get(pk=pk)


class VersionedModelForm(ModelForm):
    """A model form that carries the version it was opened at and bumps it on every save.

    Saving many-to-many fields first and then the record itself gives one history row per edit,
    with the new relations, instead of one row per `add`/`remove` the relation signals would make.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_version = self.instance.version
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=1,
            initial=self.instance.version,
            error_messages={
                "required": VERSION_TAMPERED,
                "invalid": VERSION_TAMPERED,
                "min_value": VERSION_TAMPERED,
            },
        )

    def is_out_of_date(self) -> bool:
        """Was this (valid) form opened at an older version than the record's?"""
        return self.cleaned_data["version"] != self.opened_version

    def save(self, commit: bool = True):
        instance = super().save(commit=False)
        instance.version = self.opened_version + 1 if instance.pk else 1
        if not commit:
            return instance
        if instance.pk:
            instance.skip_history_when_saving = True
            try:
                self._save_m2m()
            finally:
                del instance.skip_history_when_saving
            instance.save()
        else:
            instance.save()
            self._save_m2m()
        return instance


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def display_value(field: forms.Field, value) -> str:
    """A form value as a person reads it: labels for choices, names for records, dates in words."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        if not isinstance(value, list | tuple | models.QuerySet):
            value = [value]
        objects = [
            item if isinstance(item, models.Model) else field.queryset.filter(pk=item).first()
            for item in value
        ]
        return ", ".join(sorted(str(item) for item in objects if item is not None))
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, models.Model):
            value = field.queryset.model._default_manager.filter(pk=value).first()
        return str(value) if value is not None else ""
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return format_date(value, "j F Y")
    return str(value)


def conflict_context(form: VersionedModelForm, data, **form_kwargs) -> dict:
    """What the conflict page shows: who changed the record and when, their version beside the
    user's, and the user's form again, now carrying the current version so a deliberate second
    save can go through."""
    instance = form.instance
    rows = [
        ConflictRow(
            label=str(field.label),
            theirs=display_value(field, form.initial.get(name)),
            yours=display_value(field, form.cleaned_data.get(name)),
        )
        for name, field in form.fields.items()
        if name != "version"
    ]
    latest = instance.history.select_related("history_user").first()
    resubmit = data.copy()
    resubmit["version"] = str(form.opened_version)
    return {
        "conflict": {
            "rows": rows,
            "changed_rows": [row for row in rows if row.differs],
            "changed_by": latest.history_user if latest else None,
            "changed_at": latest.history_date if latest else None,
        },
        "form": type(form)(resubmit, instance=instance, **form_kwargs),
    }


def create_with_clash(
    request, *, form: forms.BaseForm, template: str, context: dict, success
) -> HttpResponse:
    """The whole create round trip: GET shows the empty form; a valid POST saves it in a
    transaction and redirects to the new record, with the message `success(record)`. A save that
    clashes with a record saved at the same moment (a unique constraint the form's own check
    could not see yet) shows the form again with the CLASHED error and nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                record = form.save()
        except IntegrityError:
            form.add_error(None, CLASHED)
        else:
            messages.success(request, success(record))
            return redirect(record)
    return render(request, template, {**context, "form": form})


def edit_with_lock(
    request,
    *,
    model: type[models.Model],
    pk,
    form_class: type[VersionedModelForm],
    template: str,
    context: dict,
    success: str,
    save=None,
) -> HttpResponse:
    """The whole edit round trip for a versioned record.

    GET shows the form at the current version. POST locks the row, validates, refuses a form opened
    at an older version (409, with both versions and the user's input kept), saves with `save(form)`
    (default `form.save()`) and redirects to the record.
    """
    if request.method != "POST":
        form = form_class(instance=model._default_manager.get(pk=pk))
        return render(request, template, {**context, "form": form})
    try:
        with transaction.atomic():
            form = form_class(request.POST, instance=lock_for_edit(model, pk))
            if form.is_valid() and form.is_out_of_date():
                conflict = conflict_context(form, request.POST)
                return render(request, template, {**context, **conflict}, status=409)
            if form.is_valid():
                if not form.has_changed():
                    messages.info(request, "No changes were made")
                else:
                    (save or type(form).save)(form)
                    messages.success(request, success)
                return redirect(form.instance)
    except IntegrityError:
        form.add_error(None, CLASHED)
    return render(request, template, {**context, "form": form})
