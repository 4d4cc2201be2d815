-- Schemas, the per-transaction access context, and the permission catalogue.
--
-- Organisation data lives in schema `attest`; the region directory (organisation slug -> home
-- region, used in the primary region only) lives in schema `directory`.

create schema attest;
create schema directory;

revoke all on schema attest, directory from public;
grant usage on schema attest, directory to attest_app;

-- The access context. The store begins every transaction with
--   select set_config('attest.org_id', $1, true),
--          set_config('attest.user_id', $2, true),
--          set_config('attest.permissions', $3, true)
-- (the `true` makes each setting local to the transaction, so a pooled connection never carries
-- one request's identity into the next). Outside such a transaction the settings are empty and
-- every policy below evaluates to false: no context, no rows.

create function attest.current_org_id() returns uuid
    language sql stable parallel safe
    as $$ select nullif(current_setting('attest.org_id', true), '')::uuid $$;

create function attest.current_user_id() returns uuid
    language sql stable parallel safe
    as $$ select nullif(current_setting('attest.user_id', true), '')::uuid $$;

create function attest.has_permission(permission text) returns boolean
    language sql stable parallel safe
    as $$
        select coalesce(
            permission = any (string_to_array(nullif(current_setting('attest.permissions', true), ''), ',')),
            false)
    $$;

revoke all on function attest.current_org_id(), attest.current_user_id(), attest.has_permission(text) from public;
grant execute on function attest.current_org_id(), attest.current_user_id(), attest.has_permission(text) to attest_app;

-- Which region this database serves. Written once by `attest migrate` (as the owner); the server
-- refuses to start if a region's URL points at another region's database.
create table attest.database_region (
    region text not null,
    constraint database_region_pkey primary key (region),
    constraint database_region_code_check check (region in ('na', 'ca'))
);
create unique index database_region_single_row on attest.database_region ((true));
grant select on attest.database_region to attest_app;

create function attest.database_region() returns text
    language sql stable parallel safe
    as $$ select region from attest.database_region $$;
revoke all on function attest.database_region() from public;
grant execute on function attest.database_region() to attest_app;

-- The permission catalogue, mirrored from `attest_core::Permission` (a test keeps them equal).
-- Not organisation data: every organisation shares it, and the server only reads it.
create table attest.permissions (
    name text not null,
    description text not null,
    constraint permissions_pkey primary key (name)
);
grant select on attest.permissions to attest_app;

insert into attest.permissions (name, description) values
    ('org.read', 'See the organisation''s profile and settings.'),
    ('org.manage', 'Change the organisation''s settings and security policies.'),
    ('people.read.crew', 'See the members of the crews one supervises.'),
    ('people.read.org', 'See every member of the organisation.'),
    ('people.manage', 'Invite members, change their roles and deactivate them.'),
    ('roles.manage', 'Create and change custom roles.'),
    ('sites.read', 'See the organisation''s sites.'),
    ('sites.manage', 'Create and change sites.'),
    ('crews.read', 'See crews and who supervises them.'),
    ('crews.manage', 'Create crews and change their members.'),
    ('credentials.read.self', 'See one''s own credentials.'),
    ('credentials.read.crew', 'See the credentials of one''s crews.'),
    ('credentials.read.org', 'See every credential in the organisation.'),
    ('credentials.manage', 'Add, renew, suspend and revoke credentials.'),
    ('credentials.personal.read', 'See credential numbers, notes and evidence files.'),
    ('credentials.verify', 'Verify badges at a site gate.'),
    ('audit.read.self', 'See audit events about oneself.'),
    ('audit.read.org', 'See the organisation''s audit ledger.'),
    ('audit.export', 'Export the audit ledger with its proofs.'),
    ('requisitions.create', 'Submit job requisitions for analysis.'),
    ('requisitions.read.own', 'See one''s own requisitions and their findings.'),
    ('requisitions.read.org', 'See every requisition in the organisation.'),
    ('requisitions.review', 'Accept or dismiss findings on requisitions.'),
    ('platform.admin', 'Operate the platform across organisations (not an organisation role).');

-- The server checks at start-up that the schema is current, so it may read (only) the migration
-- history.
grant select on public._sqlx_migrations to attest_app;
