-- Requisitions (issue 7): job requisitions an organisation submits for analysis, every version
-- of their text and structured fields, the engine's findings on each version, and reviewers'
-- decisions on findings.
--
-- Who sees what (row-level security, not only handlers):
--   - a requisition, its versions, findings and reviews: its author (`requisitions.read.own`) or
--     anyone with `requisitions.read.org` (compliance reviewers, auditors);
--   - creating one and writing new versions: its author, with `requisitions.create`;
--   - (re-)analysing a version: its author, or a reviewer;
--   - deciding on a finding: `requisitions.review`, on a requisition one may see and did not write
--     (no one reviews their own).
-- Names: the author's, the saver's and the reviewer's display names are recorded on the rows
-- they write (as they were then), so readers see who did what without reading `users` (whose
-- rows also hold emails and security state).
-- A decision is keyed by the finding's fingerprint (rule, normalised words, occurrence), not by
-- its position, so it holds for every version where the same words are flagged again: an edit
-- elsewhere in the text does not undo a dismissal.

create table attest.requisitions (
    org_id uuid not null,
    requisition_id uuid not null,
    author_id uuid not null,
    author_name text not null,
    title text not null,
    current_version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint requisitions_pkey primary key (org_id, requisition_id),
    constraint requisitions_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade,
    constraint requisitions_author_fkey foreign key (org_id, author_id) references attest.users (org_id, user_id),
    constraint requisitions_title_length check (char_length(title) between 1 and 200),
    constraint requisitions_current_version_check check (current_version >= 1)
);
create index requisitions_author_idx on attest.requisitions (org_id, author_id);

-- One version of the text as analysed (pasted, or extracted from a file), its structured fields
-- and the summary of its analysis under the rule pack named.
create table attest.requisition_versions (
    org_id uuid not null,
    requisition_id uuid not null,
    version integer not null,
    body text not null,
    fields jsonb not null default '{}',
    source text not null,
    file_name text,
    created_by uuid not null,
    created_by_name text not null,
    created_at timestamptz not null default now(),
    rule_pack text not null,
    score integer not null,
    high integer not null,
    medium integer not null,
    low integer not null,
    info integer not null,
    analysed_at timestamptz not null default now(),
    constraint requisition_versions_pkey primary key (org_id, requisition_id, version),
    constraint requisition_versions_requisition_fkey foreign key (org_id, requisition_id) references attest.requisitions (org_id, requisition_id) on delete cascade,
    constraint requisition_versions_source_check check (source in ('paste', 'text', 'docx', 'pdf')),
    constraint requisition_versions_body_length check (char_length(body) between 1 and 200000),
    constraint requisition_versions_file_name_length check (file_name is null or char_length(file_name) between 1 and 255),
    constraint requisition_versions_fields_object check (jsonb_typeof(fields) = 'object'),
    constraint requisition_versions_score_check check (score between 0 and 100),
    constraint requisition_versions_counts_check check (high >= 0 and medium >= 0 and low >= 0 and info >= 0)
);

-- The engine's findings on a version (replaced when the version is analysed again under a newer
-- rule pack). Offsets are characters into the version's body.
create table attest.requisition_findings (
    org_id uuid not null,
    requisition_id uuid not null,
    version integer not null,
    ordinal integer not null,
    fingerprint text not null,
    rule_id text not null,
    category text not null,
    severity text not null,
    start_char integer not null,
    end_char integer not null,
    excerpt text not null,
    message text not null,
    citation text not null,
    suggestion text,
    constraint requisition_findings_pkey primary key (org_id, requisition_id, version, ordinal),
    constraint requisition_findings_version_fkey foreign key (org_id, requisition_id, version) references attest.requisition_versions (org_id, requisition_id, version) on delete cascade,
    constraint requisition_findings_fingerprint_key unique (org_id, requisition_id, version, fingerprint),
    constraint requisition_findings_severity_check check (severity in ('high', 'medium', 'low', 'info')),
    constraint requisition_findings_span_check check (0 <= start_char and start_char <= end_char)
);

-- A reviewer's decision on a finding, by fingerprint; deciding again replaces it (the audit
-- ledger keeps every decision).
create table attest.finding_reviews (
    org_id uuid not null,
    requisition_id uuid not null,
    fingerprint text not null,
    rule_id text not null,
    decision text not null,
    note text not null default '',
    reviewed_by uuid not null,
    reviewer_name text not null,
    reviewed_at timestamptz not null default now(),
    constraint finding_reviews_pkey primary key (org_id, requisition_id, fingerprint),
    constraint finding_reviews_requisition_fkey foreign key (org_id, requisition_id) references attest.requisitions (org_id, requisition_id) on delete cascade,
    constraint finding_reviews_reviewer_fkey foreign key (org_id, reviewed_by) references attest.users (org_id, user_id),
    constraint finding_reviews_decision_check check (decision in ('accepted', 'dismissed')),
    constraint finding_reviews_note_length check (char_length(note) <= 2000),
    constraint finding_reviews_fingerprint_format check (fingerprint ~ '^[0-9a-f]{32}$')
);

alter table attest.requisitions enable row level security;
alter table attest.requisitions force row level security;
alter table attest.requisition_versions enable row level security;
alter table attest.requisition_versions force row level security;
alter table attest.requisition_findings enable row level security;
alter table attest.requisition_findings force row level security;
alter table attest.finding_reviews enable row level security;
alter table attest.finding_reviews force row level security;

create policy requisitions_select on attest.requisitions for select
    using (org_id = attest.current_org_id() and (
        (author_id = attest.current_user_id() and (select attest.has_permission('requisitions.read.own')))
        or (select attest.has_permission('requisitions.read.org'))));
