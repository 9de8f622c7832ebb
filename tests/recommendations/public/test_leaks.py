"""The leak test: walk everything the public can reach, every link of every public page, every
URL in every API answer (so every page of every list), the sitemap and the CSV, and find no trace
of anything private: no user's name, username or email, no comment, no submitted or returned
update, nothing of the private review. Every text of the world that must stay private carries the
mark "secret" (see conftest.py), so one search finds any of them.

The API's fields are checked against an explicit list, in the answers and in the OpenAPI document,
so a field added to a serializer fails here until someone decides it is public.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from reviews.models import User

pytestmark = pytest.mark.django_db

ALLOWED_API_FIELDS = {
    # lists
    "count",
    "next",
    "previous",
    "results",
    # reviews and committees
    "id",
    "url",
    "web_url",
    "title",
    "committee",
    "name",
    "municipal_year",
    "report_to_executive_date",
    "status",
    "status_label",
    "recommendations",
    "appendices",
    # recommendations
    "review",
    "review_title",
    "number",
    "text",
    "lead_organisation",
    "partners",
    "response",
    "response_label",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
    "effective_target_date",
    "is_overdue",
    "current_status",
    "current_status_label",
    "last_update_date",
    "updates",
    # accepted updates
    "as_at",
    "narrative",
    "organisation",
    # appendices
    "meeting_date",
    "published_at",
    "pdf_sha256",
    "pdf_url",
}

STARTS = [
    "/public/",
    "/public/sitemap.xml",
    "/public/recommendations.csv",
    "/public/search/?q=recommendation",
    "/public/search/?q=Secretsubmitted",
    "/public/search/?q=Secretprivate",
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/reviews/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/?status=achieved",
    "/api/v1/recommendations/?status=slipped",
    "/api/v1/appendices/",
]
PUBLIC_PREFIXES = ("/public/", "/api/v1/")


def links_in(response) -> list[str]:
    content_type = response["Content-Type"]
    if content_type.startswith("application/json"):
        return [value for value in strings_in(response.json()) if value.startswith("http")]
    if content_type.startswith(("text/html", "application/xml")):
        text = response.content.decode()
        return re.findall(r'href="([^"]+)"', text) + re.findall(r"<loc>([^<]+)</loc>", text)
    return []


def strings_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, str):
        yield value


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_in(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_in(item) for item in value))
    return set()


def walk(client) -> dict[str, object]:
    """Every public address reachable from the starts, with its response."""
    seen: dict[str, object] = {}
    queue = list(STARTS)
    while queue:
        url = queue.pop()
        parts = urlsplit(urljoin("http://testserver/", url.replace("&amp;", "&")))
        if parts.netloc != "testserver" or not parts.path.startswith(PUBLIC_PREFIXES):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = response
        queue.extend(links_in(response))
    return seen


def private_words() -> list[str]:
    words = ["secret", "Clerkfirst", "Clerklast"]
    for user in User.objects.all():
        words += [user.username, user.email, user.first_name, user.last_name]
    return [word for word in words if word]


def test_nothing_private_is_reachable_from_anywhere_public(client, world):
    pages = walk(client)
    words = private_words()

    assert "/api/v1/recommendations/?page=2" in pages  # every page of the lists was walked
    assert f"/public/recommendations/{world.public_recommendations[-1].pk}/" in pages
    assert f"/public/appendices/{world.appendix.pk}/pdf/" in pages
    for path, response in pages.items():
        if response["Content-Type"] == "application/pdf":
            continue
        text = response.content.decode("utf-8-sig").casefold()
        # A search page repeats the words searched for: what it finds is what counts.
        for searched in re.findall(r"[?&]q=([^&]+)", path):
            text = text.replace(searched.casefold(), "")
        for word in words:
            assert word.casefold() not in text, f"{word!r} leaks on {path}"


def test_the_walk_does_find_text_that_is_public(client, world):
    """The test above could not pass by seeing nothing."""
    pages = walk(client)
    everything = "".join(
        response.content.decode("utf-8-sig")
        for response in pages.values()
        if response["Content-Type"] != "application/pdf"
    )

    assert "Public narrative: campaign launched." in everything
    assert "Public reason for accepting." in everything
    assert "Durham Constabulary" in everything


def test_every_api_answer_has_only_the_allowed_fields(client, world):
    pages = walk(client)
    answers = [
        response.json()
        for path, response in pages.items()
        if path.startswith("/api/v1/") and response["Content-Type"] == "application/json"
    ]

    assert len(answers) > 55
    assert set().union(*(keys_in(answer) for answer in answers)) <= ALLOWED_API_FIELDS


def test_the_openapi_document_offers_only_the_allowed_fields(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    properties = set()
    for component in schema["components"]["schemas"].values():
        properties |= set(component.get("properties", {}))

    assert properties
    assert properties <= ALLOWED_API_FIELDS
