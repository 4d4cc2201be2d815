-- Envelope encryption: wrapped data keys, one per organisation and one per person.
-- And password credentials, kept apart from the users table so that no query listing people
-- can ever select a hash by accident.

create table attest.data_keys (
    org_id uuid not null,
    key_id uuid not null,
    -- null: the organisation's key; otherwise the person whose personal fields it protects.
    subject_user_id uuid,
    kek_provider text not null,
    kek_version integer not null,
    -- null once destroyed (crypto-shredding): every copy of the person's sealed fields,
    -- backups included, is unreadable from then on.
    wrapped bytea,
    created_at timestamptz not null default now(),
    destroyed_at timestamptz,
    constraint data_keys_pkey primary key (org_id, key_id),
    constraint data_keys_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint data_keys_destroyed_check check ((wrapped is null) = (destroyed_at is not null)),
    constraint data_keys_kek_version_check check (kek_version > 0)
);
-- At most one live key per subject.
create unique index data_keys_live_subject_key on attest.data_keys
    (org_id, coalesce(subject_user_id, '00000000-0000-0000-0000-000000000000'::uuid))
    where destroyed_at is null;

alter table attest.data_keys enable row level security;
alter table attest.data_keys force row level security;

-- Wrapped keys are useless without the KEK, which the database never sees. Any request acting in
-- the organisation may load or create them; what a request may decrypt is decided by the
-- row-level security of the table holding the sealed field.
create policy data_keys_select on attest.data_keys for select
    using (org_id = attest.current_org_id());
create policy data_keys_insert on attest.data_keys for insert
    with check (org_id = attest.current_org_id());
create policy data_keys_update on attest.data_keys for update
    using (org_id = attest.current_org_id())
    with check (org_id = attest.current_org_id());
grant select, insert, update on attest.data_keys to attest_app;

create table attest.password_credentials (
    org_id uuid not null,
    user_id uuid not null,
    password_hash text not null,
    updated_at timestamptz not null default now(),
    constraint password_credentials_pkey primary key (org_id, user_id),
    constraint password_credentials_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade
);
alter table attest.password_credentials enable row level security;
alter table attest.password_credentials force row level security;

-- Only the person's own context (signing in, changing their password) or an account manager
-- creating the account touches a password hash.
create policy password_credentials_select on attest.password_credentials for select
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id());
create policy password_credentials_insert on attest.password_credentials for insert
    with check (org_id = attest.current_org_id()
                and (user_id = attest.current_user_id() or attest.has_permission('people.manage')));
create policy password_credentials_update on attest.password_credentials for update
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id())
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());
grant select, insert, update on attest.password_credentials to attest_app;
