-- Credentials: types, job roles, requirements, workers' credentials with their version history,
-- their sealed personal fields and evidence files.
--
-- Who sees what (row-level security, not only handlers):
--   - credential types, job roles and requirements: every member of the organisation (the gate
--     and the worker app show type names); changes need `credentials.manage`;
--   - a credential and its history: `attest.can_see_credentials` — the person themselves
--     (`credentials.read.self`), the supervisor of a crew they belong to (`credentials.read.crew`),
--     or anyone with `credentials.read.org`;
--   - personal fields (credential number, notes) and evidence files: the person themselves, or
--     someone with `credentials.personal.read` who may see the person's credentials. They are
--     sealed with the person's data key as well (AES-256-GCM): the database holds ciphertext only.

-- How long before expiry a credential counts as "expiring", and when reminders go out (days
-- before expiry). A row only for an organisation that changed the defaults (30; 30, 7 and 0).
-- Apart from `organisations` because HSE managers (`credentials.manage`) change these, not only
-- administrators (`org.manage`).
create table attest.credential_settings (
    org_id uuid not null,
    expiring_window_days integer not null default 30,
    reminder_offsets_days integer[] not null default '{30,7,0}',
    updated_at timestamptz not null default now(),
    constraint credential_settings_pkey primary key (org_id),
    constraint credential_settings_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint credential_settings_window_check check (expiring_window_days between 1 and 180),
    constraint credential_settings_offsets_check check (
        cardinality(reminder_offsets_days) <= 6
        and 0 <= all (reminder_offsets_days) and 365 >= all (reminder_offsets_days))
);

create table attest.credential_types (
    org_id uuid not null,
    type_id uuid not null,
    -- Short and stable: badges carry it instead of the name.
    code text not null,
    name text not null,
    description text not null default '',
    -- Default validity of a new credential of this type; null: it does not expire.
    validity_months integer,
    -- Archived types keep their credentials but take no new ones.
    archived boolean not null default false,
    created_at timestamptz not null default now(),
    constraint credential_types_pkey primary key (org_id, type_id),
    constraint credential_types_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint credential_types_code_key unique (org_id, code),
    constraint credential_types_code_format check (code ~ '^[A-Z0-9]{2,8}$'),
    constraint credential_types_name_length check (char_length(name) between 1 and 120),
    constraint credential_types_description_length check (char_length(description) <= 1000),
    constraint credential_types_validity_check check (validity_months is null or validity_months between 1 and 240)
);
create unique index credential_types_name_key on attest.credential_types (org_id, lower(name));

-- A job role (trade or position: electrician, scaffolder…), which credential requirements attach
-- to. Not an access role.
create table attest.job_roles (
    org_id uuid not null,
    job_role_id uuid not null,
    name text not null,
    created_at timestamptz not null default now(),
    constraint job_roles_pkey primary key (org_id, job_role_id),
    constraint job_roles_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint job_roles_name_length check (char_length(name) between 1 and 120)
);
create unique index job_roles_name_key on attest.job_roles (org_id, lower(name));

-- A worker's job role (at most one).
create table attest.worker_job_roles (
    org_id uuid not null,
    user_id uuid not null,
    job_role_id uuid not null,
    constraint worker_job_roles_pkey primary key (org_id, user_id),
    constraint worker_job_roles_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint worker_job_roles_job_role_fkey foreign key (org_id, job_role_id) references attest.job_roles (org_id, job_role_id) on delete cascade
);

-- A credential type that a job role or a site requires.
create table attest.requirements (
    org_id uuid not null,
    requirement_id uuid not null,
    type_id uuid not null,
    job_role_id uuid,
    site_id uuid,
    created_at timestamptz not null default now(),
    constraint requirements_pkey primary key (org_id, requirement_id),
    constraint requirements_type_fkey foreign key (org_id, type_id) references attest.credential_types (org_id, type_id),
    constraint requirements_job_role_fkey foreign key (org_id, job_role_id) references attest.job_roles (org_id, job_role_id) on delete cascade,
    constraint requirements_site_fkey foreign key (org_id, site_id) references attest.sites (org_id, site_id) on delete cascade,
    constraint requirements_target_check check (num_nonnulls(job_role_id, site_id) = 1)
);
create unique index requirements_job_role_key on attest.requirements (org_id, job_role_id, type_id) where job_role_id is not null;
create unique index requirements_site_key on attest.requirements (org_id, site_id, type_id) where site_id is not null;

