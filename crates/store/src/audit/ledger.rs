//! The audit ledger in the database: the sequencer, which integrates appended events into each
//! organisation's Merkle tree and signs checkpoints, and the reads behind proofs and exports.

use crate::{AccessContext, StoreError, Tx, begin, org_keys};
use attest_core::{OrgId, Permission, PermissionSet};
use attest_crypto::KeyEncryptionKey;
use attest_ledger::event::leaf_time;
use attest_ledger::tree::{
    Hash, HashReader, IndexRecorder, MemoryHashes, decompose, prove_record, prove_tree,
    stored_hash_index, stored_hashes_for_record_hash, sub_tree_index, tree_hash,
};
use attest_ledger::{Actor, Leaf, Personal, Resource, hex};
use sqlx::PgPool;
use time::OffsetDateTime;

/// The sequencer's transaction for one organisation: the organisation's context, reading its
/// events, and `attest.worker` = 'sequencer', which alone may write the tree.
async fn begin_sequencer(pool: &PgPool, org_id: Option<OrgId>) -> Result<Tx, StoreError> {
    let mut tx = match org_id {
        Some(org_id) => {
            let permissions: PermissionSet = [Permission::AuditReadOrg].into_iter().collect();
            begin(
                pool,
                &AccessContext {
                    org_id,
                    user_id: None,
                    permissions,
                },
            )
            .await?
        }
        None => pool.begin().await?,
    };
    sqlx::query!(r#"select set_config('attest.worker', 'sequencer', true) as "worker!""#)
        .fetch_one(&mut *tx)
        .await?;
    Ok(tx)
}

/// Organisations with events waiting to be integrated.
pub async fn pending_organisations(pool: &PgPool) -> Result<Vec<OrgId>, StoreError> {
    let mut tx = begin_sequencer(pool, None).await?;
    let orgs =
        sqlx::query_scalar!("select distinct org_id from attest.audit_queue order by org_id")
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(orgs.into_iter().map(OrgId::from).collect())
}

/// What one integration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrated {
    /// The tree grew from this size…
    pub from: u64,
    /// …to this one.
    pub to: u64,
    /// The signed checkpoint of the new size.
    pub checkpoint: String,
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Ledger("a stored hash is not 32 bytes".into()))?;
    Ok(Hash(array))
}

