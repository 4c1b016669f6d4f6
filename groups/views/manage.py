"""Views that change a group: create, edit, members and invitations."""
