"""A member's back-office page reads the user's roles once, whatever it shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_it_reads_the_roles_once_on_the_member_page(client, demo_members, operateur):
    for user in (demo_members.admin_pessac, operateur):
        client.force_login(user)
        # The first page after logging in also writes the session: measure the next one.
        client.get("/gestion/pessac/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/gestion/pessac/")
        assert response.status_code == 200
        sql = [query["sql"] for query in queries.captured_queries]
        # The grants, then the list of the member's agents: nothing else reads the roles.
        assert sum("comptes_role" in statement for statement in sql) == 2, sql
        # It was 17 queries, 11 of them on roles, before the permission table.
        assert len(sql) <= 10, sql