/// Integrates up to `batch` waiting events of the organisation into its tree, in the order they
/// were appended, and signs a checkpoint of the new tree. One sequencer at a time per
/// organisation (an advisory lock held until the transaction ends). Returns `None` when nothing was waiting.
pub async fn integrate(
    pool: &PgPool,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    batch: i64,
) -> Result<Option<Integrated>, StoreError> {
    let mut tx = begin_sequencer(pool, Some(org_id)).await?;
    // One sequencer at a time per organisation, until this transaction ends.
    sqlx::query!(
        r#"select true as "locked!"
           from (select pg_advisory_xact_lock(hashtextextended('attest.audit_sequencer:' || $1::text, 0))) l"#,
        org_id.as_uuid().to_string(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let size = to_u64(
        sqlx::query_scalar!(
            r#"select coalesce(max(size), 0) as "size!" from audit.checkpoints where org_id = $1"#,
            org_id.as_uuid()
        )
        .fetch_one(&mut *tx)
        .await?,
    );
    let waiting = sqlx::query!(
        "select event_row, leaf_hash from attest.audit_queue
         where org_id = $1 order by event_row limit $2",
        org_id.as_uuid(),
        batch,
    )
    .fetch_all(&mut *tx)
    .await?;
    if waiting.is_empty() {
        tx.commit().await?;
        return Ok(None);
    }

    // The frontier (the perfect subtrees of the current tree) is all appending needs.
    let mut hashes = load(&mut tx, org_id, &sub_tree_index(0, size, vec![])).await?;
    let mut new_indexes = Vec::new();
    let mut new_hashes = Vec::new();
    let mut leaf_indexes = Vec::new();
    let mut rows = Vec::new();
    for (k, event) in waiting.iter().enumerate() {
        let n = size + k as u64;
        let stored = stored_hashes_for_record_hash(n, to_hash(&event.leaf_hash)?, &hashes)
            .map_err(|e| StoreError::Ledger(format!("integrating leaf {n}: {e}")))?;
        let start = stored_hash_index(0, n);
        for (i, hash) in stored.into_iter().enumerate() {
            let index = start + i as u64;
            hashes.0.insert(index, hash);
            new_indexes.push(to_i64(index));
            new_hashes.push(hash.0.to_vec());
        }
        leaf_indexes.push(to_i64(n));
        rows.push(event.event_row);
    }
    let new_size = size + waiting.len() as u64;
    let root = tree_hash(new_size, &hashes).map_err(|e| StoreError::Ledger(e.to_string()))?;

    sqlx::query!(
        "insert into audit.leaves (org_id, leaf_index, event_row) select $1, * from unnest($2::bigint[], $3::bigint[])",
        org_id.as_uuid(),
        &leaf_indexes,
        &rows,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into audit.tree_hashes (org_id, hash_index, hash) select $1, * from unnest($2::bigint[], $3::bytea[])",
        org_id.as_uuid(),
        &new_indexes,
        &new_hashes,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from attest.audit_queue where org_id = $1 and event_row = any($2)",
        org_id.as_uuid(),
        &rows
    )
    .execute(&mut *tx)
    .await?;
    let signer = org_keys::audit_signer(&mut tx, kek, org_id).await?;
    let note = signer
        .sign(new_size, root)
        .map_err(|e| StoreError::Ledger(e.to_string()))?;
    sqlx::query!(
        "insert into audit.checkpoints (org_id, size, root, note) values ($1, $2, $3, $4)",
        org_id.as_uuid(),
        to_i64(new_size),
        root.0.as_slice(),
        note,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Integrated {
        from: size,
        to: new_size,
        checkpoint: note,
    }))
}

/// Integrates everything waiting in every organisation of the pool's region. Returns how many
/// events were integrated. One organisation's failure does not hold up the others: each is
/// tried, failures are logged, and the first is returned once all have been tried.
pub async fn integrate_all(
    pool: &PgPool,
    kek: &dyn KeyEncryptionKey,
    batch: i64,
) -> Result<u64, StoreError> {
    let mut total = 0;
    let mut first_failure = None;
    for org_id in pending_organisations(pool).await? {
        loop {
            match integrate(pool, kek, org_id, batch).await {
                Ok(Some(done)) => total += done.to - done.from,
                Ok(None) => break,
                Err(error) => {
                    tracing::error!(org_id = %org_id, %error, "could not integrate the organisation's audit events");
                    first_failure.get_or_insert(error);
                    break;
                }
            }
        }
    }
    first_failure.map_or(Ok(total), Err)
}

/// Stored hashes by index.
async fn load(tx: &mut Tx, org_id: OrgId, indexes: &[u64]) -> Result<MemoryHashes, StoreError> {
    let wanted: Vec<i64> = indexes.iter().map(|i| to_i64(*i)).collect();
    let rows = sqlx::query!(
        "select hash_index, hash from audit.tree_hashes where org_id = $1 and hash_index = any($2)",
        org_id.as_uuid(),
        &wanted,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut out = MemoryHashes::default();
    for row in rows {
        out.0.insert(to_u64(row.hash_index), to_hash(&row.hash)?);
    }
    if out.0.len()
        != indexes
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    {
        return Err(StoreError::Ledger(
            "the tree's stored hashes are incomplete".into(),
        ));
    }
    Ok(out)
}

/// Runs a `tlog_tiles` algorithm twice: once to learn which hashes it reads, then with them.
async fn with_hashes<T>(
    tx: &mut Tx,
    org_id: OrgId,
    algorithm: impl Fn(&dyn HashReaderDyn) -> Result<T, attest_ledger::tree::TreeError>,
) -> Result<T, StoreError> {
    let recorder = IndexRecorder::default();
    if let Ok(done) = algorithm(&recorder) {
        return Ok(done);
    }
    let hashes = load(tx, org_id, &recorder.indexes()).await?;
    algorithm(&hashes).map_err(|e| StoreError::Ledger(e.to_string()))
}

/// `HashReader` as a trait object.
trait HashReaderDyn {
    fn read(&self, indexes: &[u64]) -> Result<Vec<Hash>, attest_ledger::tree::TreeError>;
}

impl<T: HashReader> HashReaderDyn for T {
    fn read(&self, indexes: &[u64]) -> Result<Vec<Hash>, attest_ledger::tree::TreeError> {
        self.read_hashes(indexes)
    }
}

struct Dyn<'a>(&'a dyn HashReaderDyn);

impl HashReader for Dyn<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, attest_ledger::tree::TreeError> {
        self.0.read(indexes)
    }
}

/// A signed checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub size: u64,
    pub root: [u8; 32],
    pub note: String,
    pub signed_at: OffsetDateTime,
}

