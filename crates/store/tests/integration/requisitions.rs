//! Who sees and changes requisitions, enforced by the database (raw SQL as well as the store's
//! queries): authors their own, reviewers and auditors the organisation's; only the author writes
//! versions, only reviewers decide, and a decision outlives an edit elsewhere in the text.

use crate::fixture::{Org, org};
use attest_core::{BuiltinRole, Region, RequisitionId, UserId};
use attest_store::requisitions::{self, NewVersion, ReviewDecision, Source};
use attest_store::{AccessContext, StoreError, begin};
use attest_testkit::regions;

async fn submit(
    pool: &sqlx::PgPool,
    o: &Org,
    author: UserId,
    text: &str,
) -> anyhow::Result<RequisitionId> {
    let fields = attest_reqiq::Fields::default();
    let report = attest_reqiq::analyze(text, &fields);
    let version = NewVersion {
        body: text,
        fields: &fields,
        source: Source::Paste,
        file_name: None,
    };
    let mut tx = begin(pool, &o.context(author, BuiltinRole::RequisitionAuthor)).await?;
    let id = requisitions::create(&mut tx, o.org_id, author, "Posting", &version, &report).await?;
    tx.commit().await?;
    Ok(id)
}

async fn count(pool: &sqlx::PgPool, context: &AccessContext, table: &str) -> anyhow::Result<i64> {
    let mut tx = begin(pool, context).await?;
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(n)
}

#[tokio::test]
async fn authors_see_their_own_and_reviewers_the_organisations() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let pool = &t.na.app;
    let (ann, ben) = (o.worker, o.crewmate);
    let posting = "Warehouse associate. No felons. Native English speaker required.";
    let mine = submit(pool, &o, ann, posting).await?;
    submit(pool, &o, ben, "Office clerk. Must be under 40.").await?;

    let ann_ctx = o.context(ann, BuiltinRole::RequisitionAuthor);
    let reviewer = o.context(o.manager, BuiltinRole::ComplianceReviewer);
    let auditor = o.context(o.auditor, BuiltinRole::Auditor);
    let hse = o.context(o.manager, BuiltinRole::HseManager);
    for table in ["attest.requisitions", "attest.requisition_versions"] {
        assert_eq!(
            count(pool, &ann_ctx, table).await?,
            1,
            "{table}: the author's own"
        );
        assert_eq!(
            count(pool, &reviewer, table).await?,
            2,
            "{table}: the reviewer"
        );
        assert_eq!(
            count(pool, &auditor, table).await?,
            2,
            "{table}: the auditor"
        );
        assert_eq!(
            count(pool, &hse, table).await?,
            0,
            "{table}: an HSE manager"
        );
    }
    assert!(count(pool, &ann_ctx, "attest.requisition_findings").await? >= 2);

    // Ben (another author) cannot read, edit or analyse Ann's requisition.
    let ben_ctx = o.context(ben, BuiltinRole::RequisitionAuthor);
    let mut tx = begin(pool, &ben_ctx).await?;
    assert!(matches!(
        requisitions::get(&mut tx, mine).await,
        Err(StoreError::NotFound)
    ));
    let fields = attest_reqiq::Fields::default();
    let report = attest_reqiq::analyze("Edited by Ben.", &fields);
    let version = NewVersion {
        body: "Edited by Ben.",
        fields: &fields,
        source: Source::Paste,
        file_name: None,
    };
    assert!(matches!(
        requisitions::add_version(&mut tx, o.org_id, mine, ben, None, &version, &report).await,
        Err(StoreError::NotFound)
    ));
    tx.rollback().await?;

    // The reviewer sees it but cannot write a version of it: the policy refuses.
    let mut tx = begin(pool, &reviewer).await?;
    let seen = requisitions::get(&mut tx, mine).await?;
    assert!(
        !seen.summary.author_name.is_empty(),
        "reviewers see the author's name"
    );
    assert!(
        requisitions::add_version(&mut tx, o.org_id, mine, o.manager, None, &version, &report)
            .await
            .is_err()
    );
    tx.rollback().await?;

    // Ann cannot decide on her own findings; the reviewer can, and Ann sees the decision.
    let fingerprint = {
        let mut tx = begin(pool, &ann_ctx).await?;
        let f = requisitions::findings(&mut tx, mine, 1).await?;
        tx.commit().await?;
        f.into_iter()
            .find(|f| f.rule_id == "language.native_speaker")
            .map(|f| f.fingerprint)
            .ok_or_else(|| anyhow::anyhow!("finding"))?
    };
    let mut tx = begin(pool, &ann_ctx).await?;
    let refused = requisitions::review(
        &mut tx,
        o.org_id,
        mine,
        &fingerprint,
        ann,
        ReviewDecision::Dismissed,
        "mine",
    )
    .await;
    assert!(refused.is_err(), "an author cannot review: {refused:?}");
    tx.rollback().await?;
    // Nor can a reviewer decide on a requisition they wrote: the policy refuses.
    let own = submit(pool, &o, o.manager, "Reviewer's own. No felons.").await?;
    let own_fingerprint = {
        let mut tx = begin(pool, &reviewer).await?;
        let f = requisitions::findings(&mut tx, own, 1).await?;
        tx.commit().await?;
        f.into_iter()
            .next()
            .map(|f| f.fingerprint)
            .ok_or_else(|| anyhow::anyhow!("finding"))?
    };
    let mut tx = begin(pool, &reviewer).await?;
    let refused = requisitions::review(
        &mut tx,
        o.org_id,
        own,
        &own_fingerprint,
        o.manager,
        ReviewDecision::Accepted,
        "",
    )
    .await;
    assert!(refused.is_err(), "no self-review: {refused:?}");
    tx.rollback().await?;

    let mut tx = begin(pool, &reviewer).await?;
    requisitions::review(
        &mut tx,
        o.org_id,
        mine,
        &fingerprint,
        o.manager,
        ReviewDecision::Dismissed,
        "Reads aloud to crews.",
    )
    .await?;
    tx.commit().await?;

    // Ann edits elsewhere: the same words, the same fingerprint, the decision holds.
    let edited = format!("Join our team!\n{posting}");
    let report = attest_reqiq::analyze(&edited, &fields);
    let version = NewVersion {
        body: &edited,
        fields: &fields,
        source: Source::Paste,
        file_name: None,
    };
    let mut tx = begin(pool, &ann_ctx).await?;
    assert_eq!(
        requisitions::add_version(&mut tx, o.org_id, mine, ann, None, &version, &report).await?,
        2
    );
    let findings = requisitions::findings(&mut tx, mine, 2).await?;
    tx.commit().await?;
    let native = findings
        .iter()
        .find(|f| f.fingerprint == fingerprint)
        .ok_or_else(|| anyhow::anyhow!("carried"))?;
    let review = native
        .review
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("decision carried over"))?;
    assert_eq!(review.decision, ReviewDecision::Dismissed);
    assert!(
        !review.reviewer_name.is_empty(),
        "the author sees the reviewer's name"
    );
    Ok(())
}
