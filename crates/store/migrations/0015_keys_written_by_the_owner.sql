-- Signing keys are written by the owner role, and every key the server trusts is authenticated
-- by the key-encryption key.
--
-- Until now `attest_app` could insert and update `directory.signing_keys`, and the server trusted
-- every live token key by its public half alone: anyone with the app role's write access could
-- add a key of their own and mint access tokens for every tenant. Now:
-- - the platform's keys are made by `attest migrate` (as the owner) and re-wrapped by
--   `attest keys rotate-kek` (as the owner); `attest_app` may only read them;
-- - organisations' keys may still be inserted by `attest_app` (an organisation's first badge or
--   checkpoint makes its key, at run time, where there is no owner connection), but nothing
--   updates them but the owner (rotation and re-wrapping are operator commands);
-- - the server trusts a public key, platform's or organisation's, only when the key's private
--   half, wrapped under the KEK with the key's identity as associated data, opens and derives
--   that public key. The database cannot forge that: an injected row is refused and logged.

revoke insert, update, delete on directory.signing_keys from attest_app;

alter table directory.signing_keys enable row level security;
alter table directory.signing_keys force row level security;
-- Every server reads the platform's keys; only the owner writes (no grant to anyone else).
create policy signing_keys_read on directory.signing_keys for select using (true);
create policy signing_keys_owner_insert on directory.signing_keys for insert with check (true);
create policy signing_keys_owner_update on directory.signing_keys for update using (true) with check (true);

revoke update on attest.org_keys from attest_app;
revoke update (private_wrapped, kek_version, retired_at) on attest.org_keys from attest_app;
