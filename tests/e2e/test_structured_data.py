"""schema.org markup in a real browser: the data block loads under the Content-Security-Policy (no console
error: the conftest fails the test on any) and reads back as the page's group and action."""

import json

from groups.models import Group

from ..factories import GroupFactory
from ..residents.factories import ActionFactory


def structured_data(page):
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    return json.loads(scripts.text_content())


def test_group_and_action_pages_carry_their_markup_without_a_csp_error(page, transactional_db):
    group = GroupFactory(name="Kendal Green Streets", name_cy="Strydoedd Gwyrdd Kendal")
    # What people wrote may hold anything that would end a script element early.
    Group.objects.filter(pk=group.pk).update(summary="Trees </script><script>alert(1)</script> & shade")
    action = ActionFactory(group=group, title="Tree planting", description="Bring <b>gloves</b> </script>")

    response = page.goto(group.get_absolute_url())
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = structured_data(page)
    assert data["@type"] == "Organization" and data["name"] == "Kendal Green Streets"
    assert data["description"] == "Trees </script><script>alert(1)</script> & shade"

    page.goto(action.get_absolute_url())
    data = structured_data(page)
    assert data["@type"] == "Event" and data["name"] == "Tree planting"
    assert data["description"] == "Bring <b>gloves</b> </script>"

    page.goto("/cy" + group.get_absolute_url())
    assert structured_data(page)["name"] == "Strydoedd Gwyrdd Kendal"
