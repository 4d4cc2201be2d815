-- The daily expiry job: which reminders went out (so none goes out twice), and the scheduler's
-- narrow view of which organisations exist and their reminder offsets.

-- The scheduler's transactions set `attest.worker` to 'scheduler' (request handlers never do):
-- it may list organisations (ids and reminder settings), then works in each organisation's own
-- context like any other caller.
create policy organisations_scheduler on attest.organisations for select
    using (coalesce(current_setting('attest.worker', true) = 'scheduler', false));
create policy credential_settings_scheduler on attest.credential_settings for select
    using (coalesce(current_setting('attest.worker', true) = 'scheduler', false));

-- One row per reminder sent: `reminder` at an offset (days before expiry) for a version of a
-- credential, or `escalation` once it has expired (offset 0). A renewal is a new version, so
-- its reminders start again.
create table attest.credential_reminders (
    org_id uuid not null,
    credential_id uuid not null,
    version integer not null,
    kind text not null,
    offset_days integer not null,
    sent_at timestamptz not null,
    recipients integer not null,
    constraint credential_reminders_pkey primary key (org_id, credential_id, version, kind, offset_days),
    constraint credential_reminders_credential_fkey foreign key (org_id, credential_id) references attest.credentials (org_id, credential_id) on delete cascade,
    constraint credential_reminders_kind_check check (kind in ('reminder', 'escalation')),
    constraint credential_reminders_offset_check check (offset_days between 0 and 365)
);
alter table attest.credential_reminders enable row level security;
alter table attest.credential_reminders force row level security;
create policy credential_reminders_select on attest.credential_reminders for select
    using (org_id = attest.current_org_id() and attest.has_permission('credentials.read.org'));
create policy credential_reminders_insert on attest.credential_reminders for insert
    with check (org_id = attest.current_org_id() and attest.has_permission('credentials.manage'));
grant select, insert on attest.credential_reminders to attest_app;
