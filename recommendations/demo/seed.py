"""The demo world: the Safer and Stronger Communities committee's review of cybercrime (2017/18)
and the progress it heard on 21 January 2019, rebuilt from the minute of that meeting.

The recommendations' wording is ours: the minute gives their substance, not their text. Records are
dated as they would have been made at the time (history and recording times included), so the
appendix "as at" the meeting shows what the committee read then. Loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from reviews.models import Committee, Meeting, Organisation, Review, WorkProgrammeItem

from ..choices import Response, Status
from ..models import ProgressUpdate, Recommendation
from .loader import DemoLoader, at

COMMITTEE = "Safer and Stronger Communities Overview and Scrutiny Committee"
REVIEW = "Scrutiny Review of Cybercrime"
REPORTED_TO_CABINET = datetime.date(2018, 6, 13)
MEETING_DATE = datetime.date(2019, 1, 21)
UPDATES_AS_AT = datetime.date(2019, 1, 7)

Kind = Organisation.Kind
ORGANISATIONS = {
    "Transformation and Partnerships": Kind.COUNCIL_SERVICE,
    "Children and Young People's Services": Kind.COUNCIL_SERVICE,
    "Resources (ICT Services)": Kind.COUNCIL_SERVICE,
    "Overview and Scrutiny": Kind.COUNCIL_SERVICE,
    "Safe Durham Partnership": Kind.PARTNERSHIP,
    "Area Action Partnerships": Kind.PARTNERSHIP,
    "Durham Constabulary": Kind.POLICE,
    "North East Serious Operations Unit (NESOU)": Kind.POLICE,
    "Police, Crime and Victims' Commissioner": Kind.OTHER,
    "New College Durham": Kind.EDUCATION,
    "University of Sunderland": Kind.EDUCATION,
    "University of Bath": Kind.EDUCATION,
    "The Prince's Trust": Kind.VOLUNTARY,
    "Watersons": Kind.OTHER,
    "National Crime Agency": Kind.NATIONAL_AGENCY,
}


@dataclass
class DemoRecommendation:
    number: str
    text: str
    lead: str
    partners: list[str]
    response_text: str
    target_date: datetime.date
    status: Status
    update: str
    revised_target_date: datetime.date | None = None
    revision_reason: str = ""
    priority: bool = False
    extra: dict = field(default_factory=dict)


RECOMMENDATIONS = [
    DemoRecommendation(
        number="1",
        text=(
            "That the Safe Durham Partnership makes preventing people from becoming cybercrime "
            "offenders one of its actions, and works with partners to raise awareness that "
            "cybercrime is not a victimless crime."
        ),
        lead="Safe Durham Partnership",
        partners=[
            "Durham Constabulary",
            "North East Serious Operations Unit (NESOU)",
            "Police, Crime and Victims' Commissioner",
            "Watersons",
            "Area Action Partnerships",
        ],
        response_text=(
            "Agreed. Prevention of cybercrime offending will become an action of the Safe Durham "
            "Partnership, led through a dedicated task group."
        ),
        target_date=datetime.date(2019, 3, 31),
        status=Status.ON_TRACK,
        update=(
            "The Safer Cyber Task Group has been established with an associated action plan. "
            "Awareness raising via the NESOU and Watersons; community based initiatives involving "
            "the Police, Crime and Victims' Commissioner, Durham Constabulary and AAPs; existing "
            "events and roadshows, such as BikeWise, used to spread messages about staying safe "
            "online."
        ),
        priority=True,
    ),
    DemoRecommendation(
        number="2",
        text=(
            "That further focus sessions are held with Police Cadets and young people, to keep "
            "hearing how young people perceive cybercrime."
        ),
        lead="Transformation and Partnerships",
        partners=["Durham Constabulary", "Overview and Scrutiny"],
        response_text="Agreed. Sessions will be arranged with Durham Constabulary's Police Cadets.",
        target_date=datetime.date(2019, 3, 31),
        status=Status.ON_TRACK,
        update=(
            "An initial session with Cadets and their parents has taken place. Further work is "
            "ongoing to develop a comprehensive programme in conjunction with the Cadets."
        ),
    ),
    DemoRecommendation(
        number="3",
        text=(
            "That the Council obtains the final report of the University of Bath's research into "
            "potential links between autism and cybercrime, and considers its findings."
        ),
        lead="Transformation and Partnerships",
        partners=["University of Bath"],
        response_text=(
            "Agreed. The Council will request the final report once the research is complete."
        ),
        target_date=datetime.date(2018, 12, 31),
        status=Status.SLIPPED,
        update=(
            "Following enquiries with the university as regards a final report, no further "
            "information has been forthcoming. Several attempts have been made to contact the "
            "university and the relevant staff, with no response."
        ),
        revised_target_date=datetime.date(2019, 7, 31),
        revision_reason="No response yet from the University of Bath to repeated requests.",
    ),
    DemoRecommendation(
        number="4",
        text=(
            "That Children and Young People's Services take an active role in helping to keep "
            "young people safe online, working with teachers and young people, including a "
            "resource for schools on the consequences of hacking and the careers that computing "
            "skills can lead to."
        ),
        lead="Children and Young People's Services",
        partners=["New College Durham"],
        response_text="Agreed. Children and Young People's Services will lead this work with schools.",
        target_date=datetime.date(2019, 7, 31),
        status=Status.ON_TRACK,
        update=(
            "Children and Young People's Services are taking an active role, working with "
            "teachers and young people. The Council is working with New College Durham to "
            "develop a new resource for schools and the wider community that promotes a better "
            "understanding of the issues, highlights the consequences of hacking and the "
            "potential benefits of a positive career using those computing skills."
        ),
    ),
    DemoRecommendation(
        number="5",
        text=(
            "That cybercrime and cyber safety are included in the Safety Carousel events at "
            "secondary schools and in the work of The Prince's Trust."
        ),
        lead="Children and Young People's Services",
        partners=["The Prince's Trust"],
        response_text="Agreed.",
        target_date=datetime.date(2018, 12, 31),
        status=Status.ACHIEVED,
        update=(
            "Cybercrime and cyber safety have been added to the Safety Carousel events at "
            "secondary schools and to the work of The Prince's Trust."
        ),
    ),
    DemoRecommendation(
        number="6",
        text=(
            "That a video resource is produced to highlight to young people the risks associated "
            "with cybercrime, to be shown alongside the resource made available by the National "
            "Crime Agency."
        ),
        lead="Transformation and Partnerships",
        partners=[
            "New College Durham",
            "Children and Young People's Services",
            "Overview and Scrutiny",
            "Durham Constabulary",
            "National Crime Agency",
        ],
        response_text=(
            "Agreed in principle, subject to a partner being found to produce the video at no "
            "cost to the Council."
        ),
        target_date=datetime.date(2019, 4, 30),
        status=Status.ON_TRACK,
        update=(
            "Work with New College Durham students, supported by Children and Young People's "
            "Services, the Council's Partnerships Team, Overview and Scrutiny and Durham "
            "Constabulary, has resulted in a draft script with both positive and negative "
            "endings. Production will begin shortly and a launch event is anticipated for "
            "April 2019."
        ),
        extra={"response": Response.PARTIALLY_ACCEPTED},
    ),
    DemoRecommendation(
        number="7",
        text=(
            "That the Council explores opportunities for apprenticeships in IT and cyber security."
        ),
        lead="Resources (ICT Services)",
        partners=["University of Sunderland"],
        response_text="Agreed. Apprenticeship opportunities will be explored within ICT Services.",
        target_date=datetime.date(2019, 3, 31),
        status=Status.ACHIEVED,
        update=(
            "Six IT apprentices have been taken on by the Council, one specialising in cyber "
            "security. That apprentice gave a very inspirational presentation to the Safe Durham "
            "Partnership's Safer Cyber Task Group."
        ),
    ),
]

USERS = [
    # username, first name, last name, group, organisation, superuser
    ("councillor", "Demo", "Councillor", "Councillor", None, False),
    ("officer", "Demo", "Officer", "Officer", "Transformation and Partnerships", False),
    ("clerk", "Demo", "Clerk", "Scrutiny officer", None, False),
    ("admin", "Demo", "Administrator", None, None, True),
]


def load_seed(loader: DemoLoader) -> dict:
    """Build (or bring up to date) the world of the seed minute; returns the demo users by
    username."""
    start = at(REPORTED_TO_CABINET, 9)
    organisations = {
        name: loader.ensure(Organisation, {"name": name}, {"kind": kind}, user=None, when=start)
        for name, kind in ORGANISATIONS.items()
    }
    users = {
        username: loader.ensure_user(
            username, first, last, group, organisations.get(org or ""), superuser
        )
        for username, first, last, group, org, superuser in USERS
    }
    review = _ensure_committee_world(loader, clerk=users["clerk"], start=start)
    for item in RECOMMENDATIONS:
        _ensure_recommendation(
            loader, item, review, organisations, clerk=users["clerk"], officer=users["officer"]
        )
    return users


def _ensure_committee_world(loader: DemoLoader, *, clerk, start) -> Review:
    """The committee, the review, the meeting and its work programme; returns the review."""
    committee = loader.ensure(
        Committee,
        {"name": COMMITTEE},
        {"chair": "", "vice_chair": "Councillor H Liddle"},
        user=clerk,
        when=start,
    )
    review = loader.ensure(
        Review,
        {"title": REVIEW},
        {
            "committee": committee,
            "chaired_by": "Councillor H Liddle",
            "municipal_year": "2017/18",
            "report_to_executive_date": REPORTED_TO_CABINET,
            "status": Review.Status.MONITORING,
        },
        user=clerk,
        when=start,
    )
    meeting = loader.ensure(
        Meeting, {"committee": committee, "date": MEETING_DATE}, {}, user=clerk, when=start
    )
    loader.ensure(
        WorkProgrammeItem,
        {"committee": committee, "meeting": meeting, "review": review},
        {
            "kind": WorkProgrammeItem.Kind.PROGRESS_REPORT,
            "title": (
                "Progress of recommendations following the Overview and Scrutiny Review of "
                "Cybercrime"
            ),
        },
        user=clerk,
        when=at(datetime.date(2018, 11, 5)),
    )
    # Resolution (ii): a further progress report, not yet given a meeting.
    loader.ensure(
        WorkProgrammeItem,
        {"committee": committee, "meeting": None, "review": review},
        {
            "kind": WorkProgrammeItem.Kind.PROGRESS_REPORT,
            "title": "Further progress report on the recommendations of the review of cybercrime",
        },
        user=clerk,
        when=at(MEETING_DATE, 15),
    )
    return review


def _ensure_recommendation(loader: DemoLoader, item, review, organisations, *, clerk, officer):
    """One recommendation of the minute with its partners, revised date and progress update."""
    start = at(REPORTED_TO_CABINET, 9)
    recommendation = loader.ensure(
        Recommendation,
        {"review": review, "number": item.number},
        {
            "text": item.text,
            "lead_organisation": organisations[item.lead],
            "lead_officer": officer if item.lead == officer.organisation.name else None,
            "response": Response.ACCEPTED,
            "response_text": item.response_text,
            "target_date": item.target_date,
            "is_priority": item.priority,
            "created_at": start,
            **item.extra,
        },
        user=clerk,
        when=start,
    )
    _ensure_partners(recommendation, {organisations[name] for name in item.partners}, clerk)
    if item.revised_target_date:
        recommendation = loader.ensure(
            Recommendation,
            {"pk": recommendation.pk},
            {
                "revised_target_date": item.revised_target_date,
                "revision_reason": item.revision_reason,
            },
            user=officer,
            when=at(UPDATES_AS_AT, 11),
        )
    if not ProgressUpdate.objects.filter(
        recommendation=recommendation, as_at=UPDATES_AS_AT, narrative=item.update
    ).exists():
        update = ProgressUpdate.objects.create(
            recommendation=recommendation,
            as_at=UPDATES_AS_AT,
            status=item.status,
            narrative=item.update,
            author=officer,
            recorded_at=at(UPDATES_AS_AT, 11),
        )
        # Accepted by the clerk the day it was recorded, before the meeting.
        update.accept(by=clerk, at=update.recorded_at)
        loader.created += 1


def _ensure_partners(recommendation, partners: set, clerk) -> None:
    if set(recommendation.partners.all()) == partners:
        return
    # Just after the recommendation when it was created in this run, else now: history rows of
    # one record must never share a moment, or "as of" cannot pick one.
    recommendation._history_user = clerk
    created_in_this_run = getattr(recommendation, "_history_date", None)
    recommendation._history_date = (
        created_in_this_run + datetime.timedelta(seconds=1)
        if created_in_this_run
        else timezone.now()
    )
    recommendation.partners.set(partners)
