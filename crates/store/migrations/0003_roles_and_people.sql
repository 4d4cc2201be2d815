-- Roles (permission sets), people and memberships.

create table attest.roles (
    org_id uuid not null,
    role_id uuid not null,
    key text not null,
    name text not null,
    description text not null default '',
    builtin boolean not null default false,
    created_at timestamptz not null default now(),
    constraint roles_pkey primary key (org_id, role_id),
    constraint roles_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint roles_key_key unique (org_id, key),
    constraint roles_key_format check (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    -- The platform role is never an organisation's.
    constraint roles_key_not_platform check (key <> 'platform_admin'),
    constraint roles_name_length check (char_length(name) between 1 and 120)
);

create table attest.role_permissions (
    org_id uuid not null,
    role_id uuid not null,
    permission text not null,
    constraint role_permissions_pkey primary key (org_id, role_id, permission),
    constraint role_permissions_role_fkey foreign key (org_id, role_id) references attest.roles (org_id, role_id) on delete cascade,
    constraint role_permissions_permission_fkey foreign key (permission) references attest.permissions (name),
    constraint role_permissions_not_platform check (permission <> 'platform.admin')
);

-- A person's account within one organisation (people in two organisations have two accounts,
-- each in its organisation's home region).
create table attest.users (
    org_id uuid not null,
    user_id uuid not null,
    email text not null,
    display_name text not null,
    created_at timestamptz not null default now(),
    constraint users_pkey primary key (org_id, user_id),
    constraint users_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint users_email_length check (char_length(email) between 3 and 254),
    constraint users_display_name_length check (char_length(display_name) between 1 and 120)
);
create unique index users_email_key on attest.users (org_id, lower(email));

create table attest.memberships (
    org_id uuid not null,
    user_id uuid not null,
    role_id uuid not null,
    status text not null default 'active',
    created_at timestamptz not null default now(),
    constraint memberships_pkey primary key (org_id, user_id),
    constraint memberships_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint memberships_role_fkey foreign key (org_id, role_id) references attest.roles (org_id, role_id),
    constraint memberships_status_check check (status in ('active', 'suspended'))
);

-- Sites and crews: needed here because who-sees-whom depends on crews.
create table attest.sites (
    org_id uuid not null,
    site_id uuid not null,
    name text not null,
    address text not null default '',
    created_at timestamptz not null default now(),
    constraint sites_pkey primary key (org_id, site_id),
    constraint sites_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint sites_name_key unique (org_id, name),
    constraint sites_name_length check (char_length(name) between 1 and 120),
    constraint sites_address_length check (char_length(address) <= 500)
);

create table attest.crews (
    org_id uuid not null,
    crew_id uuid not null,
    name text not null,
    supervisor_id uuid,
    site_id uuid,
    created_at timestamptz not null default now(),
    constraint crews_pkey primary key (org_id, crew_id),
    constraint crews_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint crews_name_key unique (org_id, name),
    constraint crews_supervisor_fkey foreign key (org_id, supervisor_id) references attest.users (org_id, user_id),
    constraint crews_site_fkey foreign key (org_id, site_id) references attest.sites (org_id, site_id),
    constraint crews_name_length check (char_length(name) between 1 and 120)
);
create index crews_supervisor_idx on attest.crews (org_id, supervisor_id);

create table attest.crew_members (
    org_id uuid not null,
    crew_id uuid not null,
    user_id uuid not null,
    constraint crew_members_pkey primary key (org_id, crew_id, user_id),
    constraint crew_members_crew_fkey foreign key (org_id, crew_id) references attest.crews (org_id, crew_id) on delete cascade,
    constraint crew_members_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade
);
create index crew_members_user_idx on attest.crew_members (org_id, user_id);

-- Who may see a person: themselves; the supervisor of a crew they belong to (with
-- `people.read.crew`); anyone with `people.read.org`. Security invoker: the queries inside run
-- under the caller's own row-level security.
create function attest.can_see_person(person_org uuid, person uuid) returns boolean
    language sql stable parallel safe
    as $$
        select person_org = attest.current_org_id() and (
            attest.has_permission('people.read.org')
            or person = attest.current_user_id()
            or (attest.has_permission('people.read.crew') and exists (
                select 1
                from attest.crew_members cm
                join attest.crews c on c.org_id = cm.org_id and c.crew_id = cm.crew_id
                where cm.org_id = person_org
                  and cm.user_id = person
                  and c.supervisor_id = attest.current_user_id())))
    $$;
revoke all on function attest.can_see_person(uuid, uuid) from public;
grant execute on function attest.can_see_person(uuid, uuid) to attest_app;

alter table attest.roles enable row level security;
alter table attest.roles force row level security;
alter table attest.role_permissions enable row level security;
alter table attest.role_permissions force row level security;
alter table attest.users enable row level security;
alter table attest.users force row level security;
alter table attest.memberships enable row level security;
alter table attest.memberships force row level security;
alter table attest.sites enable row level security;
alter table attest.sites force row level security;
alter table attest.crews enable row level security;
alter table attest.crews force row level security;
alter table attest.crew_members enable row level security;
alter table attest.crew_members force row level security;

-- Roles: every member sees the organisation's roles (a member's own permissions come from them);
-- `roles.manage` changes custom roles; built-in roles never change through the application.
create policy roles_select on attest.roles for select
    using (org_id = attest.current_org_id());
