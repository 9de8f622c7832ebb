"""Text the product stores: invisible characters out of names and numbers, and a length limit
on long text that every door (forms, the admin, the tracker import) meets.

Bidirectional overrides and isolates can make a recommendation's number or a review's title read
differently from what is stored ("R1" that sorts and matches as something else), and zero-width
characters make two names that look the same differ. Neither has a place in a single line of text
a person reads, so they are removed from numbers, titles and names wherever those come in.
Narratives keep them: a zero-width joiner is part of some scripts and emoji.
"""

import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

# The most characters in a narrative, a recommendation's text or the reasons given with a
# response or a revised date: about four pages of an appendix.
LONG_TEXT_MAX = 10_000

INVISIBLE = re.compile(
    "["
    "\u200b-\u200d"  # zero-width space, non-joiner, joiner
    "\u2060"  # word joiner
    "\ufeff"  # zero-width no-break space (byte-order mark)
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2066-\u2069"  # bidirectional isolates
    "]"
)


def strip_invisible(text: str) -> str:
    """The text without bidirectional controls and zero-width characters."""
    return INVISIBLE.sub("", text)


def long_text_message(label: str = "The text") -> str:
    return f"{label} must be {LONG_TEXT_MAX:,} characters or fewer"


def long_text_validator() -> MaxLengthValidator:
    """For a model's TextField: the limit, enforced by model validation (Django enforces a
    TextField's max_length only in its form field)."""
    return MaxLengthValidator(LONG_TEXT_MAX, message=long_text_message())


class SingleLineFormField(forms.CharField):
    """A form's single line of text, without invisible characters (then trimmed)."""

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = strip_invisible(value)
            if self.strip:
                value = value.strip()
        return value


class SingleLineField(models.CharField):
    """A model's single line of text (a title, a name, a number): invisible characters are
    removed when it is cleaned (forms, the admin, full_clean) and again when it is saved, so no
    path stores them. Migrations name it by this path, so it stays here."""

    def to_python(self, value):
        value = super().to_python(value)
        return strip_invisible(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str) and INVISIBLE.search(value):
            value = strip_invisible(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineFormField, **kwargs})
