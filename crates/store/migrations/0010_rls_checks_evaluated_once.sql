-- Row-level security that scales with the rows a query reads.
--
-- `attest.can_see_person` and `attest.can_see_credentials` contain a subquery, so PostgreSQL
-- cannot inline them: as the policies of large tables they ran once per row (100,000 credentials:
-- over a second). These policies say the same thing with the per-transaction checks written as
-- scalar subqueries — `(select attest.has_permission(…))`, `(select attest.current_user_id())` —
-- which PostgreSQL evaluates once per statement, and the crew check as one uncorrelated subquery
-- (a hashed set), so an organisation-wide reader pays nothing per row and a supervisor one hash
-- probe. Same rules as before: self; the supervisor of a crew the person belongs to; the
-- organisation (`…read.org`).

-- The people in the crews the current user supervises. Security invoker: `crews` and
-- `crew_members` apply their own row-level security inside.
create function attest.supervised_people() returns setof uuid
    language sql stable parallel safe
    as $$
        select cm.user_id
        from attest.crew_members cm
        join attest.crews c on c.org_id = cm.org_id and c.crew_id = cm.crew_id
        where c.org_id = attest.current_org_id() and c.supervisor_id = attest.current_user_id()
    $$;
revoke all on function attest.supervised_people() from public;
grant execute on function attest.supervised_people() to attest_app;

drop policy users_select on attest.users;
create policy users_select on attest.users for select
    using (org_id = attest.current_org_id() and (
        (select attest.has_permission('people.read.org'))
        or user_id = (select attest.current_user_id())
        or ((select attest.has_permission('people.read.crew')) and user_id in (select attest.supervised_people()))));

drop policy memberships_select on attest.memberships;
create policy memberships_select on attest.memberships for select
    using (org_id = attest.current_org_id() and (
        (select attest.has_permission('people.read.org'))
        or user_id = (select attest.current_user_id())
        or ((select attest.has_permission('people.read.crew')) and user_id in (select attest.supervised_people()))));

drop policy worker_job_roles_select on attest.worker_job_roles;
create policy worker_job_roles_select on attest.worker_job_roles for select
    using (org_id = attest.current_org_id() and (
        (select attest.has_permission('people.read.org'))
        or user_id = (select attest.current_user_id())
        or ((select attest.has_permission('people.read.crew')) and user_id in (select attest.supervised_people()))));

drop policy credentials_select on attest.credentials;
create policy credentials_select on attest.credentials for select
    using (org_id = attest.current_org_id() and (
        (select attest.has_permission('credentials.read.org'))
        or (user_id = (select attest.current_user_id()) and (select attest.has_permission('credentials.read.self')))
        or ((select attest.has_permission('credentials.read.crew')) and user_id in (select attest.supervised_people()))));
