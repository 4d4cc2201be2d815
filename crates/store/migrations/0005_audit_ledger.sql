-- The audit ledger: every security-relevant action, appended in the same transaction as the
-- change it records, then integrated by the sequencer into a per-organisation RFC 6962 Merkle
-- tree whose checkpoints are signed with the organisation's key. Every table in the `audit`
-- schema is insert-only for every role. Beside it, in `attest`, are what must be removable: the
-- events' personal fields (erased for deletion requests; the ledger keeps their salted digest)
-- and the sequencer's queue. docs/audit.md specifies the formats.

create schema audit;
revoke all on schema audit from public;
grant usage on schema audit to attest_app;

-- Refuses any change to an append-only table. Statement-level, so that it fires even when
-- row-level security hides every row from the statement.
create function audit.reject_change() returns trigger
    language plpgsql
    as $$
    begin
        raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
            using errcode = 'insufficient_privilege';
    end
    $$;

-- Appends get a durable, increasing row number at once (gaps allowed); the sequencer gives each
-- event its gap-free place in the organisation's log (`audit.leaves`).
create sequence audit.event_rows;
grant usage on sequence audit.event_rows to attest_app;

create table audit.events (
    org_id uuid not null,
    event_row bigint not null default nextval('audit.event_rows'),
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
    request_id text,
    -- Never secrets, never special categories of personal data.
    details jsonb not null default '{}',
    -- SHA-256 of the canonical personal fields (attest.audit_personal), which the leaf commits to.
    personal_digest bytea not null,
    -- SHA-256(0x00 || canonical leaf bytes), computed by the appender.
    leaf_hash bytea not null,
    constraint events_pkey primary key (org_id, event_row),
    constraint events_event_id_key unique (org_id, event_id),
    constraint events_actor_kind_check check (actor_kind in ('user', 'system', 'anonymous')),
    constraint events_actor_check check ((actor_kind = 'user') = (actor_user_id is not null)),
    constraint events_action_format check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    constraint events_details_object check (jsonb_typeof(details) = 'object'),
    constraint events_digest_length check (octet_length(personal_digest) = 32 and octet_length(leaf_hash) = 32)
);
create index events_subject_idx on audit.events (org_id, subject_user_id) where subject_user_id is not null;
create index events_actor_idx on audit.events (org_id, actor_user_id) where actor_user_id is not null;
create index events_time_idx on audit.events (org_id, occurred_at);

-- Personal fields, apart, so that a deletion request can erase them while the leaf (which holds
-- only their salted digest) and every proof stay valid.
create table attest.audit_personal (
    org_id uuid not null,
    event_row bigint not null,
    -- As text exactly as hashed (Rust's IpAddr formatting), so the digest can be recomputed.
    source_ip text,
    user_agent text,
    salt bytea not null,
    constraint audit_personal_pkey primary key (org_id, event_row),
    constraint audit_personal_event_fkey foreign key (org_id, event_row) references audit.events (org_id, event_row),
    constraint audit_personal_salt_length check (octet_length(salt) = 16),
    constraint audit_personal_user_agent_length check (char_length(user_agent) <= 512),
    constraint audit_personal_source_ip_length check (char_length(source_ip) <= 45)
);

-- Events waiting for the sequencer: a work queue, not a record (the sequencer deletes what it
-- has integrated).
create table attest.audit_queue (
    org_id uuid not null,
    event_row bigint not null,
    constraint audit_queue_pkey primary key (org_id, event_row),
    constraint audit_queue_event_fkey foreign key (org_id, event_row) references audit.events (org_id, event_row)
);

-- The log: the event at each leaf index (an event's sequence number is its index + 1).
create table audit.leaves (
    org_id uuid not null,
    leaf_index bigint not null,
    event_row bigint not null,
    constraint leaves_pkey primary key (org_id, leaf_index),
    constraint leaves_event_key unique (org_id, event_row),
    constraint leaves_event_fkey foreign key (org_id, event_row) references audit.events (org_id, event_row)
);

-- The tree's stored hashes (every leaf hash and every complete subtree's hash), indexed as in
-- Go's sumdb/tlog (Crosby and Wallach's ordering).
create table audit.tree_hashes (
    org_id uuid not null,
    hash_index bigint not null,
    hash bytea not null,
    constraint tree_hashes_pkey primary key (org_id, hash_index),
    constraint tree_hashes_length check (octet_length(hash) = 32)
);

-- Where a leaf's own hash is stored: tlog's stored_hash_index(0, n) = 2n - popcount(n).
create function audit.leaf_hash_index(leaf_index bigint) returns bigint
    language sql immutable parallel safe
    as $$ select 2 * leaf_index - bit_count(leaf_index::bit(64)) $$;
grant execute on function audit.leaf_hash_index(bigint) to attest_app;

-- Signed checkpoints (C2SP tlog-checkpoint notes); the largest is the tree's current size and root.
create table audit.checkpoints (
    org_id uuid not null,
    size bigint not null,
    root bytea not null,
    note text not null,
    signed_at timestamptz not null default now(),
    constraint checkpoints_pkey primary key (org_id, size)
);

create trigger events_append_only before update or delete or truncate on audit.events
    for each statement execute function audit.reject_change();