-- A worker's credential of one type (one per worker and type), with its current version's
-- dates repeated here so that readiness reads one row per credential.
create table attest.credentials (
    org_id uuid not null,
    credential_id uuid not null,
    user_id uuid not null,
    type_id uuid not null,
    version integer not null default 1,
    issuer text not null,
    issued_on date not null,
    expires_on date,
    -- Set by hand (suspend, revoke); "expiring" and "expired" follow from the dates.
    state text not null default 'active',
    state_reason text,
    state_changed_at timestamptz,
    -- The expiry date the daily job last recorded as `credential.expired` (so it records it once).
    expiry_recorded_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint credentials_pkey primary key (org_id, credential_id),
    constraint credentials_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint credentials_type_fkey foreign key (org_id, type_id) references attest.credential_types (org_id, type_id),
    constraint credentials_worker_type_key unique (org_id, user_id, type_id),
    constraint credentials_state_check check (state in ('active', 'suspended', 'revoked')),
    constraint credentials_state_reason_check check ((state = 'active') = (state_reason is null)),
    constraint credentials_state_reason_length check (char_length(state_reason) between 1 and 500),
    constraint credentials_issuer_length check (char_length(issuer) between 1 and 200),
    constraint credentials_dates_check check (expires_on is null or expires_on >= issued_on),
    constraint credentials_version_check check (version >= 1)
);
create index credentials_expiry_idx on attest.credentials (org_id, expires_on) where expires_on is not null;

-- Every version of a credential (the first, then one per renewal). Never changed.
create table attest.credential_versions (
    org_id uuid not null,
    credential_id uuid not null,
    version integer not null,
    issuer text not null,
    issued_on date not null,
    expires_on date,
    recorded_by uuid,
    recorded_at timestamptz not null default now(),
    constraint credential_versions_pkey primary key (org_id, credential_id, version),
    constraint credential_versions_credential_fkey foreign key (org_id, credential_id) references attest.credentials (org_id, credential_id) on delete cascade,
    constraint credential_versions_dates_check check (expires_on is null or expires_on >= issued_on)
);

-- Evidence files (PDF, JPEG, PNG), sealed with the person's data key.
create table attest.credential_evidence (
    org_id uuid not null,
    evidence_id uuid not null,
    user_id uuid not null,
    content_type text not null,
    size_bytes integer not null,
    sealed bytea not null,
    uploaded_by uuid,
    uploaded_at timestamptz not null default now(),
    constraint credential_evidence_pkey primary key (org_id, evidence_id),
    constraint credential_evidence_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    -- Lets a credential refer to evidence of its own worker only.
    constraint credential_evidence_owner_key unique (org_id, evidence_id, user_id),
    constraint credential_evidence_content_type_check check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint credential_evidence_size_check check (size_bytes between 1 and 10485760)
);

-- A version's personal fields, sealed with the person's data key; apart from the version so
-- that row-level security can withhold them from roles that may see the credential only.
create table attest.credential_personal (
    org_id uuid not null,
    credential_id uuid not null,
    version integer not null,
    user_id uuid not null,
    number_sealed bytea,
    notes_sealed bytea,
    evidence_id uuid,
    constraint credential_personal_pkey primary key (org_id, credential_id, version),
    constraint credential_personal_version_fkey foreign key (org_id, credential_id, version) references attest.credential_versions (org_id, credential_id, version) on delete cascade,
    constraint credential_personal_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint credential_personal_evidence_fkey foreign key (org_id, evidence_id, user_id) references attest.credential_evidence (org_id, evidence_id, user_id)
);

-- Who may see a person's credentials. Security invoker: the queries inside run under the
-- caller's own row-level security (crews need `crews.read`, which supervisors have).
create function attest.can_see_credentials(person_org uuid, person uuid) returns boolean
    language sql stable parallel safe
    as $$
        select person_org = attest.current_org_id() and (
            attest.has_permission('credentials.read.org')
            or (person = attest.current_user_id() and attest.has_permission('credentials.read.self'))
            or (attest.has_permission('credentials.read.crew') and exists (
                select 1
                from attest.crew_members cm
                join attest.crews c on c.org_id = cm.org_id and c.crew_id = cm.crew_id
                where cm.org_id = person_org
                  and cm.user_id = person
                  and c.supervisor_id = attest.current_user_id())))
    $$;

-- Who may read a person's sealed credential fields and evidence: the person, or someone with
-- `credentials.personal.read` who may see their credentials.
create function attest.can_read_credential_personal(person_org uuid, person uuid) returns boolean
    language sql stable parallel safe
    as $$
        select person_org = attest.current_org_id() and (
            person = attest.current_user_id()
            or (attest.has_permission('credentials.personal.read') and attest.can_see_credentials(person_org, person)))
    $$;