create policy roles_insert on attest.roles for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('roles.manage'));
create policy roles_update on attest.roles for update
    using (org_id = attest.current_org_id() and attest.has_permission('roles.manage') and not builtin)
    with check (org_id = attest.current_org_id() and not builtin);
create policy roles_delete on attest.roles for delete
    using (org_id = attest.current_org_id() and attest.has_permission('roles.manage') and not builtin);

create policy role_permissions_select on attest.role_permissions for select
    using (org_id = attest.current_org_id());
create policy role_permissions_insert on attest.role_permissions for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('roles.manage'));
create policy role_permissions_delete on attest.role_permissions for delete
    using (org_id = attest.current_org_id() and attest.has_permission('roles.manage')
           and not exists (select 1 from attest.roles r
                           where r.org_id = role_permissions.org_id and r.role_id = role_permissions.role_id and r.builtin));

-- People: visibility through `attest.can_see_person`; changes need `people.manage`, except that
-- a person may update their own account.
create policy users_select on attest.users for select
    using (attest.can_see_person(org_id, user_id));
create policy users_insert on attest.users for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('people.manage'));
create policy users_update on attest.users for update
    using (org_id = attest.current_org_id()
           and (attest.has_permission('people.manage') or user_id = attest.current_user_id()))
    with check (org_id = attest.current_org_id());
create policy users_delete on attest.users for delete
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'));

create policy memberships_select on attest.memberships for select
    using (attest.can_see_person(org_id, user_id));
create policy memberships_insert on attest.memberships for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('people.manage'));
create policy memberships_update on attest.memberships for update
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'))
    with check (org_id = attest.current_org_id());
create policy memberships_delete on attest.memberships for delete
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'));

create policy sites_select on attest.sites for select
    using (org_id = attest.current_org_id() and attest.has_permission('sites.read'));
create policy sites_insert on attest.sites for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('sites.manage'));
create policy sites_update on attest.sites for update
    using (org_id = attest.current_org_id() and attest.has_permission('sites.manage'))
    with check (org_id = attest.current_org_id());
create policy sites_delete on attest.sites for delete
    using (org_id = attest.current_org_id() and attest.has_permission('sites.manage'));

create policy crews_select on attest.crews for select
    using (org_id = attest.current_org_id() and attest.has_permission('crews.read'));
create policy crews_insert on attest.crews for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('crews.manage'));
create policy crews_update on attest.crews for update
    using (org_id = attest.current_org_id() and attest.has_permission('crews.manage'))
    with check (org_id = attest.current_org_id());
create policy crews_delete on attest.crews for delete
    using (org_id = attest.current_org_id() and attest.has_permission('crews.manage'));

-- Crew membership: the organisation (people.read.org), the member themselves, and the crew's
-- supervisor.
create policy crew_members_select on attest.crew_members for select
    using (org_id = attest.current_org_id() and (
        attest.has_permission('people.read.org')
        or user_id = attest.current_user_id()
        or (attest.has_permission('people.read.crew') and exists (
            select 1 from attest.crews c
            where c.org_id = crew_members.org_id and c.crew_id = crew_members.crew_id
              and c.supervisor_id = attest.current_user_id()))));
create policy crew_members_insert on attest.crew_members for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('crews.manage'));
create policy crew_members_delete on attest.crew_members for delete
    using (org_id = attest.current_org_id() and attest.has_permission('crews.manage'));

grant select, insert, update, delete on attest.roles, attest.users, attest.memberships,
    attest.sites, attest.crews to attest_app;
grant select, insert, delete on attest.role_permissions, attest.crew_members to attest_app;
