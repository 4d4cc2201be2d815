-- Email addresses were compared with `lower()`, which under the embedded cluster's C locale folds
-- ASCII letters only: `Élodie@example.com` and `élodie@example.com` were two accounts, and the
-- first could not sign in as the second. Addresses are now compared by one key, folded with
-- ICU's locale-independent lower case (every letter, not only ASCII), as the server folds them
-- (Rust's `to_lowercase`, the same Unicode mapping).
create function attest.email_key(address text) returns text
    language sql immutable parallel safe strict
    return lower(address collate "und-x-icu");

comment on function attest.email_key(text) is
    'The case-insensitive key of an email address: Unicode lower case, whatever the database locale.';

drop index attest.users_email_key;
create unique index users_email_key on attest.users (org_id, attest.email_key(email));

drop policy users_sign_in_lookup on attest.users;
create policy users_sign_in_lookup on attest.users for select
    using (org_id = attest.current_org_id()
           and attest.email_key(email) = attest.email_key(nullif(current_setting('attest.lookup_email', true), '')));

grant execute on function attest.email_key(text) to attest_app;
