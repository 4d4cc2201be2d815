//! Importing credentials from CSV and XLSX: a file with any bad row is refused whole with every
//! row's problems; a good file imports all or nothing; importing it again changes nothing;
//! files that cannot be trusted get a clear error.

use super::fixture::{Member, Workforce};
use crate::support::TestResponse;
use http::StatusCode;
use serde_json::Value;

const GOOD: &str = "email,credential,issuer,issued_on,expires_on,number\n\
    liam@acme.example,WAH,IHSA,2026-01-10,2029-01-10,WAH-1001\n\
    liam@acme.example,First Aid/CPR,Red Cross,2026-02-01,,RC-2002\n\
    mia@acme.example,FORK,Lift Academy,2025-06-01,never,\n";

async fn import(
    w: &Workforce,
    who: &Member,
    file: &[u8],
    dry_run: bool,
) -> anyhow::Result<TestResponse> {
    import_to(w, "credentials", who, file, dry_run).await
}

async fn import_to(
    w: &Workforce,
    kind: &str,
    who: &Member,
    file: &[u8],
    dry_run: bool,
) -> anyhow::Result<TestResponse> {
    let request = http::Request::post(format!("/api/v1/imports/{kind}?dry_run={dry_run}"))
        .header(
            "authorization",
            format!("Bearer {}", who.session.access_token),
        )
        .header("content-type", "application/octet-stream")
        .body(axum::body::Body::from(file.to_vec()))?;
    w.app.request(request).await
}

/// The streamed lines, and the last (the result).
fn lines(r: &TestResponse) -> (Vec<Value>, Value) {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("content-type"), "application/x-ndjson");
    let all: Vec<Value> = String::from_utf8_lossy(&r.body)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let last = all.last().cloned().unwrap_or_default();
    (all, last)
}

async fn stored(w: &Workforce) -> anyhow::Result<(i64, i64, i64)> {
    let db = &w.app.db.na.superuser;
    let count = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
            .fetch_one(db)
            .await
    };
    Ok((
        count("attest.credentials").await?,
        count("attest.credential_versions").await?,
        count("attest.credential_personal").await?,
    ))
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_with_every_rows_problems() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let mixed = format!(
        "{GOOD}nobody@acme.example,WAH,IHSA,2026-01-10,,\nmia@acme.example,XYZ,IHSA,2026-13-01,,\n"
    );
    let (_, result) = lines(&import(&w, &w.manager, mixed.as_bytes(), false).await?);
    assert_eq!(result["type"], "result");
    assert_eq!(result["status"], "refused");
    let problems: Vec<(u64, String)> = result["report"]["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["row"].as_u64().unwrap_or_default(),
                p["column"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![(5, "email".to_owned()), (6, "issued_on".to_owned())],
        "{result}"
    );
    assert_eq!(result["report"]["applied"], false);
    assert_eq!(stored(&w).await?, (0, 0, 0), "nothing written");
    // The unknown type is reported once the date is right.
    let typo = format!("{GOOD}mia@acme.example,XYZ,IHSA,2026-01-01,,\n");
    let (_, result) = lines(&import(&w, &w.manager, typo.as_bytes(), false).await?);
    assert_eq!(result["report"]["problems"][0]["column"], "credential");
    assert_eq!(stored(&w).await?, (0, 0, 0));
    Ok(())
}

#[tokio::test]
async fn a_good_file_imports_once_and_again_changes_nothing() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    // A dry run checks and writes nothing.
    let (_, result) = lines(&import(&w, &w.manager, GOOD.as_bytes(), true).await?);
    assert_eq!(result["status"], "checked");
    assert_eq!(result["report"]["added"], 3);
    assert_eq!(stored(&w).await?, (0, 0, 0));

    let (all, result) = lines(&import(&w, &w.manager, GOOD.as_bytes(), false).await?);
    assert_eq!(result["status"], "imported", "{result}");
    assert_eq!(
        (
            result["report"]["added"].as_u64(),
            result["report"]["unchanged"].as_u64()
        ),
        (Some(3), Some(0))
    );
    assert!(
        all.iter()
            .any(|l| l["type"] == "progress" && l["stage"] == "written"),
        "progress reported"
    );
    assert_eq!(stored(&w).await?, (3, 3, 2));
    // Liam's First Aid got the type's usual 36 months; Mia's forklift never expires.
    let page = w
        .get(&w.worker_a, &format!("/api/v1/workers/{}", w.worker_a.id))
        .await?
        .json();
    let fa = page["credentials"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["type_code"] == "FACPR"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(fa["expires_on"], "2029-02-01");
    let number: Value = w
        .get(
            &w.worker_a,
            &format!(
                "/api/v1/credentials/{}",
                fa["credential_id"].as_str().unwrap_or_default()
            ),
        )
        .await?
        .json();
    assert_eq!(number["personal"]["number"], "RC-2002");

    // The same file again: nothing changes, nothing is recorded.
    let (_, again) = lines(&import(&w, &w.manager, GOOD.as_bytes(), false).await?);
    assert_eq!(again["status"], "imported");
    assert_eq!(
        (
            again["report"]["added"].as_u64(),
            again["report"]["renewed"].as_u64(),
            again["report"]["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(3))
    );
    assert_eq!(stored(&w).await?, (3, 3, 2));

    // A later issue date renews (a new version; the history stays).
    let renewal = GOOD.replace("2026-01-10,2029-01-10", "2026-06-10,2029-06-10");
    let (_, renewed) = lines(&import(&w, &w.manager, renewal.as_bytes(), false).await?);
    assert_eq!(renewed["report"]["renewed"], 1);
    assert_eq!(stored(&w).await?, (3, 4, 3));
    let imports: i64 = sqlx::query_scalar(
        "select count(*) from audit.events where action = 'credentials.imported'",
    )
    .fetch_one(&w.app.db.na.superuser)
    .await?;
    assert_eq!(
        imports, 3,
        "every applied import is on the record, with the file's hash"
    );
    Ok(())
}

#[tokio::test]
async fn an_xlsx_workbook_imports_like_a_csv_file() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let workbook = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/credentials.xlsx"
    ))?;
    let (_, result) = lines(&import(&w, &w.manager, &workbook, false).await?);
    assert_eq!(result["status"], "imported", "{result}");
    assert_eq!(result["report"]["added"], 2);
    let page = w
        .get(&w.manager, &format!("/api/v1/workers/{}", w.worker_a.id))
        .await?
        .json();
    assert_eq!(page["credentials"][0]["issued_on"], "2026-01-01");
    assert_eq!(page["credentials"][0]["expires_on"], "2029-01-01");
    Ok(())
}

