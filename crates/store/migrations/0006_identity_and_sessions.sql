-- Identity: email verification, sign-in state (progressive delay and lock), sessions with
-- rotating refresh tokens, single-use email tokens, TOTP and recovery codes, the mail outbox,
-- organisation security policies, and the platform's token-signing keys.

-- Organisation security policies.
alter table attest.organisations
    add column mfa_required boolean not null default false,
    add column idle_timeout_minutes integer not null default 30,
    add column session_lifetime_hours integer not null default 12,
    add constraint organisations_idle_timeout_range check (idle_timeout_minutes between 5 and 1440),
    add constraint organisations_session_lifetime_range check (session_lifetime_hours between 1 and 720);

alter table attest.users
    add column email_verified_at timestamptz,
    -- When the person's second factor was confirmed (null: none). Kept here, not read from
    -- attest.mfa_totp, so that account managers can see who has enrolled without any access to
    -- the secrets.
    add column mfa_enabled_at timestamptz;

-- Accounts created before addresses were verified keep working: they count as verified since
-- their creation. (A data migration: row-level security is lifted for the owner for this one
-- statement, inside this migration's transaction.)
alter table attest.users no force row level security;
alter table attest.users disable row level security;
update attest.users set email_verified_at = created_at where email_verified_at is null;
alter table attest.users enable row level security;
alter table attest.users force row level security;

-- Signing in starts from an organisation and an email address, before anyone is known: a
-- transaction whose context holds only `attest.lookup_email` sees that one account row.
create policy users_sign_in_lookup on attest.users for select
    using (org_id = attest.current_org_id()
           and lower(email) = lower(nullif(current_setting('attest.lookup_email', true), '')));

-- Failed sign-ins: a progressive delay, then a lock. Lives here so it survives restarts and holds
-- across servers.
create table attest.sign_in_state (
    org_id uuid not null,
    user_id uuid not null,
    failures integer not null default 0,
    last_failure_at timestamptz,
    next_attempt_at timestamptz,
    locked_until timestamptz,
    constraint sign_in_state_pkey primary key (org_id, user_id),
    constraint sign_in_state_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint sign_in_state_failures_check check (failures >= 0)
);

create table attest.sessions (
    org_id uuid not null,
    session_id uuid not null,
    user_id uuid not null,
    created_at timestamptz not null,
    last_active_at timestamptz not null,
    absolute_expires_at timestamptz not null,
    mfa_verified boolean not null default false,
    user_agent text,
    source_ip inet,
    revoked_at timestamptz,
    revoked_reason text,
    constraint sessions_pkey primary key (org_id, session_id),
    constraint sessions_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint sessions_revoked_check check ((revoked_at is null) = (revoked_reason is null)),
    constraint sessions_user_agent_length check (char_length(user_agent) <= 512)
);
create index sessions_user_idx on attest.sessions (org_id, user_id);

-- A session's refresh tokens, one generation after another. Only a hash is stored. A token that
-- was already rotated and is presented again revokes the whole session (its family).
create table attest.refresh_tokens (
    org_id uuid not null,
    token_hash bytea not null,
    session_id uuid not null,
    user_id uuid not null,
    generation integer not null,
    created_at timestamptz not null,
    rotated_at timestamptz,
    constraint refresh_tokens_pkey primary key (org_id, token_hash),
    constraint refresh_tokens_session_fkey foreign key (org_id, session_id) references attest.sessions (org_id, session_id) on delete cascade,
    constraint refresh_tokens_hash_length check (octet_length(token_hash) = 32)
);
create index refresh_tokens_session_idx on attest.refresh_tokens (org_id, session_id);

-- Single-use tokens sent by email (verification, password reset, invitation, email change). The
-- link carries a signed token naming `token_id`; this row makes it single-use.
create table attest.email_tokens (
    org_id uuid not null,
    token_id uuid not null,
    user_id uuid not null,
    purpose text not null,
    new_email text,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    constraint email_tokens_pkey primary key (org_id, token_id),
    constraint email_tokens_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade,
    constraint email_tokens_purpose_check check (purpose in ('verify_email', 'reset_password', 'invitation', 'change_email')),
    constraint email_tokens_new_email_check check ((purpose = 'change_email') = (new_email is not null))
);

-- TOTP: the secret is sealed with the person's data key.
create table attest.mfa_totp (
    org_id uuid not null,
    user_id uuid not null,
    secret_sealed bytea not null,
    created_at timestamptz not null,
    confirmed_at timestamptz,
    -- The last accepted time step: a code is accepted once, and never an older one.
    last_used_step bigint,
    constraint mfa_totp_pkey primary key (org_id, user_id),
    constraint mfa_totp_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade
);

create table attest.mfa_recovery_codes (
    org_id uuid not null,
    user_id uuid not null,
    code_hash bytea not null,
    used_at timestamptz,
    constraint mfa_recovery_codes_pkey primary key (org_id, user_id, code_hash),
    constraint mfa_recovery_codes_user_fkey foreign key (org_id, user_id) references attest.users (org_id, user_id) on delete cascade
);

-- The transactional outbox: mail is written in the same transaction as the change that causes
-- it, and a background worker delivers it with retries.
create table attest.outbox (
    org_id uuid not null,
    message_id uuid not null,
    kind text not null,
    to_address text not null,
    subject text not null,
    body text not null,
    created_at timestamptz not null,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    sent_at timestamptz,
    last_error text,
    constraint outbox_pkey primary key (org_id, message_id),
    constraint outbox_org_fkey foreign key (org_id) references attest.organisations (org_id) on delete cascade
);
create index outbox_pending_idx on attest.outbox (next_attempt_at) where sent_at is null;

alter table attest.sign_in_state enable row level security;
alter table attest.sign_in_state force row level security;
alter table attest.sessions enable row level security;
alter table attest.sessions force row level security;
alter table attest.refresh_tokens enable row level security;
alter table attest.refresh_tokens force row level security;
alter table attest.email_tokens enable row level security;
alter table attest.email_tokens force row level security;
alter table attest.mfa_totp enable row level security;
alter table attest.mfa_totp force row level security;
alter table attest.mfa_recovery_codes enable row level security;
alter table attest.mfa_recovery_codes force row level security;
alter table attest.outbox enable row level security;
alter table attest.outbox force row level security;

-- A person's own sign-in state; account managers see and clear it (unlock).
create policy sign_in_state_all on attest.sign_in_state
    using (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')))
    with check (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')));

-- One's own sessions; account managers may see and revoke members' sessions.
create policy sessions_all on attest.sessions
    using (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')))
    with check (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')));

-- Refresh tokens: only their owner's context.
create policy refresh_tokens_all on attest.refresh_tokens
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id())
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());

create policy email_tokens_all on attest.email_tokens
    using (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')))
    with check (org_id = attest.current_org_id()
           and (user_id = attest.current_user_id() or attest.has_permission('people.manage')));

-- Second factors: only their owner's context; account managers may remove them (MFA reset).
create policy mfa_totp_own on attest.mfa_totp
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id())
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());
create policy mfa_totp_reset on attest.mfa_totp for delete
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'));
create policy mfa_recovery_codes_own on attest.mfa_recovery_codes
    using (org_id = attest.current_org_id() and user_id = attest.current_user_id())
    with check (org_id = attest.current_org_id() and user_id = attest.current_user_id());
create policy mfa_recovery_codes_reset on attest.mfa_recovery_codes for delete
    using (org_id = attest.current_org_id() and attest.has_permission('people.manage'));

-- The outbox: written in an organisation's context; read and updated by the delivery worker,
-- whose transactions set `attest.worker` to 'outbox' (request handlers never do).
create policy outbox_insert on attest.outbox for insert
    with check (org_id = attest.current_org_id());
create policy outbox_worker on attest.outbox
    using (org_id = attest.current_org_id() or current_setting('attest.worker', true) = 'outbox')
    with check (org_id = attest.current_org_id() or current_setting('attest.worker', true) = 'outbox');

grant select, insert, update, delete on attest.sign_in_state, attest.sessions, attest.refresh_tokens,
    attest.email_tokens, attest.mfa_totp, attest.mfa_recovery_codes to attest_app;
grant select, insert, update on attest.outbox to attest_app;

-- The platform's token-signing keys (Ed25519), used in the primary region only. The private key
-- is stored wrapped by the key-encryption key; the database never sees it in the clear.
create table directory.signing_keys (
    kid text not null,
    purpose text not null,
    public_key bytea not null,
    private_wrapped bytea not null,
    kek_version integer not null,
    created_at timestamptz not null default now(),
    retired_at timestamptz,
    constraint signing_keys_pkey primary key (kid),
    constraint signing_keys_purpose_check check (purpose in ('tokens')),
    constraint signing_keys_public_key_length check (octet_length(public_key) = 32)
);
grant select, insert, update on directory.signing_keys to attest_app;