revoke all on function attest.can_see_credentials(uuid, uuid), attest.can_read_credential_personal(uuid, uuid) from public;
grant execute on function attest.can_see_credentials(uuid, uuid), attest.can_read_credential_personal(uuid, uuid) to attest_app;

-- Live dashboards: any change to credentials or requirements notifies `attest_readiness` with the
-- organisation's id (PostgreSQL folds repeats within a transaction into one notification, sent
-- at commit).
create function attest.notify_readiness_changed() returns trigger
    language plpgsql
    as $$
    begin
        perform pg_notify('attest_readiness', coalesce(new.org_id, old.org_id)::text);
        return null;
    end
    $$;
create trigger credentials_notify after insert or update or delete on attest.credentials
    for each row execute function attest.notify_readiness_changed();
create trigger requirements_notify after insert or update or delete on attest.requirements
    for each row execute function attest.notify_readiness_changed();
create trigger worker_job_roles_notify after insert or update or delete on attest.worker_job_roles
    for each row execute function attest.notify_readiness_changed();

alter table attest.credential_settings enable row level security;
alter table attest.credential_settings force row level security;
alter table attest.credential_types enable row level security;
alter table attest.credential_types force row level security;
alter table attest.job_roles enable row level security;
alter table attest.job_roles force row level security;
alter table attest.worker_job_roles enable row level security;
alter table attest.worker_job_roles force row level security;
alter table attest.requirements enable row level security;
alter table attest.requirements force row level security;
alter table attest.credentials enable row level security;
alter table attest.credentials force row level security;
alter table attest.credential_versions enable row level security;
alter table attest.credential_versions force row level security;
alter table attest.credential_evidence enable row level security;
alter table attest.credential_evidence force row level security;
alter table attest.credential_personal enable row level security;
alter table attest.credential_personal force row level security;

create policy credential_settings_select on attest.credential_settings for select
    using (org_id = attest.current_org_id());
create policy credential_settings_insert on attest.credential_settings for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
create policy credential_settings_update on attest.credential_settings for update
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'))
    with check (org_id = attest.current_org_id());

create policy credential_types_select on attest.credential_types for select
    using (org_id = attest.current_org_id());
create policy credential_types_insert on attest.credential_types for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
create policy credential_types_update on attest.credential_types for update
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'))
    with check (org_id = attest.current_org_id());

create policy job_roles_select on attest.job_roles for select
    using (org_id = attest.current_org_id());
create policy job_roles_insert on attest.job_roles for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
create policy job_roles_update on attest.job_roles for update
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'))
    with check (org_id = attest.current_org_id());

create policy worker_job_roles_select on attest.worker_job_roles for select
    using (attest.can_see_person(org_id, user_id));
create policy worker_job_roles_insert on attest.worker_job_roles for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
create policy worker_job_roles_update on attest.worker_job_roles for update
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'))
    with check (org_id = attest.current_org_id());
create policy worker_job_roles_delete on attest.worker_job_roles for delete
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));

create policy requirements_select on attest.requirements for select
    using (org_id = attest.current_org_id());
create policy requirements_insert on attest.requirements for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
create policy requirements_delete on attest.requirements for delete
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));

create policy credentials_select on attest.credentials for select
    using (attest.can_see_credentials(org_id, user_id));
create policy credentials_insert on attest.credentials for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
-- The expiry job acts with `credentials.manage` as the system.
create policy credentials_update on attest.credentials for update
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'))
    with check (org_id = attest.current_org_id());

create policy credential_versions_select on attest.credential_versions for select
    using (exists (select 1 from attest.credentials c
                   where c.org_id = credential_versions.org_id and c.credential_id = credential_versions.credential_id));
create policy credential_versions_insert on attest.credential_versions for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));

create policy credential_evidence_select on attest.credential_evidence for select
    using (attest.can_read_credential_personal(org_id, user_id));
create policy credential_evidence_insert on attest.credential_evidence for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));

create policy credential_personal_select on attest.credential_personal for select
    using (attest.can_read_credential_personal(org_id, user_id));
create policy credential_personal_insert on attest.credential_personal for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));

grant select, insert, update on attest.credential_settings, attest.credential_types, attest.job_roles, attest.credentials to attest_app;
grant select, insert, update, delete on attest.worker_job_roles to attest_app;
grant select, insert, delete on attest.requirements to attest_app;
grant select, insert on attest.credential_versions, attest.credential_evidence, attest.credential_personal to attest_app;