#[tokio::test]
async fn files_that_cannot_be_trusted_get_a_clear_error() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let latin1 =
        b"email,credential,issuer,issued_on\nliam@acme.example,WAH,Soci\xe9t\xe9,2026-01-01\n"
            .to_vec();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (latin1, "UTF-8"),
        (b"email,type,issuer,issued,expiry_dat\n".to_vec(), "unknown expiry_dat"),
        (b"name,phone\nLiam,555\n".to_vec(), "missing email, credential, issuer, issued_on"),
        (format!("email,credential,issuer,issued_on\nliam@acme.example,WAH,{},2026-01-01\n", "x".repeat(5000)).into_bytes(), "longer than 500"),
        (b"email,credential,issuer,issued_on\nliam@acme.example,WAH,=HYPERLINK(\"http://evil\"),2026-01-01\n".to_vec(), "formula"),
        (b"PK\x03\x04not really a workbook".to_vec(), "could not be read"),
        // 330 kB that would unzip to 216 MB.
        (std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bomb.xlsx"))?, "expands to more than 100 MB"),
        (Vec::new(), "empty"),
    ];
    for (file, says) in cases {
        let r = import(&w, &w.manager, &file, false).await?;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{says}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.error_code(), "import_file_refused");
        let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    assert_eq!(stored(&w).await?, (0, 0, 0));
    // Only `credentials.manage` imports; another organisation's manager finds none of our people.
    let r = import(&w, &w.supervisor_a, GOOD.as_bytes(), false).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, result) = lines(&import(&w, &w.outsider, GOOD.as_bytes(), false).await?);
    assert_eq!(result["status"], "refused");
    let unknown_people = result["report"]["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["column"] == "email")
        .count();
    assert_eq!(unknown_people, 3, "{result}");
    Ok(())
}

#[tokio::test]
async fn workers_import_adds_and_invites_new_people_and_puts_people_in_crews() -> anyhow::Result<()>
{
    let w = Workforce::new().await?;
    let file = b"Email,Name,Crew\nzoe@acme.example,Zoe Wilson,Framing\nliam@acme.example,Liam Chen,Electrical\nmia@acme.example,Mia Roy,\n";
    let (_, dry) = lines(&import_to(&w, "workers", &w.admin, file, true).await?);
    assert_eq!(dry["status"], "checked", "{dry}");
    let (_, result) = lines(&import_to(&w, "workers", &w.admin, file, false).await?);
    assert_eq!(result["status"], "imported", "{result}");
    assert_eq!(
        (
            result["report"]["added"].as_u64(),
            result["report"]["updated"].as_u64(),
            result["report"]["unchanged"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    // Zoe is invited like anyone else, and now in supervisor A's crew.
    assert_eq!(w.app.mail_kinds("zoe@acme.example").await?, ["invitation"]);
    let crew = w.get(&w.supervisor_a, "/api/v1/workers").await?.json();
    let names: Vec<&str> = crew
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["name"].as_str())
        .collect();
    assert!(names.contains(&"Zoe Wilson"), "{crew}");
    // Liam is in both crews now: supervisor B sees him too.
    let other = w.get(&w.supervisor_b, "/api/v1/workers").await?.json();
    assert!(
        other.to_string().contains(&w.worker_a.id.to_string()),
        "{other}"
    );
    // Again: nothing changes, nobody is invited twice.
    let (_, again) = lines(&import_to(&w, "workers", &w.admin, file, false).await?);
    assert_eq!(again["report"]["unchanged"], 3, "{again}");
    assert_eq!(w.app.mail_kinds("zoe@acme.example").await?.len(), 1);

    // What a row asks must be within the importer's role.
    let job_roles =
        b"email,name,job_role\nzoe@acme.example,Zoe Wilson,Rigger\nnew@acme.example,New Person,\n";
    w.post(
        &w.manager,
        "/api/v1/job-roles",
        serde_json::json!({"name": "Rigger"}),
    )
    .await?;
    let (_, admin) = lines(&import_to(&w, "workers", &w.admin, job_roles, false).await?);
    assert_eq!(
        admin["report"]["problems"][0]["column"], "job_role",
        "{admin}"
    );
    let (_, manager) = lines(&import_to(&w, "workers", &w.manager, job_roles, false).await?);
    assert_eq!(manager["report"]["problems"][0]["row"], 3, "{manager}");
    assert_eq!(manager["report"]["problems"][0]["column"], "email");
    let r = import_to(&w, "workers", &w.supervisor_a, job_roles, false).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, unknown) = lines(
        &import_to(
            &w,
            "workers",
            &w.admin,
            b"email,name,crew\nann@acme.example,Ann,Nope\n",
            false,
        )
        .await?,
    );
    assert_eq!(
        unknown["report"]["problems"][0]["reason"],
        "there is no crew named \"Nope\""
    );
    Ok(())
}