/// The organisation's latest checkpoint (the context's organisation).
pub async fn latest_checkpoint(tx: &mut Tx) -> Result<Option<Checkpoint>, StoreError> {
    let row = sqlx::query!(
        "select size, root, note, signed_at from audit.checkpoints where org_id = attest.current_org_id()
         order by size desc limit 1"
    )
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(Checkpoint {
            size: to_u64(r.size),
            root: to_hash(&r.root)?.0,
            note: r.note,
            signed_at: r.signed_at,
        })
    })
    .transpose()
}

/// The checkpoint signed at exactly `size`, if there was one.
pub async fn checkpoint_at(tx: &mut Tx, size: u64) -> Result<Option<Checkpoint>, StoreError> {
    let row = sqlx::query!(
        "select size, root, note, signed_at from audit.checkpoints where org_id = attest.current_org_id() and size = $1",
        to_i64(size),
    )
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(Checkpoint {
            size: to_u64(r.size),
            root: to_hash(&r.root)?.0,
            note: r.note,
            signed_at: r.signed_at,
        })
    })
    .transpose()
}

/// The proof that leaf `index` is in the tree of `size` leaves.
pub async fn inclusion_proof(
    tx: &mut Tx,
    org_id: OrgId,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, StoreError> {
    with_hashes(tx, org_id, |r| prove_record(size, index, &Dyn(r))).await
}

/// The proof that the tree of `size` leaves extends the tree of `from` leaves.
pub async fn consistency_proof(
    tx: &mut Tx,
    org_id: OrgId,
    from: u64,
    size: u64,
) -> Result<Vec<Hash>, StoreError> {
    if from == 0 || from == size {
        return Ok(Vec::new());
    }
    with_hashes(tx, org_id, |r| prove_tree(size, from, &Dyn(r))).await
}

/// The compact-range hashes covering leaves `[begin, end)`.
pub async fn compact_range(
    tx: &mut Tx,
    org_id: OrgId,
    begin: u64,
    end: u64,
) -> Result<Vec<Hash>, StoreError> {
    let indexes: Vec<u64> = decompose(begin, end)
        .iter()
        .map(|&(level, index)| stored_hash_index(level, index))
        .collect();
    let hashes = load(tx, org_id, &indexes).await?;
    indexes
        .iter()
        .map(|i| {
            hashes
                .0
                .get(i)
                .copied()
                .ok_or_else(|| StoreError::Ledger("missing hash".into()))
        })
        .collect()
}

/// The leaves `[first, end)` of the tree of `size` leaves whose events fall in `[from, to)`
/// (by time; the log's order is integration order, so the range can hold a few events just
/// outside it).
pub async fn leaf_range(
    tx: &mut Tx,
    size: u64,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> Result<(u64, u64), StoreError> {
    crate::context::plan_for_given_values(tx).await?;
    let row = sqlx::query!(
        r#"select min(l.leaf_index) as "first?", max(l.leaf_index) as "last?"
           from audit.leaves l join audit.events e on e.org_id = l.org_id and e.event_row = l.event_row
           where l.org_id = attest.current_org_id() and l.leaf_index < $1
             and ($2::timestamptz is null or e.occurred_at >= $2)
             and ($3::timestamptz is null or e.occurred_at < $3)"#,
        to_i64(size),
        from,
        to,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(match (row.first, row.last) {
        (Some(first), Some(last)) => (to_u64(first), to_u64(last) + 1),
        _ => (size, size),
    })
}

/// One exported event: its place, its integrated hash, its leaf, and its personal fields (if not
/// erased).
#[derive(Debug, Clone)]
pub struct ExportedEvent {
    pub index: u64,
    pub leaf_hash: [u8; 32],
    pub leaf: Leaf,
    pub personal: Option<Personal>,
}

impl ExportedEvent {
    /// The event as a line of a JSON Lines export.
    pub fn line(&self) -> attest_ledger::export::Line {
        attest_ledger::export::Line::new(
            self.index,
            &Hash(self.leaf_hash),
            &self.leaf,
            self.personal.as_ref(),
        )
    }
}

/// Up to `limit` events from leaf `from` (inclusive) to `end` (exclusive), in log order. The
/// leaf is rebuilt from the stored event exactly as it was hashed.
///
/// The page's leaves and their hash positions are taken first (the subquery's `LIMIT` keeps it
/// apart), so each tree hash is found by a plain column equality. Written as
/// `h.hash_index = audit.leaf_hash_index(l.leaf_index)`, the join could not use the index under
/// row-level security (the arithmetic is not leakproof, so PostgreSQL keeps it above the policy's
/// barrier): every page scanned all the organisation's tree hashes and filtered the join — three
/// million rows removed for a page of a 4,500-event log, 546 ms a page — and an export took time
/// quadratic in the log's size (found by the load benchmark; now 10 ms a page).
pub async fn export_page(
    tx: &mut Tx,
    from: u64,
    end: u64,
    limit: i64,
) -> Result<Vec<ExportedEvent>, StoreError> {
    let rows = sqlx::query!(
        r#"select l.leaf_index, h.hash as "leaf_hash!", e.org_id, e.event_id, e.occurred_at, e.actor_kind, e.actor_user_id,
                  e.actor_role, e.action, e.resource_type, e.resource_id, e.subject_user_id, e.request_id, e.details,
                  e.personal_digest, p.source_ip as "source_ip?", p.user_agent as "user_agent?", p.salt as "salt?"
           from (
             select l.org_id, l.leaf_index, l.event_row, audit.leaf_hash_index(l.leaf_index) as hash_index
               from audit.leaves l
              where l.org_id = attest.current_org_id() and l.leaf_index >= $1 and l.leaf_index < $2
              order by l.leaf_index
              limit $3
           ) l
           join audit.events e on e.org_id = l.org_id and e.event_row = l.event_row
           join audit.tree_hashes h on h.org_id = l.org_id and h.hash_index = l.hash_index
           left join attest.audit_personal p on p.org_id = e.org_id and p.event_row = e.event_row
           order by l.leaf_index"#,
        to_i64(from),
        to_i64(end),
        limit,
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            let leaf = Leaf {
                v: Leaf::VERSION,
                org: r.org_id,
                id: r.event_id,
                time: leaf_time(r.occurred_at),
                actor: Actor {
                    kind: r.actor_kind,
                    user: r.actor_user_id,
                    role: r.actor_role,
                },
                action: r.action,
                resource: Resource {
                    kind: r.resource_type,
                    id: r.resource_id,
                },
                subject: r.subject_user_id,
                request: r.request_id,
                details: r.details,
                personal: hex(&r.personal_digest),
            };
            let personal = r.salt.map(|salt| Personal {
                ip: r.source_ip,
                ua: r.user_agent,
                salt: hex(&salt),
            });
            Ok(ExportedEvent {
                index: to_u64(r.leaf_index),
                leaf_hash: to_hash(&r.leaf_hash)?.0,
                leaf,
                personal,
            })
        })
        .collect()
}

/// What an export holds, decided before its events are read: the checkpoint it is checked
/// against, the leaves it covers, the hashes around them, and a consistency proof if asked for.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub header: attest_ledger::export::Header,
}

/// Plans an export of the context organisation's events in `[from, to)` against its latest
/// checkpoint; with `since_size`, includes the proof that the log extends the tree of that size.
pub async fn plan_export(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
    since_size: Option<u64>,
    now: OffsetDateTime,
) -> Result<Option<ExportPlan>, StoreError> {
    let Some(checkpoint) = latest_checkpoint(tx).await? else {
        return Ok(None);
    };
    let Some(vkey) = org_keys::audit_vkey(tx, kek, org_id).await? else {
        return Ok(None);
    };
    let size = checkpoint.size;
    let (first, end) = leaf_range(tx, size, from, to).await?;
    let left = compact_range(tx, org_id, 0, first).await?;
    let right = compact_range(tx, org_id, end, size).await?;
    let consistency = match since_size {
        Some(m) if m > 0 && m <= size => Some(attest_ledger::export::Consistency {
            from_size: m,
            proof: consistency_proof(tx, org_id, m, size)
                .await?
                .iter()
                .map(|h| hex(&h.0))
                .collect(),
        }),
        _ => None,
    };
    let rfc3339 = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let header = attest_ledger::export::Header {
        format: attest_ledger::export::FORMAT.to_owned(),
        origin: attest_ledger::origin_for(org_id.as_uuid()),
        vkey,
        checkpoint: checkpoint.note,
        tree_size: size,
        first,
        end,
        left: left.iter().map(|h| hex(&h.0)).collect(),
        right: right.iter().map(|h| hex(&h.0)).collect(),
        consistency,
        exported_at: rfc3339(now),
        range: serde_json::json!({ "from": from.map(rfc3339), "to": to.map(rfc3339), "since_size": since_size }),
    };
    Ok(Some(ExportPlan { header }))
}

/// The export lines for leaves `[from, end)`, at most `limit`.
pub async fn export_lines(
    tx: &mut Tx,
    from: u64,
    end: u64,
    limit: i64,
) -> Result<Vec<attest_ledger::export::Line>, StoreError> {
    Ok(export_page(tx, from, end, limit)
        .await?
        .into_iter()
        .map(|e| e.line())
        .collect())
}
