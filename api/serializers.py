"""The JSON of each resource. Field names are stable within /api/v1/: add, never rename or remove.

Every resource has `url` (itself in the API) and `web_url` (its page on the site, in English; the Welsh
page is the same address under /cy/). Codes (kind of area, region, stage, status) are the values listed in
the OpenAPI document; texts are as their authors wrote them, in the language `language` says.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from challenges.funding.threesixtygiving import grant_id, publisher_prefix
from challenges.models import Award, Challenge, Entry, MetricReading, Solution, SolutionMetric, Update, UpdateImage
from core.reversing import reverse_fast
from groups.models import Action, ChallengeArea, Group

# Fields whose representation of a model's value is the value itself (a model's str, int, float or bool, or
# None): `_Direct` reads them straight off the object instead of through DRF's per-field machinery.
_DIRECT_FIELDS = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.BooleanField,
    serializers.ChoiceField,
)


def _reader(field):
    """How `_Direct` reads one field: straight off the object, or as DRF's Serializer.to_representation does."""
    if type(field) in _DIRECT_FIELDS and field.source_attrs and field.source != "*":
        attrs = tuple(field.source_attrs)

        def direct(instance):
            for attr in attrs:
                if instance is None:
                    return None
                instance = getattr(instance, attr)
            return instance

        return direct

    def through_drf(instance):
        attribute = field.get_attribute(instance)
        check = attribute.pk if isinstance(attribute, serializers.PKOnlyObject) else attribute
        return None if check is None else field.to_representation(attribute)

    return through_drf


class _Direct:
    """DRF's representation, field for field, in a third of the time: plain values are read straight off the
    object (lists of 50 to 200 items made DRF's per-field calls most of an API page's cost). The plan is
    made once per serializer object: a list's child serializer makes it once for all its items.
    tests/api/test_serializers.py checks the result equals DRF's own."""

    def to_representation(self, instance):
        plan = self.__dict__.get("_direct_plan")
        if plan is None:
            plan = self.__dict__["_direct_plan"] = [(f.field_name, _reader(f)) for f in self._readable_fields]
        return {name: read(instance) for name, read in plan}


def _absolute(serializer, path):
    """The absolute address of `path`: the request's scheme and host are read once per answer (the
    context is shared by every item's serializer)."""
    context = serializer.context
    origin = context.get("_origin")
    if origin is None:
        request = context.get("request")
        origin = context["_origin"] = request.build_absolute_uri("/")[:-1] if request is not None else ""
    return origin + path


class _Links(serializers.Serializer):
    """`url` and `web_url` for a resource: subclasses say how to reverse each."""

    url = serializers.SerializerMethodField(help_text="This resource in the API.")
    web_url = serializers.SerializerMethodField(help_text="Its page on the site.")

    def api_path(self, obj):  # pragma: no cover - every subclass says
        raise NotImplementedError

    def web_path(self, obj):
        return obj.get_absolute_url()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return _absolute(self, self.api_path(obj))

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj):
        return _absolute(self, self.web_path(obj))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad query parameters: the messages for each parameter.",
    )


class ChallengeAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeArea
        fields = ["slug", "name", "name_cy", "description", "description_cy"]


class GroupRefSerializer(_Direct, _Links, serializers.ModelSerializer):
    """A group named from another resource."""

    class Meta:
        model = Group
        fields = ["slug", "name", "name_cy", "url", "web_url"]

    def api_path(self, obj):
        return reverse_fast("api:group", slug=obj.slug)

    def web_path(self, obj):
        return reverse_fast("groups:detail", slug=obj.slug)


