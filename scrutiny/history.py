"""The audit history of any record as people read it: who changed which field from what to what, when.

Built from django-simple-history's records with `diff_against` (many-to-many relations included,
from their historical through rows). Values are shown as on the pages: labels for choices, names for
related records, dates in words.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.template.defaultfilters import date as format_date

# Bookkeeping that changes with every save and means nothing to a reader.
HIDDEN_FIELDS = {"id", "version", "sort_key", "created_at"}

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    # What the entry is about when it is not a field change (a progress update, say).
    update: object | None = None

    @property
    def is_creation(self) -> bool:
        return self.action == ACTIONS["+"]


class _Names:
    """Names of related records, fetched once per model for the whole page."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = {}
        self.found: dict[type[models.Model], dict] = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def fetch(self):
        for model, pks in self.wanted.items():
            self.found[model] = model._default_manager.in_bulk(pks)

    def name(self, model, pk) -> str:
        obj = self.found.get(model, {}).get(pk)
        return str(obj) if obj is not None else f"{model._meta.verbose_name} {pk} (deleted)"


def _m2m_ids(rows, model_field) -> list:
    target = model_field.m2m_reverse_field_name()
    return [row[target] for row in rows]


def _display(model_field, value, names: _Names) -> str:
    if model_field.many_to_many:
        return ", ".join(sorted(names.name(model_field.related_model, pk) for pk in value))
    if value in (None, ""):
        return ""
    if model_field.is_relation:
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return format_date(value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return format_date(value, "j F Y")
    return str(value)


Change = tuple[models.Field, object, object]  # the field, its old value, its new value


def _initial_values(model, record) -> list[Change]:
    """What a record started with: every shown field that has a value."""
    changes = []
    tracked_m2m = {m2m_field.name for m2m_field in record._history_m2m_fields}
    for model_field in model._meta.get_fields():
        if not model_field.concrete or not model_field.editable:
            continue
        if model_field.name in HIDDEN_FIELDS or model_field.name in record._history_excluded_fields:
            continue
        if model_field.many_to_many:
            if model_field.name not in tracked_m2m:
                continue
            target = model_field.m2m_reverse_field_name() + "_id"
            value = [getattr(row, target) for row in getattr(record, model_field.name).all()]
        else:
            value = getattr(record, model_field.attname)
        if value not in (None, "", [], False):
            changes.append((model_field, None, value))
    return changes


def _changes_since(model, record, previous) -> list[Change]:
    """The fields that differ between two consecutive records."""
    changes = []
    for change in record.diff_against(previous, excluded_fields=HIDDEN_FIELDS).changes:
        model_field = model._meta.get_field(change.field)
        old, new = change.old, change.new
        if model_field.many_to_many:
            old, new = _m2m_ids(old, model_field), _m2m_ids(new, model_field)
        changes.append((model_field, old, new))
    return changes


def _want_names(changes: list[Change], names: _Names) -> None:
    for model_field, old, new in changes:
        if not model_field.is_relation:
            continue
        for value in (old, new):
            for pk in (value or []) if model_field.many_to_many else [value]:
                names.want(model_field.related_model, pk)


def _entry(record, changes: list[Change], names: _Names) -> HistoryEntry:
    return HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        action=ACTIONS.get(record.history_type, "Changed"),
        changes=[
            FieldChange(
                label=str(model_field.verbose_name).capitalize(),
                old="" if old is None else _display(model_field, old, names),
                new=_display(model_field, new, names),
            )
            for model_field, old, new in changes
        ],
    )


def history_of(obj: models.Model) -> list[HistoryEntry]:
    """Every recorded change to `obj`, newest first; creation lists the values it started with."""
    model = type(obj)
    records = obj.history.select_related("history_user").order_by("history_date", "history_id")
    names = _Names()
    raw: list[tuple[object, list[Change]]] = []
    previous = None
    for record in records:
        if previous is None:
            changes = _initial_values(model, record)
        else:
            changes = _changes_since(model, record, previous)
        _want_names(changes, names)
        raw.append((record, changes))
        previous = record
    names.fetch()
    return [_entry(record, changes, names) for record, changes in reversed(raw)]
