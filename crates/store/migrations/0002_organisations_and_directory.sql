-- Organisations (tenants) and the region directory.

-- One row per organisation homed in this region's database. Its key is `org_id`, like the
-- leading key column of every other organisation table.
create table attest.organisations (
    org_id uuid not null,
    slug text not null,
    name text not null,
    region text not null,
    created_at timestamptz not null default now(),
    constraint organisations_pkey primary key (org_id),
    constraint organisations_slug_key unique (slug),
    constraint organisations_region_check check (region in ('na', 'ca')),
    constraint organisations_name_length check (char_length(name) between 1 and 120),
    constraint organisations_slug_format check (slug ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' and char_length(slug) between 3 and 40)
);

-- An organisation's rows live only in its home region's database: refuse any other region here.
create function attest.organisations_stay_home() returns trigger
    language plpgsql
    as $$
    begin
        if new.region is distinct from attest.database_region() then
            raise exception 'organisation % is homed in region %, but this database serves region %',
                new.slug, new.region, coalesce(attest.database_region(), '(unset)')
                using errcode = 'check_violation', constraint = 'organisations_home_region';
        end if;
        return new;
    end
    $$;
create trigger organisations_stay_home
    before insert or update on attest.organisations
    for each row execute function attest.organisations_stay_home();

alter table attest.organisations enable row level security;
alter table attest.organisations force row level security;

-- Members see their own organisation. Resolving a slug to an organisation (at sign-in, before
-- anyone is known) sets only `attest.lookup_slug`, which reveals that one organisation's row.
create policy organisations_select on attest.organisations for select
    using (org_id = attest.current_org_id()
           or slug = nullif(current_setting('attest.lookup_slug', true), ''));
-- Creating an organisation: the server sets the new organisation's id and its first admin's
-- permissions in the context of the creating transaction.
create policy organisations_insert on attest.organisations for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('org.manage'));
create policy organisations_update on attest.organisations for update
    using (org_id = attest.current_org_id() and attest.has_permission('org.manage'))
    with check (org_id = attest.current_org_id());
-- No delete policy: deleting an organisation is a data-lifecycle operation with its own
-- certificate, not something a request can do.

grant select, insert, update on attest.organisations to attest_app;

-- The directory: which region is each organisation's home. Used in the primary region's
-- database only. It holds the slug and the region, nothing else about the organisation, so the
-- primary region keeps no other data of organisations homed elsewhere. Not organisation data in
-- the row-level-security sense: it is the platform's routing table.
create table directory.organisations (
    slug text not null,
    region text not null,
    created_at timestamptz not null default now(),
    constraint directory_organisations_pkey primary key (slug),
    constraint directory_organisations_region_check check (region in ('na', 'ca'))
);
grant select, insert, delete on directory.organisations to attest_app;
