"""Read a page's form the way a browser does: every field's name, its current value, its options.

The fuzz tests start from what the page itself offers, so a field added to a form later is fuzzed
without anyone remembering to list it here.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class FormField:
    name: str
    kind: str  # "text", "textarea", "select", "radio", "checkbox", "file", "hidden", ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


class _FormReader(HTMLParser):
    def __init__(self, action: str, method: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.method = method
        self.in_form = False
        self.done = False
        self.fields: dict[str, FormField] = {}
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form":
            self.in_form = attrs.get("method", "get").lower() == self.method and attrs.get(
                "action"
            ) in (None, "", self.action)
            return
        if not self.in_form or ("name" not in attrs and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if name == "csrfmiddlewaretoken":
                return
            known = self.fields.get(name)
            if kind in ("radio", "checkbox"):
                known = known or FormField(name, kind, multiple=kind == "checkbox")
                known.options.append(attrs.get("value", "on"))
                if "checked" in attrs and not known.value:
                    known.value = attrs.get("value", "on")
                self.fields[name] = known
            else:
                self.fields[name] = FormField(name, kind, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = self.fields[name] = FormField(name, "textarea")
        elif tag == "select":
            self._select = self.fields[name] = FormField(
                name, "select", multiple="multiple" in attrs
            )
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def read_form(html: str, action: str, method: str = "post") -> list[FormField]:
    """The fields of the page's first form that sends to `action` (or to the page itself)."""
    reader = _FormReader(action, method)
    reader.feed(html)
    return list(reader.fields.values())
