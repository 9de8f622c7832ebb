"""What the API says about each public record: an explicit list of fields, dates in ISO 8601,
statuses by their codes with their labels beside. Never a person, an email, a comment, or an
update that was not accepted (`records.py` decides which rows; these, which fields)."""

from django.urls import reverse
from rest_framework import serializers

from ...choices import Status
from .. import records


class CommitteeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    title = serializers.CharField()
    committee = CommitteeSerializer()
    municipal_year = serializers.CharField()
    report_to_executive_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")

    def get_url(self, review) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:review", args=[review.pk]))

    def get_web_url(self, review) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("public:show_review", args=[review.pk])
        )


class UpdateSerializer(serializers.Serializer):
    """An accepted progress update: the organisation it came from, never its author."""

    as_at = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    narrative = serializers.CharField()
    organisation = serializers.SerializerMethodField()

    def get_organisation(self, update) -> str:
        return records.organisation_of(update)


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    review = serializers.IntegerField(source="review_id")
    review_title = serializers.CharField(source="review.title")
    committee = CommitteeSerializer(source="review.committee")
    number = serializers.CharField()
    text = serializers.CharField()
    lead_organisation = serializers.CharField(source="lead_organisation.name", allow_null=True)
    partners = serializers.SerializerMethodField()
    response = serializers.CharField()
    response_label = serializers.CharField(source="get_response_display")
    response_text = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    revised_target_date = serializers.DateField(allow_null=True)
    revision_reason = serializers.CharField()
    effective_target_date = serializers.DateField(source="effective_target", allow_null=True)
    is_overdue = serializers.BooleanField()
    current_status = serializers.CharField()
    current_status_label = serializers.CharField(source="get_current_status_display")
    last_update_date = serializers.DateField(allow_null=True)

    def get_url(self, recommendation) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:recommendation", args=[recommendation.pk])
        )

    def get_web_url(self, recommendation) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("public:show_recommendation", args=[recommendation.pk])
        )

    def get_partners(self, recommendation) -> list[str]:
        return sorted((org.name for org in recommendation.partners.all()), key=str.casefold)


class RecommendationDetailSerializer(RecommendationSerializer):
    updates = UpdateSerializer(source="accepted_updates", many=True)


class AppendixSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    review = serializers.IntegerField(source="review_id")
    number = serializers.IntegerField()
    as_at = serializers.DateField()
    meeting_date = serializers.DateField(source="meeting.date")
    published_at = serializers.DateTimeField()
    pdf_sha256 = serializers.CharField()
    pdf_url = serializers.SerializerMethodField()

    def get_url(self, appendix) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:appendix", args=[appendix.pk])
        )

    def get_pdf_url(self, appendix) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("public:download_appendix_pdf", args=[appendix.pk])
        )


class ReviewDetailSerializer(ReviewSerializer):
    recommendations = RecommendationSerializer(source="public_recommendations", many=True)
    appendices = AppendixSerializer(source="public_appendices", many=True)


class RecommendationFilters(serializers.Serializer):
    """The recommendations list's filters, checked: a bad value is a 400 saying which."""

    committee = serializers.IntegerField(required=False, min_value=1, max_value=records.LARGEST_ID)
    review = serializers.IntegerField(required=False, min_value=1, max_value=records.LARGEST_ID)
    status = serializers.ChoiceField(required=False, choices=Status.choices)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    updated_since = serializers.DateField(required=False)