create policy requisitions_insert on attest.requisitions for insert
    with check (org_id = attest.current_org_id() and author_id = attest.current_user_id()
        and attest.has_permission('requisitions.create'));
create policy requisitions_update on attest.requisitions for update
    using (org_id = attest.current_org_id() and author_id = attest.current_user_id()
        and (select attest.has_permission('requisitions.create')))
    with check (org_id = attest.current_org_id() and author_id = attest.current_user_id());

-- The requisitions visible to the caller (their own policy applies inside). Policies use it as
-- an uncorrelated `in (select …)`, evaluated once per statement (a hashed set), as in 0010.
create function attest.visible_requisitions() returns setof uuid
    language sql stable parallel safe
    as $$
        select r.requisition_id from attest.requisitions r where r.org_id = attest.current_org_id()
    $$;

-- The caller may (re-)analyse the requisition: its author, or a reviewer who may see it.
create function attest.can_analyse_requisition(req_org uuid, req uuid) returns boolean
    language sql stable
    as $$
        select exists (select 1 from attest.requisitions r
                       where r.org_id = req_org and r.requisition_id = req
                         and ((r.author_id = attest.current_user_id() and attest.has_permission('requisitions.create'))
                              or attest.has_permission('requisitions.review')))
    $$;

create policy requisition_versions_select on attest.requisition_versions for select
    using (org_id = attest.current_org_id() and requisition_id in (select attest.visible_requisitions()));
create policy requisition_versions_insert on attest.requisition_versions for insert
    with check (org_id = attest.current_org_id() and created_by = attest.current_user_id()
        and attest.has_permission('requisitions.create')
        and exists (select 1 from attest.requisitions r
                    where r.org_id = requisition_versions.org_id
                      and r.requisition_id = requisition_versions.requisition_id
                      and r.author_id = attest.current_user_id()));
create policy requisition_versions_update on attest.requisition_versions for update
    using (org_id = attest.current_org_id() and attest.can_analyse_requisition(org_id, requisition_id))
    with check (org_id = attest.current_org_id() and attest.can_analyse_requisition(org_id, requisition_id));

create policy requisition_findings_select on attest.requisition_findings for select
    using (org_id = attest.current_org_id() and requisition_id in (select attest.visible_requisitions()));
create policy requisition_findings_insert on attest.requisition_findings for insert
    with check (org_id = attest.current_org_id() and attest.can_analyse_requisition(org_id, requisition_id));
create policy requisition_findings_delete on attest.requisition_findings for delete
    using (org_id = attest.current_org_id() and attest.can_analyse_requisition(org_id, requisition_id));

create policy finding_reviews_select on attest.finding_reviews for select
    using (org_id = attest.current_org_id() and requisition_id in (select attest.visible_requisitions()));
-- The requisitions the caller wrote: they may not review those.
create function attest.own_requisitions() returns setof uuid
    language sql stable parallel safe
    as $$
        select r.requisition_id from attest.requisitions r
        where r.org_id = attest.current_org_id() and r.author_id = attest.current_user_id()
    $$;
revoke all on function attest.own_requisitions() from public;
grant execute on function attest.own_requisitions() to attest_app;

create policy finding_reviews_insert on attest.finding_reviews for insert
    with check (org_id = attest.current_org_id() and reviewed_by = attest.current_user_id()
        and attest.has_permission('requisitions.review')
        and requisition_id in (select attest.visible_requisitions())
        and requisition_id not in (select attest.own_requisitions()));
create policy finding_reviews_update on attest.finding_reviews for update
    using (org_id = attest.current_org_id() and (select attest.has_permission('requisitions.review'))
        and requisition_id in (select attest.visible_requisitions())
        and requisition_id not in (select attest.own_requisitions()))
    with check (org_id = attest.current_org_id() and reviewed_by = attest.current_user_id()
        and attest.has_permission('requisitions.review'));

grant select, insert, update (title, current_version, updated_at) on attest.requisitions to attest_app;
grant select, insert, update (rule_pack, score, high, medium, low, info, analysed_at) on attest.requisition_versions to attest_app;
grant select, insert, delete on attest.requisition_findings to attest_app;
grant select, insert, update (rule_id, decision, note, reviewed_by, reviewer_name, reviewed_at) on attest.finding_reviews to attest_app;
revoke all on function attest.visible_requisitions() from public;
grant execute on function attest.visible_requisitions() to attest_app;
revoke all on function attest.can_analyse_requisition(uuid, uuid) from public;
grant execute on function attest.can_analyse_requisition(uuid, uuid) to attest_app;

-- Anonymous analyses (no account): the text is analysed in memory and never stored; only the
-- severity counts and the rule pack are kept, until `expires_at` (24 hours by default), when
-- the purge job deletes them. No organisation: they live in the platform directory (primary
-- region). The checks keep the row to numbers and a version string.
create table directory.anonymous_analyses (
    analysis_id uuid not null,
    rule_pack text not null,
    high integer not null,
    medium integer not null,
    low integer not null,
    info integer not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    constraint anonymous_analyses_pkey primary key (analysis_id),
    constraint anonymous_analyses_rule_pack_format check (rule_pack ~ '^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,3}$'),
    constraint anonymous_analyses_counts_check check (high >= 0 and medium >= 0 and low >= 0 and info >= 0),
    constraint anonymous_analyses_expiry_check check (expires_at > created_at)
);
create index anonymous_analyses_expires_idx on directory.anonymous_analyses (expires_at);
grant select, insert, delete on directory.anonymous_analyses to attest_app;
