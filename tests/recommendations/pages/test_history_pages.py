"""The history pages: who changed which field from what to what, and when, partners included."""

import datetime
import re

import pytest
import time_machine

from recommendations.choices import Status

D = datetime.date
pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def entries(content: str) -> list[str]:
    return [
        text_of(item)
        for item in re.findall(r'<li class="app-timeline__item">(.*?)</li>', content, re.S)
    ]


def test_the_recommendation_history_names_who_changed_what_from_what_to_what(
    client, clerk, officer, councillor, recommendation, other_organisation
):
    with time_machine.travel(datetime.datetime(2027, 2, 3, 10, 15)):
        client.force_login(clerk)
        client.post(
            f"/recommendations/{recommendation.pk}/edit/",
            {
                "version": "1",
                "number": "3",
                "text": "That the council works with two universities.",
                "lead_organisation": str(recommendation.lead_organisation_id),
                "partners": [str(other_organisation.pk)],
                "response": "accepted",
                "response_text": "",
                "target_date_day": "31",
                "target_date_month": "3",
                "target_date_year": "2030",
            },
        )
    with time_machine.travel(datetime.datetime(2027, 3, 4, 9, 30)):
        client.force_login(officer)
        client.post(
            f"/recommendations/{recommendation.pk}/progress-updates/add/",
            {
                "as_at_day": "4",
                "as_at_month": "3",
                "as_at_year": "2027",
                "status": Status.SLIPPED,
                "narrative": "Waiting for the university.",
                "revised_target_date_day": "30",
                "revised_target_date_month": "9",
                "revised_target_date_year": "2030",
                "revision_reason": "No reply yet.",
            },
        )
        # Accepted at once, so every reader sees it, and its revised date, in the history.
        recommendation.updates.get().accept(by=clerk)

    client.force_login(councillor)
    content = client.get(f"/recommendations/{recommendation.pk}/history/").content.decode()

    newest_first = entries(content)
    assert len(newest_first) == 4
    slip, update, edit, created = newest_first
    assert slip.startswith("Changed by Olu Officer 4 March 2027 at 09:30")
    assert "Revised target date (none) 30 September 2030" in slip
    assert "Reason for revising the target date (none) No reply yet." in slip
    assert update.startswith("Progress update added by Olu Officer 4 March 2027 at 09:30")
    assert "Slipped as at 4 March 2027 Waiting for the university." in update
    assert edit.startswith("Changed by Cleo Clerk 3 February 2027 at 10:15")
    assert (
        "Recommendation That the council works with the university. "
        "That the council works with two universities." in edit
    )
    assert "Executive response Awaiting response Accepted" in edit
    assert "Partners (none) Durham Constabulary" in edit
    assert "Version" not in edit
    assert created.startswith("Created by")
    assert "Number 3" in created


def test_a_partner_removed_is_shown_leaving(client, clerk, recommendation, other_organisation):
    recommendation.partners.add(other_organisation)
    recommendation.refresh_from_db()
    client.force_login(clerk)
    client.post(
        f"/recommendations/{recommendation.pk}/edit/",
        {
            "version": "1",
            "number": "3",
            "text": recommendation.text,
            "lead_organisation": str(recommendation.lead_organisation_id),
            "response": "awaiting",
            "target_date_day": "31",
            "target_date_month": "3",
            "target_date_year": "2030",
        },
    )
    newest = entries(client.get(f"/recommendations/{recommendation.pk}/history/").content.decode())[
        0
    ]
    assert newest.startswith("Changed by Cleo Clerk")
    assert "Partners Durham Constabulary (none)" in newest


def test_the_review_history_names_who_changed_what(client, clerk, councillor, review):
    client.force_login(clerk)
    client.post(
        f"/reviews/{review.pk}/edit/",
        {
            "version": "1",
            "committee": str(review.committee_id),
            "title": "Review of cybercrime and online safety",
            "chaired_by": "Cllr H Liddle",
            "municipal_year": "2017/18",
            "report_to_executive_date_day": "13",
            "report_to_executive_date_month": "6",
            "report_to_executive_date_year": "2018",
            "status": "closed",
        },
    )
    client.force_login(councillor)
    newest = entries(client.get(f"/reviews/{review.pk}/history/").content.decode())[0]
    assert newest.startswith("Changed by Cleo Clerk")
    assert "Title Review of cybercrime Review of cybercrime and online safety" in newest
    assert "Chaired by (none) Cllr H Liddle" in newest
    assert "Status Monitoring Closed" in newest


def test_history_text_is_escaped(client, clerk, councillor, recommendation):
    recommendation.text = "<script>alert(1)</script>"
    recommendation._history_user = clerk
    recommendation.save()
    client.force_login(councillor)
    content = client.get(f"/recommendations/{recommendation.pk}/history/").content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