create trigger leaves_append_only before update or delete or truncate on audit.leaves
    for each statement execute function audit.reject_change();
create trigger tree_hashes_append_only before update or delete or truncate on audit.tree_hashes
    for each statement execute function audit.reject_change();
create trigger checkpoints_append_only before update or delete or truncate on audit.checkpoints
    for each statement execute function audit.reject_change();
-- Personal fields are erased, never edited.
create trigger audit_personal_no_update before update or truncate on attest.audit_personal
    for each statement execute function audit.reject_change();
revoke truncate on audit.events, audit.leaves, audit.tree_hashes, audit.checkpoints, attest.audit_personal
    from public, attest_owner;

-- Each organisation's signing keys (Ed25519): `audit` signs checkpoints. The private half is
-- stored wrapped by the key-encryption key.
create table attest.org_keys (
    org_id uuid not null,
    key_id uuid not null,
    purpose text not null,
    public_key bytea not null,
    private_wrapped bytea not null,
    kek_version integer not null,
    created_at timestamptz not null default now(),
    retired_at timestamptz,
    constraint org_keys_pkey primary key (org_id, key_id),
    constraint org_keys_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint org_keys_purpose_check check (purpose in ('audit', 'badge')),
    constraint org_keys_public_key_length check (octet_length(public_key) = 32)
);
create unique index org_keys_live_purpose_key on attest.org_keys (org_id, purpose) where retired_at is null;

alter table audit.events enable row level security;
alter table audit.events force row level security;
alter table attest.audit_personal enable row level security;
alter table attest.audit_personal force row level security;
alter table attest.audit_queue enable row level security;
alter table attest.audit_queue force row level security;
alter table audit.leaves enable row level security;
alter table audit.leaves force row level security;
alter table audit.tree_hashes enable row level security;
alter table audit.tree_hashes force row level security;
alter table audit.checkpoints enable row level security;
alter table audit.checkpoints force row level security;
alter table attest.org_keys enable row level security;
alter table attest.org_keys force row level security;

-- The sequencer's transactions set `attest.worker` to 'sequencer' (request handlers never do).
create function audit.is_sequencer() returns boolean
    language sql stable parallel safe
    as $$ select coalesce(current_setting('attest.worker', true) = 'sequencer', false) $$;
revoke all on function audit.is_sequencer() from public;
grant execute on function audit.is_sequencer() to attest_app;

-- Any action in an organisation appends its event. Reading needs `audit.read.org`, or
-- `audit.read.self` for the events one did or that are about oneself.
create policy events_insert on audit.events for insert
    with check (org_id = attest.current_org_id());
create policy events_select on audit.events for select
    using (org_id = attest.current_org_id() and (
        attest.has_permission('audit.read.org')
        or audit.is_sequencer()
        or (attest.has_permission('audit.read.self')
            and (actor_user_id = attest.current_user_id() or subject_user_id = attest.current_user_id()))));

create policy audit_personal_insert on attest.audit_personal for insert
    with check (org_id = attest.current_org_id());
create policy audit_personal_select on attest.audit_personal for select
    using (org_id = attest.current_org_id() and exists (
        select 1 from audit.events e where e.org_id = audit_personal.org_id and e.event_row = audit_personal.event_row));
-- Erasing personal fields for a deletion request (itself an audited event).
create policy audit_personal_erase on attest.audit_personal for delete
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'));

create policy audit_queue_insert on attest.audit_queue for insert
    with check (org_id = attest.current_org_id());
create policy audit_queue_sequencer on attest.audit_queue for select
    using (audit.is_sequencer());
create policy audit_queue_integrated on attest.audit_queue for delete
    using (org_id = attest.current_org_id() and audit.is_sequencer());

-- The tree and its checkpoints are the organisation's to read; only the sequencer writes them.
create policy leaves_select on audit.leaves for select using (org_id = attest.current_org_id());
create policy leaves_insert on audit.leaves for insert with check (org_id = attest.current_org_id() and audit.is_sequencer());
create policy tree_hashes_select on audit.tree_hashes for select using (org_id = attest.current_org_id());
create policy tree_hashes_insert on audit.tree_hashes for insert with check (org_id = attest.current_org_id() and audit.is_sequencer());
create policy checkpoints_select on audit.checkpoints for select using (org_id = attest.current_org_id());
create policy checkpoints_insert on audit.checkpoints for insert with check (org_id = attest.current_org_id() and audit.is_sequencer());

create policy org_keys_select on attest.org_keys for select using (org_id = attest.current_org_id());
create policy org_keys_insert on attest.org_keys for insert with check (org_id = attest.current_org_id());
-- Re-wrapping after a KEK rotation.
create policy org_keys_rewrap on attest.org_keys for update
    using (org_id = attest.current_org_id()) with check (org_id = attest.current_org_id());

grant select, insert on audit.events, audit.leaves, audit.tree_hashes, audit.checkpoints to attest_app;
grant select, insert, delete on attest.audit_personal, attest.audit_queue to attest_app;
grant select, insert on attest.org_keys to attest_app;
grant update (private_wrapped, kek_version) on attest.org_keys to attest_app;
