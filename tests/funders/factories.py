import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from challenges.funding.services import SCORE_FIGURES, refresh_score_figures
from challenges.models import (
    Award,
    Challenge,
    ChallengeStage,
    Criterion,
    Entry,
    EntryStatus,
    Funder,
    FunderMembership,
    Question,
    Score,
)

from ..factories import SolutionFactory, UserFactory


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")
    slug = factory.Sequence(lambda n: f"funder-{n}")


class FunderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderMembership

    funder = factory.SubFactory(FunderFactory)
    user = factory.SubFactory(UserFactory)


class ChallengeFactory(factory.django.DjangoModelFactory):
    """An open challenge, deadline in a month, with two criteria (weights 3 and 1) and one question."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    funder = factory.SubFactory(FunderFactory)
    title = factory.Sequence(lambda n: f"Green challenge {n}")
    slug = factory.Sequence(lambda n: f"green-challenge-{n}")
    summary = "Cut carbon where you live."
    description = "Communities cut **carbon**."
    offer = "£20,000 and support."
    stage = ChallengeStage.OPEN
    entry_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for index, (name, weight) in enumerate(extracted or [("Impact", 3), ("Local ownership", 1)]):
            Criterion.objects.create(challenge=self, name=name, weight=weight, position=index)

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        for index, text in enumerate(extracted if extracted is not None else ["Who runs it?"]):
            Question.objects.create(challenge=self, text=text, position=index)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    challenge = factory.SubFactory(ChallengeFactory)
    solution = factory.SubFactory(SolutionFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score written directly, with the entry's stored figures refreshed as `score_entry` would."""

    class Meta:
        model = Score

    entry = factory.SubFactory(EntryFactory)
    criterion = factory.LazyAttribute(lambda o: o.entry.challenge.criteria.first())
    reviewer = factory.SubFactory(UserFactory)
    value = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        score = super()._create(model_class, *args, **kwargs)
        refresh_score_figures(entries=Entry.objects.filter(pk=score.entry_id))
        score.entry.refresh_from_db(fields=list(SCORE_FIGURES))
        return score


class AwardFactory(factory.django.DjangoModelFactory):
    """A £20,000 award to a finalist of a challenge that has announced its winners."""

    class Meta:
        model = Award

    entry = factory.SubFactory(
        EntryFactory, status=EntryStatus.FINALIST, challenge=factory.SubFactory(ChallengeFactory, stage="winners")
    )
    amount = Decimal("20000.00")
    awarded_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    title = factory.Sequence(lambda n: f"Finalist grant {n}")
