"""The single source of status and response words: codes, labels, tag colours, and the words that
tracker imports accept for each. Forms, tags, imports and exports all read from here."""

import re

from django.db import models


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    SLIPPED = "slipped", "Slipped"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    ACHIEVED = "achieved", "Achieved"
    NO_LONGER_APPLICABLE = "no_longer_applicable", "No longer applicable"

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG_COLOURS[self]

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS[self]


# GOV.UK tag modifier for each status (govuk-tag--grey and so on).
STATUS_TAG_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "green",
    Status.SLIPPED: "yellow",
    Status.NOT_ACHIEVED: "red",
    Status.ACHIEVED: "blue",
    Status.NO_LONGER_APPLICABLE: "purple",
}

STATUS_MEANINGS = {
    Status.NOT_STARTED: "Nothing has happened yet.",
    Status.ON_TRACK: "Progressing, and not yet due.",
    Status.SLIPPED: "Behind its target date or plan. Give a revised target date and the reason.",
    Status.NOT_ACHIEVED: "Will not be delivered as recommended. Say why in the update.",
    Status.ACHIEVED: "Done. The committee will decide whether to sign it off.",
    Status.NO_LONGER_APPLICABLE: "Superseded or overtaken by events. Say why in the update.",
}

# Statuses after which nothing more is expected of the officer.
FINISHED_STATUSES = (Status.ACHIEVED, Status.NO_LONGER_APPLICABLE)

STATUS_WORDS = {
    Status.ACHIEVED: ["complete", "completed", "implemented", "fully implemented", "done"],
    Status.ON_TRACK: ["in progress", "ongoing", "work in progress", "under implementation"],
    Status.SLIPPED: ["behind schedule", "delayed"],
    Status.NOT_ACHIEVED: ["off track", "not implemented"],
    Status.NOT_STARTED: ["not yet started"],
    Status.NO_LONGER_APPLICABLE: ["superseded", "overtaken by events", "withdrawn"],
}


class Response(models.TextChoices):
    AWAITING = "awaiting", "Awaiting response"
    ACCEPTED = "accepted", "Accepted"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    NOTED = "noted", "Noted"


# Leading words that mean each response in imported files; longest match wins, so
# "not accepted" is never read as "accepted" and "accepted in part" never as "accepted".
RESPONSE_WORDS = {
    Response.AWAITING: ["awaiting", "pending", "under consideration", "under examination"],
    Response.ACCEPTED: ["accepted", "agreed", "accept", "concur"],
    Response.PARTIALLY_ACCEPTED: [
        "partially accepted",
        "accepted in part",
        "partly accepted",
        "agreed in part",
        "accepted in principle",
    ],
    Response.NOT_ACCEPTED: ["not accepted", "rejected", "not agreed", "declined", "did not concur"],
    Response.NOTED: ["noted"],
}


class Closure(models.TextChoices):
    IMPLEMENTED = "implemented", "Implemented"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    NO_LONGER_APPLICABLE = "no_longer_applicable", "No longer applicable"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("_", " ")).strip().lower()


def parse_status(text: str) -> Status | None:
    """A status from its code, its label or one of the words trackers use; None when unknown."""
    wanted = _normalise(text)
    for status in Status:
        if wanted in {_normalise(status.value), _normalise(status.label)}:
            return status
        if wanted in STATUS_WORDS[status]:
            return status
    return None


def parse_response(text: str) -> Response | None:
    """A response from the leading words of a cell (blank means awaiting); None when unknown."""
    wanted = _normalise(text)
    if not wanted:
        return Response.AWAITING
    candidates = [(response.value, response) for response in Response]
    candidates += [(_normalise(response.label), response) for response in Response]
    candidates += [(word, response) for response, words in RESPONSE_WORDS.items() for word in words]
    best = None
    for word, response in candidates:
        word = _normalise(word)
        if re.match(re.escape(word) + r"\b", wanted) and (best is None or len(word) > len(best[0])):
            best = (word, response)
    return best[1] if best else None
