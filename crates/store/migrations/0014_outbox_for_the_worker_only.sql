-- The outbox holds every mail of an organisation, reset and invitation links included. Until now
-- any member's context of the organisation (a worker's too) could read it: the policy let
-- `org_id = current_org_id()` read and update as well as insert. Request handlers only ever
-- insert; only the delivery worker (whose transactions set `attest.worker` to 'outbox') reads
-- and updates. Bodies are emptied once sent or given up, and rows are purged after 30 days.
drop policy outbox_worker on attest.outbox;

create policy outbox_worker on attest.outbox
    using (current_setting('attest.worker', true) = 'outbox')
    with check (current_setting('attest.worker', true) = 'outbox');

-- The purge deletes old rows; only the worker's context may.
grant delete on attest.outbox to attest_app;
