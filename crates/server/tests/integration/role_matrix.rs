//! Route × role matrices: a route called by each kind of caller, each answer's status checked.
//! The credential and requisition matrices both use it.

use crate::credentials::fixture::Member;
use crate::support::{TestApp, TestResponse};
use http::Method;
use serde_json::Value;

/// What an anonymous caller gets from every route that needs a session.
pub(crate) const ANON: u16 = 401;

/// The callers of a matrix, in the order of each case's expected statuses.
pub(crate) struct Callers<'a, const N: usize> {
    pub(crate) app: &'a TestApp,
    /// Each caller's name (for the failure message) and member (none: anonymous).
    pub(crate) who: [(&'static str, Option<&'a Member>); N],
    /// The caller who calls last: the one whose write succeeds, so that the refused calls run
    /// against the state before it.
    pub(crate) last: usize,
}

impl<const N: usize> Callers<'_, N> {
    /// Calls `path` as the caller at `i`.
    pub(crate) async fn call(
        &self,
        i: usize,
        method: &Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<TestResponse> {
        match self.who[i].1 {
            Some(m) => {
                self.app
                    .authed(method.clone(), path, &m.session.access_token, body)
                    .await
            }
            None => self.app.call(method.clone(), path, body, &[]).await,
        }
    }

    /// Calls `path` as every caller and checks each status; a refusal must carry an error code.
    /// Returns each answer's JSON (null if none), in the callers' order.
    pub(crate) async fn check(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        expected: [u16; N],
    ) -> anyhow::Result<Vec<Value>> {
        let mut order: Vec<usize> = (0..N).filter(|&i| i != self.last).collect();
        order.push(self.last);
        let mut results = vec![Value::Null; N];
        for i in order {
            let r = self.call(i, &method, path, body.clone()).await?;
            assert_eq!(
                r.status.as_u16(),
                expected[i],
                "{method} {path} as {}: {}",
                self.who[i].0,
                String::from_utf8_lossy(&r.body)
            );
            if !r.status.is_success() {
                r.error_code();
            }
            results[i] = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        }
        Ok(results)
    }
}
