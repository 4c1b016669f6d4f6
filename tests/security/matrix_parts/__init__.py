"""Parts of the permission matrix, one module per feature area.

A module here may define:
- MATRIX: {url name: [Case, ...]} merged into the main table;
- PUBLIC: a set of url names anyone may read;
- EXTRA_ROLES: {role: function(world) -> user}; for cases that don't name such a role the
  expectation for "stranger" applies (e.g. a funder is a stranger to a community group);
- extend_world(world): create the objects its cases need (world.group, world.users, ... exist).

`World.extend(part)` builds a part's roles, then calls its extend_world, once per world. A part that needs
another's roles or objects calls `world.extend(other_part)` first (moderation does so for the funders'
entry), so parts may be built in any order, or alone: `test_a_part_builds_what_it_needs_in_any_order`.
"""
