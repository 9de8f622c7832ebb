"""Records that are only ever added: a correction is a new record, never an edit.

Progress updates and published appendices share this: the model refuses `save()` on an existing
row and `delete()`, and its queryset refuses `update()` and `delete()`, so no path through the ORM
(views, admin, commands, shell) can change what a committee once read.
"""

from django.db import models


class AppendOnlyError(Exception):
    """An attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model.append_only_message)

    def delete(self):
        raise AppendOnlyError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """Subclasses set `append_only_message`: what to do instead of changing a record."""

    append_only_message = "This record cannot be changed or deleted."

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_message)
