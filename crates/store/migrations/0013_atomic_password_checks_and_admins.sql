-- Two state changes that concurrent requests could race through.

-- One password check per account at a time. Signing in and re-authenticating first claim the
-- check with one statement that also tests the lock and the delay, then hash with no connection
-- held, then record the outcome and release the claim. A concurrent attempt finds the claim and
-- is refused without being evaluated, so ten simultaneous guesses are one guess, and none is
-- evaluated after the lock. A claim left by a server that died expires by itself.
alter table attest.sign_in_state add column attempt_until timestamptz;

comment on column attest.sign_in_state.attempt_until is
    'While set and in the future, a password check of this account is under way; others are refused.';

-- An organisation always keeps an active administrator. The server checks before it demotes or
-- suspends one, but two administrators demoting each other at once would each see the other
-- still in place. This trigger takes a per-organisation advisory lock (held to the end of the
-- transaction) before it counts, so such changes happen one after the other and the second one
-- sees the first: it fails with the named constraint, which the server reports as `last_admin`.
create function attest.keep_an_active_admin() returns trigger
language plpgsql
set search_path = pg_catalog, attest
as $$
declare
    admin_role uuid;
begin
    select role_id into admin_role from attest.roles where org_id = old.org_id and key = 'org_admin';
    if admin_role is null or old.role_id <> admin_role or old.status <> 'active' then
        return null;
    end if;
    if tg_op = 'UPDATE' and new.role_id = admin_role and new.status = 'active' then
        return null;
    end if;
    -- Deleting the organisation itself takes every membership with it.
    if tg_op = 'DELETE' and not exists (select 1 from attest.organisations where org_id = old.org_id) then
        return null;
    end if;
    perform pg_advisory_xact_lock(hashtextextended('attest.admins:' || old.org_id::text, 0));
    if not exists (select 1 from attest.memberships m
                   where m.org_id = old.org_id and m.role_id = admin_role and m.status = 'active') then
        raise exception 'the organisation needs at least one active administrator'
            using errcode = 'check_violation', constraint = 'memberships_last_admin';
    end if;
    return null;
end;
$$;

create trigger memberships_keep_an_active_admin
    after update or delete on attest.memberships
    for each row execute function attest.keep_an_active_admin();
