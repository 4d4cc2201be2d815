-- The sequencer's queue carries each waiting event's leaf hash, so that integrating a batch reads
-- only the queue (by its primary key) instead of joining every waiting row to audit.events
-- through that table's read policy, which made a backlog of thousands take seconds.
alter table attest.audit_queue add column leaf_hash bytea;

update attest.audit_queue q
   set leaf_hash = e.leaf_hash
  from audit.events e
 where e.org_id = q.org_id and e.event_row = q.event_row;

alter table attest.audit_queue
    alter column leaf_hash set not null,
    add constraint audit_queue_leaf_hash_length check (octet_length(leaf_hash) = 32);
