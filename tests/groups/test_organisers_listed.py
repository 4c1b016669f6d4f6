"""The group page lists its owners and organisers (not its members), owners first, then in the order they
joined, with their names and roles, read in the group's own query (`selectors.group_detail`:
`Group.organisers`), not a query of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import selectors

from ..factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def people(html):
    start = html.index('id="people-title"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def group():
    """An organiser joined before the owner (ownership passed on, say): the owner is still listed first."""
    group = GroupFactory(slug="warm-homes")
    MembershipFactory(group=group, role="organiser", user=UserFactory(display_name="Aled"))
    MembershipFactory(group=group, role="member", user=UserFactory(display_name="Just A Member"))
    MembershipFactory(group=group, role="owner", user=UserFactory(display_name='Siân "Tom" <b>Jones</b> & co'))
    MembershipFactory(group=group, role="organiser", user=UserFactory(display_name="Bethan"))
    return group


def test_owners_then_organisers_are_listed_with_their_roles(client, group):
    html = people(client.get(group.get_absolute_url()).content.decode())
    assert (
        '<li>Siân &quot;Tom&quot; &lt;b&gt;Jones&lt;/b&gt; &amp; co <span class="meta">(Owner)</span></li>'
        '<li>Aled <span class="meta">(Organiser)</span></li>'
        '<li>Bethan <span class="meta">(Organiser)</span></li>'
    ) in html
    assert "Just A Member" not in html


def test_welsh_pages_name_the_roles_in_welsh(client, group):
    from django.utils import translation

    with translation.override("cy"):
        url = group.get_absolute_url()
        owner, organiser = translation.gettext("Owner"), translation.gettext("Organiser")
    assert owner != "Owner"
    html = people(client.get(url).content.decode())
    assert f'<span class="meta">({owner})</span>' in html and f'<span class="meta">({organiser})</span>' in html


def test_a_group_without_organisers_has_no_section(client):
    group = GroupFactory()
    MembershipFactory(group=group, role="member")
    assert 'id="people-title"' not in client.get(group.get_absolute_url()).content.decode()


def test_the_organisers_come_with_the_group(group, django_assert_num_queries):
    with django_assert_num_queries(1):
        read = selectors.group_detail(slug="warm-homes").get()
        assert [(person.name, person.role) for person in read.organisers] == [
            ('Siân "Tom" <b>Jones</b> & co', "owner"),
            ("Aled", "organiser"),
            ("Bethan", "organiser"),
        ]


def test_a_group_read_any_other_way_still_has_its_organisers(group):
    from groups.models import Group

    assert [person.name for person in Group.objects.get(pk=group.pk).organisers] == [
        'Siân "Tom" <b>Jones</b> & co',
        "Aled",
        "Bethan",
    ]


def test_the_page_reads_no_memberships_of_its_own(client, group):
    client.get(group.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(group.get_absolute_url())
    assert not any(query["sql"].startswith('SELECT "groups_membership"') for query in queries.captured_queries)
