-- Badges (issue 6): each worker's pseudonymous badge subject and status-list index, the
-- organisation's status list (one bit per index, set when badges under it must no longer pass),
-- the platform's trust-bundle signing key, and gate scans (idempotent, so an offline scan synced
-- twice is recorded once).

-- The platform signs trust bundles with its own key, apart from the token key.
alter table directory.signing_keys drop constraint signing_keys_purpose_check;
alter table directory.signing_keys add constraint signing_keys_purpose_check
    check (purpose in ('tokens', 'bundle'));

-- Rotating an organisation's badge key retires it (it keeps verifying the badges it signed).
grant update (retired_at) on attest.org_keys to attest_app;

-- The organisation's status list: its length (the next index to hand out).
create table attest.badge_status_lists (
    org_id uuid not null,
    next_index integer not null default 0,
    changed_at timestamptz not null default now(),
    constraint badge_status_lists_pkey primary key (org_id),
    constraint badge_status_lists_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint badge_status_lists_next_index_check check (next_index >= 0)
);

-- A worker's badge subject (a pseudonym: 12 base64url characters) and the status-list index
-- their current badges carry.
create table attest.badge_holders (
    org_id uuid not null,
    user_id uuid not null,
    subject text not null,
    status_index integer not null,
    constraint badge_holders_pkey primary key (org_id, user_id),
    constraint badge_holders_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint badge_holders_subject_key unique (org_id, subject),
    constraint badge_holders_index_key unique (org_id, status_index),
    constraint badge_holders_subject_check check (subject ~ '^[A-Za-z0-9_-]{12}$')
);

-- Set bits of the status list: badges carrying this index no longer pass.
create table attest.badge_revocations (
    org_id uuid not null,
    status_index integer not null,
    revoked_at timestamptz not null default now(),
    reason text not null,
    constraint badge_revocations_pkey primary key (org_id, status_index),
    constraint badge_revocations_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint badge_revocations_reason_check check (reason in ('credential_suspended', 'credential_revoked', 'credential_removed', 'membership_suspended'))
);

-- Gate scans sent to the server (online, or synced after an offline scan), keyed by the scanning
-- device's idempotency key.
create table attest.badge_scans (
    org_id uuid not null,
    scan_id uuid not null,
    scanned_by uuid not null,
    scanned_at timestamptz not null,
    received_at timestamptz not null default now(),
    valid boolean not null,
    reason text,
    subject_user_id uuid,
    constraint badge_scans_pkey primary key (org_id, scan_id),
    constraint badge_scans_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade
);

alter table attest.badge_status_lists enable row level security;
alter table attest.badge_status_lists force row level security;
alter table attest.badge_holders enable row level security;
alter table attest.badge_holders force row level security;
alter table attest.badge_revocations enable row level security;
alter table attest.badge_revocations force row level security;
alter table attest.badge_scans enable row level security;
alter table attest.badge_scans force row level security;

-- The list (its length and bits) is public within the organisation: it is published to gates.
create policy badge_status_lists_select on attest.badge_status_lists for select
    using (org_id = attest.current_org_id());
create policy badge_status_lists_insert on attest.badge_status_lists for insert
    with check (org_id = attest.current_org_id());
create policy badge_status_lists_update on attest.badge_status_lists for update
    using (org_id = attest.current_org_id()) with check (org_id = attest.current_org_id());
create policy badge_revocations_select on attest.badge_revocations for select
    using (org_id = attest.current_org_id());
create policy badge_revocations_insert on attest.badge_revocations for insert
    with check (org_id = attest.current_org_id());

-- Who holds which pseudonym: the worker, those who verify badges, and those who manage
-- credentials or people (their changes revoke badges).
create policy badge_holders_select on attest.badge_holders for select
    using (org_id = attest.current_org_id() and (
        user_id = attest.current_user_id()
        or (select attest.has_permission('credentials.verify'))
        or (select attest.has_permission('credentials.manage'))
        or (select attest.has_permission('people.manage'))));
create policy badge_holders_insert on attest.badge_holders for insert
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());
create policy badge_holders_update on attest.badge_holders for update
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id())
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());

-- Scans: recorded by those who verify badges; read by them (their own) and by the organisation's
-- readers of credentials.
create policy badge_scans_insert on attest.badge_scans for insert
    with check (org_id = attest.current_org_id() and scanned_by = attest.current_user_id()
        and attest.has_permission('credentials.verify'));
create policy badge_scans_select on attest.badge_scans for select
    using (org_id = attest.current_org_id() and (
        scanned_by = attest.current_user_id()
        or (select attest.has_permission('credentials.read.org'))));

grant select, insert, update (next_index, changed_at) on attest.badge_status_lists to attest_app;
grant select, insert, update (status_index) on attest.badge_holders to attest_app;
grant select, insert on attest.badge_revocations to attest_app;
grant select, insert on attest.badge_scans to attest_app;

-- Sets the bit of the worker's current badges (if they have one not yet revoked): called when a
-- credential is suspended, revoked or removed, or the membership suspended. Runs with the
-- caller's rights and row-level security (those who make such changes may read holders).
create function attest.revoke_badges_of(target_org uuid, target_user uuid, why text) returns void
    language plpgsql
    as $$
declare
    idx integer;
begin
    if target_org is distinct from attest.current_org_id() then
        return;
    end if;
    select h.status_index into idx from attest.badge_holders h
        where h.org_id = target_org and h.user_id = target_user;
    if idx is null then
        return;
    end if;
    insert into attest.badge_revocations (org_id, status_index, reason)
        values (target_org, idx, why) on conflict do nothing;
    update attest.badge_status_lists set changed_at = now() where org_id = target_org;
end
$$;

create function attest.revoke_badges_on_credential_change() returns trigger
    language plpgsql
    as $$
begin
    if tg_op = 'DELETE' then
        perform attest.revoke_badges_of(old.org_id, old.user_id, 'credential_removed');
    elsif new.state is distinct from old.state and new.state in ('suspended', 'revoked') then
        perform attest.revoke_badges_of(new.org_id, new.user_id, 'credential_' || new.state);
    end if;
    return null;
end
$$;
create trigger credentials_revoke_badges after update or delete on attest.credentials
    for each row execute function attest.revoke_badges_on_credential_change();

create function attest.revoke_badges_on_membership_change() returns trigger
    language plpgsql
    as $$
begin
    if new.status = 'suspended' and old.status is distinct from 'suspended' then
        perform attest.revoke_badges_of(new.org_id, new.user_id, 'membership_suspended');
    end if;
    return null;
end
$$;
create trigger memberships_revoke_badges after update on attest.memberships
    for each row execute function attest.revoke_badges_on_membership_change();
