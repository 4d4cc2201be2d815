//! The structured fields that decide what text alone cannot: where the work is, how big the
//! employer is, the pay, and facts that change a rule's answer.

use serde::{Deserialize, Serialize};

/// Pay is given per hour or per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayPeriod {
    Hour,
    Year,
}

/// A requisition's structured fields; every one is optional (unknown).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Two-letter state or district code (`CA`, `NY`, `DC`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees_total: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees_in_state: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_period: Option<PayPeriod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub government_contract: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construction_trade: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonprofit: Option<bool>,
}

impl Fields {
    /// The work state, upper-cased, if known.
    pub fn state(&self) -> Option<String> {
        self.work_state
            .as_deref()
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty())
    }

    /// Whether California law reaches the role: work in California, or remote (it could be
    /// filled in California).
    pub fn california_reach(&self) -> bool {
        self.state().as_deref() == Some("CA") || self.remote == Some(true)
    }

    /// Whether the fields give a pay range (a minimum below a maximum).
    pub fn has_pay_range(&self) -> bool {
        matches!((self.pay_min, self.pay_max), (Some(min), Some(max)) if min > 0.0 && max > min)
    }
}