class GroupSerializer(_Direct, _Links, serializers.ModelSerializer):
    challenge_areas = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text="Slugs of the challenges it works on."
    )
    solutions_url = serializers.SerializerMethodField(help_text="Its published solutions.")
    peers_url = serializers.SerializerMethodField(help_text="Groups in similar local contexts, with reasons.")
    actions_url = serializers.SerializerMethodField(help_text="Its actions.")

    class Meta:
        model = Group
        fields = [
            "id",
            "slug",
            "name",
            "name_cy",
            "summary",
            "summary_cy",
            "language",
            "place_name",
            "postcode_district",
            "latitude",
            "longitude",
            "area_kind",
            "region",
            "population",
            "deprivation_decile",
            "challenge_areas",
            "created_at",
            "updated_at",
            "url",
            "web_url",
            "solutions_url",
            "peers_url",
            "actions_url",
        ]

    def api_path(self, obj):
        return reverse_fast("api:group", slug=obj.slug)

    def web_path(self, obj):
        return reverse_fast("groups:detail", slug=obj.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_solutions_url(self, obj):
        return _absolute(self, f"{reverse_fast('api:solutions')}?group={obj.slug}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_peers_url(self, obj):
        return _absolute(self, reverse_fast("api:group_peers", slug=obj.slug))

    @extend_schema_field(OpenApiTypes.URI)
    def get_actions_url(self, obj):
        return _absolute(self, f"{reverse_fast('api:actions')}?group={obj.slug}")


class GroupDetailSerializer(GroupSerializer):
    class Meta(GroupSerializer.Meta):
        fields = [*GroupSerializer.Meta.fields[:6], "description", *GroupSerializer.Meta.fields[6:]]


class ReadingSerializer(_Direct, serializers.ModelSerializer):
    class Meta:
        model = MetricReading
        fields = ["measured_on", "value"]


class SolutionMetricSerializer(_Direct, serializers.ModelSerializer):
    name = serializers.CharField(source="metric.name")
    unit = serializers.CharField(source="metric.unit")
    shared = serializers.BooleanField(
        source="metric.is_shared", help_text="A metric every group may measure (so solutions can be compared)."
    )
    readings = ReadingSerializer(many=True, read_only=True, help_text="Oldest first.")

    class Meta:
        model = SolutionMetric
        fields = ["name", "unit", "shared", "target", "readings"]


class SolutionSerializer(_Direct, _Links, serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True)
    challenge_area = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    approach_tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    language = serializers.CharField(source="group.language", help_text="The language its group writes in.")
    metrics = SolutionMetricSerializer(source="solution_metrics", many=True, read_only=True)
    updates_url = serializers.SerializerMethodField(help_text="Its progress updates.")

    class Meta:
        model = Solution
        fields = [
            "id",
            "slug",
            "title",
            "group",
            "challenge_area",
            "stage",
            "approach_tags",
            "language",
            "problem",
            "approach",
            "why_here",
            "who_involved",
            "resources_needed",
            "metrics",
            "created_at",
            "updated_at",
            "url",
            "web_url",
            "updates_url",
        ]

    def api_path(self, obj):
        return reverse_fast("api:solution", pk=obj.pk)

    def web_path(self, obj):
        return reverse_fast("challenges:solution", group_slug=obj.group.slug, slug=obj.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_updates_url(self, obj):
        return _absolute(self, f"{reverse_fast('api:updates')}?solution={obj.pk}")


class ImageSerializer(_Direct, serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = UpdateImage
        fields = ["image", "alt_text"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, obj):
        return _absolute(self, obj.image.url)


class UpdateSerializer(_Direct, _Links, serializers.ModelSerializer):
    solution = serializers.SerializerMethodField(help_text="The solution it reports on, in the API.")
    group = GroupRefSerializer(source="solution.group", read_only=True)
    language = serializers.CharField(source="solution.group.language")
    images = ImageSerializer(many=True, read_only=True)
    has_lessons = serializers.SerializerMethodField(help_text="It says what worked, what didn't or what to change.")

    class Meta:
        model = Update
        fields = [
            "id",
            "title",
            "solution",
            "group",
            "language",
            "body",
            "what_worked",
            "what_didnt",
            "do_differently",
            "has_lessons",
            "images",
            "published_at",
            "url",
            "web_url",
        ]

    def api_path(self, obj):
        return reverse_fast("api:update", pk=obj.pk)

    def web_path(self, obj):
        solution = obj.solution
        return reverse_fast("challenges:update", group_slug=solution.group.slug, slug=solution.slug, pk=obj.pk)

    @extend_schema_field(OpenApiTypes.URI)
    def get_solution(self, obj):
        return _absolute(self, reverse_fast("api:solution", pk=obj.solution_id))

    def get_has_lessons(self, obj) -> bool:
        return bool(obj.what_worked or obj.what_didnt or obj.do_differently)


class ActionSerializer(_Direct, _Links, serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True)
    language = serializers.CharField(source="group.language")
    place_name = serializers.SerializerMethodField(help_text="Where it happens (its group's place if it has none).")
    postcode_district = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "group",
            "language",
            "description",
            "starts_at",
            "ends_at",
            "status",
            "place_name",
            "postcode_district",
            "latitude",
            "longitude",
            "capacity",
            "accessible",
            "accessibility_notes",
            "url",
            "web_url",
        ]

    def api_path(self, obj):
        return reverse_fast("api:action", pk=obj.pk)

    def web_path(self, obj):
        return reverse_fast("groups:action", slug=obj.group.slug, pk=obj.pk)

    # Without a place of its own an action is where its group is (as its page says).
    def _own_place(self, obj):
        return bool(obj.place_name)

    def get_place_name(self, obj) -> str:
        return obj.place_name if self._own_place(obj) else obj.group.place_name

    def get_postcode_district(self, obj) -> str:
        return obj.postcode_district if self._own_place(obj) else obj.group.postcode_district

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_latitude(self, obj) -> float | None:
        return obj.latitude if self._own_place(obj) else obj.group.latitude

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_longitude(self, obj) -> float | None:
        return obj.longitude if self._own_place(obj) else obj.group.longitude


class FunderRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    web_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj):
        return _absolute(self, reverse_fast("challenges:funder", slug=obj.slug))


class ChallengeSerializer(_Direct, _Links, serializers.ModelSerializer):
    funder = FunderRefSerializer(read_only=True)
    challenge_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    entry_count = serializers.IntegerField(read_only=True, help_text="Entries the moderators have not hidden.")
    eligible_regions = serializers.ListField(child=serializers.CharField(), help_text="Empty: any region.")
    eligible_area_kinds = serializers.ListField(child=serializers.CharField(), help_text="Empty: any kind of area.")

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "title",
            "funder",
            "language",
            "summary",
            "stage",
            "challenge_areas",
            "eligible_regions",
            "eligible_area_kinds",
            "offer_total",
            "entry_deadline",
            "shortlist_on",
            "finalists_on",
            "winners_on",
            "entry_count",
            "created_at",
            "updated_at",
            "url",
            "web_url",
        ]

    def api_path(self, obj):
        return reverse_fast("api:challenge", slug=obj.slug)


class EntrySerializer(_Direct, serializers.ModelSerializer):
    solution = serializers.SerializerMethodField(help_text="The solution entered, in the API.")
    solution_title = serializers.CharField(source="solution.title")
    group = GroupRefSerializer(source="solution.group", read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "status", "solution", "solution_title", "group", "created_at", "web_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_solution(self, obj):
        return _absolute(self, reverse_fast("api:solution", pk=obj.solution_id))

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj):
        slug = self.context["challenge"].slug  # entries are listed under their challenge: no query each
        return _absolute(self, reverse_fast("challenges:entry", slug=slug, pk=obj.pk))


class AwardSerializer(_Direct, serializers.ModelSerializer):
    """What a funder awarded an entry, as its challenge's page and 360Giving file publish it."""

    threesixtygiving_id = serializers.SerializerMethodField(help_text="The grant's identifier in the 360Giving files.")
    challenge = serializers.SerializerMethodField(help_text="The challenge, in the API.")
    entry = serializers.IntegerField(source="entry_id", help_text="The entry awarded (see the challenge's entries).")
    solution = serializers.SerializerMethodField(help_text="The solution entered, in the API.")
    group = GroupRefSerializer(source="entry.solution.group", read_only=True)
    funder = FunderRefSerializer(source="entry.challenge.funder", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "threesixtygiving_id",
            "title",
            "description",
            "amount",
            "currency",
            "awarded_on",
            "challenge",
            "entry",
            "solution",
            "group",
            "funder",
        ]

    def get_threesixtygiving_id(self, obj) -> str:
        return grant_id(obj.pk, prefix=publisher_prefix())

    @extend_schema_field(OpenApiTypes.URI)
    def get_challenge(self, obj):
        return _absolute(self, reverse_fast("api:challenge", slug=obj.entry.challenge.slug))

    @extend_schema_field(OpenApiTypes.URI)
    def get_solution(self, obj):
        return _absolute(self, reverse_fast("api:solution", pk=obj.entry.solution_id))


class ChallengeDetailSerializer(ChallengeSerializer):
    entries = serializers.SerializerMethodField(help_text="The entries its page shows anyone, winners first.")
    awards = serializers.SerializerMethodField(help_text="What the funder awarded those entries, oldest first.")
    threesixtygiving_json = serializers.SerializerMethodField(
        help_text="Its awards in the 360Giving Data Standard (JSON); null while it has none."
    )
    threesixtygiving_csv = serializers.SerializerMethodField(help_text="The same as a spreadsheet (CSV).")

    class Meta(ChallengeSerializer.Meta):
        fields = [
            *ChallengeSerializer.Meta.fields[:5],
            "description",
            "offer",
            *ChallengeSerializer.Meta.fields[5:],
            "entries",
            "awards",
            "threesixtygiving_json",
            "threesixtygiving_csv",
        ]

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, obj):
        return EntrySerializer(self.context["entries"], many=True, context=self.context).data

    @extend_schema_field(AwardSerializer(many=True))
    def get_awards(self, obj):
        return AwardSerializer(self.context["awards"], many=True, context=self.context).data

    def _export(self, obj, name):
        return _absolute(self, reverse_fast(name, slug=obj.slug)) if self.context["awards"] else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_threesixtygiving_json(self, obj):
        return self._export(obj, "challenges:awards_360giving_json")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_threesixtygiving_csv(self, obj):
        return self._export(obj, "challenges:awards_360giving_csv")


class PeerSerializer(_Direct, serializers.Serializer):
    group = GroupRefSerializer(source="peer", read_only=True)
    rank = serializers.IntegerField(help_text="1 is the closest match.")
    score = serializers.FloatField(help_text="How similar, 0 to 1: place and approach together.")
    place_score = serializers.FloatField(help_text="How similar their local contexts are, 0 to 1.")
    approach_score = serializers.FloatField(help_text="How similar their challenges, approaches and words are.")
    ahead_score = serializers.FloatField(help_text="How far further along the peer is (0: not ahead).")
    area_kind = serializers.CharField(source="peer.area_kind")
    region = serializers.CharField(source="peer.region")
    place_name = serializers.CharField(source="peer.place_name")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why they were matched, in English.")
