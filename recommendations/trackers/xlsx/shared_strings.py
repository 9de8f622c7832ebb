"""The shared strings part: read after the sheet, so only the strings its kept cells use are kept."""

from ..problems import TrackerFileError
from .limits import (
    MAX_SHARED_STRINGS,
    SPLIT,
    Stop,
    element_cost,
    refuse,
)
from .parts import Part, integer
from .sheet import Sheet, Text, too_long


class SharedStrings(Part):
    """The shared strings part: the strings the sheet's kept cells use, and no others."""

    def __init__(self, budget, name, *, sheet: Sheet):
        super().__init__(budget, name)
        self.sheet = sheet
        self.wanted = sheet.shared
        self.last_wanted = max(sheet.shared, default=-1)
        self.strings: dict[int, str] = {}
        self.index = -1
        self.text: Text | None = None
        self.in_item = False
        self.in_phonetic = False
        self.gathering = False

    def start(self, tag, attrs):
        name = self._local.get(tag) or self.local(tag)
        if name == "si":  # the common case first, and quickly
            self.depth += 1
            budget = self.budget
            cost = element_cost(len(attrs))
            budget.elements -= cost
            self.index += 1
            if budget.elements < 0 or self.index > self.last_wanted:
                self.depth -= 1
                budget.elements += cost
                super().start(tag, attrs)  # refuses when over budget
                raise Stop  # every string a kept cell uses has been read
            if self.index >= MAX_SHARED_STRINGS:
                raise self.too_many()
            self.in_item = True
            self.text = Text(self.sheet, too_long) if self.index in self.wanted else None
        else:
            super().start(tag, attrs)

    def on_start(self, name, attrs):
        if name == "sst":
            declared = integer(attrs.get("uniqueCount"), 0)
            if declared > MAX_SHARED_STRINGS:
                raise self.too_many(declared)
        elif name == "rPh":
            self.in_phonetic = True
        elif name == "t" and self.in_item and not self.in_phonetic and self.text is not None:
            self.gathering = True

    def too_many(self, declared: int | None = None) -> TrackerFileError:
        count = f" ({declared:,})" if declared else ""
        return refuse(
            f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts{count}, more "
            f"than a tracker can use: {SPLIT}"
        )

    def data(self, text):
        if self.gathering:
            self.text.add(text)

    def on_end(self, name):
        if name == "t":
            self.gathering = False
        elif name == "rPh":
            self.in_phonetic = False
        elif name == "si":
            if self.text is not None:
                self.strings[self.index] = self.text.value().replace("x005F_", "")
            self.in_item = False
            self.text = None
