-- The audit events table: every security-relevant action, appended in the same transaction as
-- the change it records. Append-only for every role. (The ledger issue integrates these events
-- into a per-organisation Merkle tree with signed checkpoints.)

create schema audit;
revoke all on schema audit from public;
grant usage on schema audit to attest_app;

-- The next sequence number per organisation. Appending takes this row's lock until commit, so
-- sequence numbers are gap-free: a rolled-back append gives its number back.
create table audit.counters (
    org_id uuid not null,
    next_seq bigint not null,
    constraint counters_pkey primary key (org_id),
    constraint counters_next_seq_check check (next_seq > 0)
);

create table audit.events (
    org_id uuid not null,
    seq bigint not null,
    event_id uuid not null,
    occurred_at timestamptz not null,
    -- Who acted: a user (with the role they acted in), the system, or an anonymous caller.
    actor_kind text not null,
    actor_user_id uuid,
    actor_role text,
    action text not null,
    resource_type text not null,
    resource_id text,
    -- The person the event is about, if any (so people can see the events about themselves).
    subject_user_id uuid,
    source_ip inet,
    user_agent text,
    request_id text,
    -- Never secrets, never special categories of personal data.
    details jsonb not null default '{}',
    constraint events_pkey primary key (org_id, seq),
    constraint events_event_id_key unique (org_id, event_id),
    constraint events_actor_kind_check check (actor_kind in ('user', 'system', 'anonymous')),
    constraint events_actor_check check ((actor_kind = 'user') = (actor_user_id is not null)),
    constraint events_action_format check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    constraint events_user_agent_length check (char_length(user_agent) <= 512),
    constraint events_details_object check (jsonb_typeof(details) = 'object')
);
create index events_subject_idx on audit.events (org_id, subject_user_id) where subject_user_id is not null;
create index events_actor_idx on audit.events (org_id, actor_user_id) where actor_user_id is not null;
create index events_time_idx on audit.events (org_id, occurred_at);

-- Append-only: no update, no delete, no truncate, for any role (a superuser can only get around
-- this by disabling triggers, which the ledger's hashes then expose).
create function audit.reject_change() returns trigger
    language plpgsql
    as $$
    begin
        raise exception 'audit events are append-only: % is not allowed on %', tg_op, tg_table_name
            using errcode = 'insufficient_privilege';
    end
    $$;
-- Statement-level, so that it fires even when row-level security hides every row from the
-- statement (the owner, say): any UPDATE or DELETE statement on the table fails.
create trigger events_append_only
    before update or delete on audit.events
    for each statement execute function audit.reject_change();
create trigger events_no_truncate
    before truncate on audit.events
    for each statement execute function audit.reject_change();
revoke truncate on audit.events from public, attest_owner;

alter table audit.counters enable row level security;
alter table audit.counters force row level security;
alter table audit.events enable row level security;
alter table audit.events force row level security;

create policy counters_all on audit.counters
    using (org_id = attest.current_org_id())
    with check (org_id = attest.current_org_id());

-- Any action in an organisation appends its event; reading needs `audit.read.org`, or
-- `audit.read.self` for the events one did or that are about oneself.
create policy events_insert on audit.events for insert
    with check (org_id = attest.current_org_id());
create policy events_select on audit.events for select
    using (org_id = attest.current_org_id() and (
        attest.has_permission('audit.read.org')
        or (attest.has_permission('audit.read.self')
            and (actor_user_id = attest.current_user_id() or subject_user_id = attest.current_user_id()))));

grant select, insert, update on audit.counters to attest_app;
grant select, insert on audit.events to attest_app;
