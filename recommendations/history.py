"""The audit history of a record as people read it: who changed which field from what to what, when.

Built from django-simple-history's records with `diff_against` (many-to-many relations included,
from their historical through rows). Values are shown as on the pages: labels for choices, names for
related records, dates in words.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.template.defaultfilters import date as format_date

from .models import ProgressUpdate

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
    update: ProgressUpdate | None = None

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


def history_of(obj: models.Model) -> list[HistoryEntry]:
    """Every recorded change to `obj`, newest first; creation lists the values it started with."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    names = _Names()
    raw: list[tuple[object, list[tuple[models.Field, object, object]]]] = []
    previous = None
    for record in records:
        if previous is None:
            shown = [
                f
                for f in model._meta.get_fields()
                if f.concrete and f.editable and f.name not in HIDDEN_FIELDS
            ]
            changes = []
            for model_field in shown:
                if model_field.many_to_many:
                    ids = [
                        getattr(row, model_field.m2m_reverse_field_name() + "_id")
                        for row in getattr(record, model_field.name).all()
                    ]
                    value = ids
                else:
                    value = getattr(record, model_field.attname)
                if value not in (None, "", [], False):
                    changes.append((model_field, None, value))
        else:
            delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            changes = []
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                old, new = change.old, change.new
                if model_field.many_to_many:
                    old, new = _m2m_ids(old, model_field), _m2m_ids(new, model_field)
                changes.append((model_field, old, new))
        for model_field, old, new in changes:
            if model_field.is_relation:
                for pk in (old or []) if model_field.many_to_many else [old]:
                    names.want(model_field.related_model, pk)
                for pk in (new or []) if model_field.many_to_many else [new]:
                    names.want(model_field.related_model, pk)
        raw.append((record, changes))
        previous = record
    names.fetch()

    entries = []
    for record, changes in raw:
        entries.append(
            HistoryEntry(
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
        )
    entries.reverse()
    return entries


def recommendation_history(recommendation) -> list[HistoryEntry]:
    """The recommendation's changes and its progress updates (append-only, so each is one event)."""
    entries = history_of(recommendation)
    for update in recommendation.updates.select_related("author"):
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
