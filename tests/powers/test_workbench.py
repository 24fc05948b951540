"""工作台: versions waiting for review or publication, never the reviewer's own (four eyes)."""

import datetime

from kaifaqu.core.workbench import entries_for
from kaifaqu.powers.workflow import LIST

from .conftest import claim

TODAY = datetime.date(2026, 6, 10)


def entry(user):
    return {e.key: e for e in entries_for(user, TODAY)}.get("powers-versions-to-review")


def test_the_reviewer_sees_submitted_versions_in_a_fixed_number_of_queries(world, catalogue,
                                                                          django_assert_num_queries):
    version = claim(world.clerk, catalogue["370XK0001"]).list_version
    LIST.perform(world.clerk, version, "submit")
    world.leader.scope  # noqa: B018
    from kaifaqu.powers.workbench import versions_to_review

    with django_assert_num_queries(2):
        found = versions_to_review(world.leader, world.leader.scope, TODAY)
    assert found.count == 1 and found.items[0].url == version.get_absolute_url() and found.items[0].note == "待审核"
    assert entry(world.clerk) is None  # no review permission
    assert versions_to_review(world.outsider, world.outsider.scope, TODAY).count == 0  # a reviewer of another zone
    version.refresh_from_db()
    # The leader's own submission waits for someone else.
    LIST.perform(world.leader, version, "send_back", note="补充依据")
    LIST.perform(world.leader, version, "submit")
    assert versions_to_review(world.leader, world.leader.scope, TODAY).count == 0
