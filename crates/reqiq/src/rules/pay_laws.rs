//! Pay-transparency laws outside California: the data table the `pay_transparency.other_state`
//! rule reads. Each law requires a pay range in postings for work in its jurisdiction by
//! employers at or above its size threshold, from its effective date. Sources:
//! `shared/data/requisition-law.md` (entries marked there for verification say so here).

/// One jurisdiction's law.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PayLaw {
    /// Two-letter state or district code the work location must have.
    pub(crate) state: &'static str,
    /// A city the work location must be in as well (lower case), for city laws.
    pub(crate) city: Option<&'static [&'static str]>,
    pub(crate) name: &'static str,
    pub(crate) citation: &'static str,
    /// Employers with at least this many employees are covered.
    pub(crate) min_employees: u32,
    /// In force from (ISO date).
    pub(crate) effective: &'static str,
    /// What else the posting must state.
    pub(crate) also: &'static str,
}

const NYC: &[&str] = &[
    "new york",
    "new york city",
    "nyc",
    "manhattan",
    "brooklyn",
    "queens",
    "the bronx",
    "bronx",
    "staten island",
];

pub(crate) static PAY_LAWS: &[PayLaw] = &[
    PayLaw {
        state: "CO",
        city: None,
        name: "Colorado",
        citation: "C.R.S. §8-5-201 (Equal Pay for Equal Work Act)",
        min_employees: 1,
        effective: "2021-01-01",
        also: "a general description of benefits and other compensation (and the application deadline — verify)",
    },
    PayLaw {
        state: "WA",
        city: None,
        name: "Washington",
        citation: "RCW 49.58.110",
        min_employees: 15,
        effective: "2023-01-01",
        also: "a general description of benefits and other compensation",
    },
    PayLaw {
        state: "NY",
        city: None,
        name: "New York State",
        citation: "N.Y. Lab. Law §194-b",
        min_employees: 4,
        effective: "2023-09-17",
        also: "the job description if one exists (verify)",
    },
    PayLaw {
        state: "NY",
        city: Some(NYC),
        name: "New York City",
        citation: "N.Y.C. Admin. Code §8-107(32)",
        min_employees: 4,
        effective: "2022-11-01",
        also: "a good-faith minimum and maximum",
    },
    PayLaw {
        state: "IL",
        city: None,
        name: "Illinois",
        citation: "820 ILCS 112/10",
        min_employees: 15,
        effective: "2025-01-01",
        also: "a general description of benefits and other compensation (a link may serve)",
    },
    PayLaw {
        state: "MN",
        city: None,
        name: "Minnesota",
        citation: "Minn. Stat. §181.173",
        min_employees: 30,
        effective: "2025-01-01",
        also: "a general description of benefits and other compensation",
    },
    PayLaw {
        state: "MA",
        city: None,
        name: "Massachusetts",
        citation: "M.G.L. c.149 §105F",
        min_employees: 25,
        effective: "2025-10-29",
        also: "the range (effective date: verify, sources differ)",
    },
    PayLaw {
        state: "MD",
        city: None,
        name: "Maryland",
        citation: "Md. Code, Lab. & Empl. §3-304.2",
        min_employees: 1,
        effective: "2024-10-01",
        also: "a general description of benefits and other compensation",
    },
    PayLaw {
        state: "HI",
        city: None,
        name: "Hawaii",
        citation: "HRS §378-2.4",
        min_employees: 50,
        effective: "2024-01-01",
        also: "the hourly rate or salary range",
    },
    PayLaw {
        state: "VT",
        city: None,
        name: "Vermont",
        citation: "21 V.S.A. §495o",
        min_employees: 5,
        effective: "2025-07-01",
        also: "commission and tipped-pay disclosures where they apply",
    },
    PayLaw {
        state: "NJ",
        city: None,
        name: "New Jersey",
        citation: "N.J. P.L.2024, c.91 (S2310)",
        min_employees: 10,
        effective: "2025-06-01",
        also: "a general description of benefits and other compensation",
    },
    PayLaw {
        state: "DC",
        city: None,
        name: "District of Columbia",
        citation: "D.C. Wage Transparency Omnibus Amendment Act of 2023",
        min_employees: 1,
        effective: "2024-06-30",
        also: "the range (the Act also bans salary-history inquiries — verify)",
    },
];

/// The table as Markdown rows, for the catalogue.
pub(crate) fn rows() -> Vec<String> {
    PAY_LAWS
        .iter()
        .map(|l| {
            format!(
                "| {} | {} | {} | {} | {} |",
                l.name, l.citation, l.min_employees, l.effective, l.also
            )
        })
        .collect()
}

impl PayLaw {
    /// Whether this law covers a posting with these fields on `date` (ISO). An unknown headcount
    /// is covered only by laws that reach every employer.
    pub(crate) fn covers(&self, fields: &crate::Fields, date: &str) -> bool {
        let in_place = fields.state().as_deref() == Some(self.state)
            && self.city.is_none_or(|cities| {
                let city = fields.work_city.as_deref().unwrap_or_default();
                cities.contains(&city.trim().to_ascii_lowercase().as_str())
            });
        let big_enough = match fields.employees_total {
            Some(n) => n >= self.min_employees,
            None => self.min_employees <= 1,
        };
        in_place && big_enough && self.effective <= date
    }
}

#[cfg(test)]
mod tests {
    use super::{PAY_LAWS, PayLaw};
    use crate::Fields;

    fn at(state: &str, city: Option<&str>, employees: Option<u32>) -> Fields {
        Fields {
            work_state: Some(state.into()),
            work_city: city.map(str::to_owned),
            employees_total: employees,
            ..Fields::default()
        }
    }

    fn covering(fields: &Fields, date: &str) -> Vec<&'static str> {
        PAY_LAWS
            .iter()
            .filter(|l| l.covers(fields, date))
            .map(|l| l.name)
            .collect()
    }

    #[test]
    fn the_table_is_well_formed() {
        for law in PAY_LAWS {
            assert_eq!(law.state.len(), 2, "{}", law.name);
            assert_eq!(law.effective.len(), 10, "{}", law.name);
            assert!(law.min_employees >= 1 && !law.citation.is_empty());
        }
        assert_eq!(PAY_LAWS.len(), 12);
    }

    #[test]
    fn place_headcount_and_date_decide_coverage() {
        let today = "2026-12-01";
        assert_eq!(covering(&at("CO", None, Some(1)), today), ["Colorado"]);
        assert_eq!(covering(&at("CO", None, None), today), ["Colorado"]);
        assert!(covering(&at("WA", None, Some(14)), today).is_empty());
        assert_eq!(covering(&at("WA", None, Some(15)), today), ["Washington"]);
        assert!(covering(&at("MN", None, None), today).is_empty());
        assert_eq!(
            covering(&at("NY", Some("Brooklyn"), Some(10)), today),
            ["New York State", "New York City"]
        );
        assert_eq!(
            covering(&at("ny", Some("Albany"), Some(10)), today),
            ["New York State"]
        );
        assert!(covering(&at("TX", None, Some(500)), today).is_empty());
        // Before its effective date a law does not apply.
        assert!(covering(&at("IL", None, Some(100)), "2024-12-31").is_empty());
        let future = PayLaw {
            effective: "2099-01-01",
            ..PAY_LAWS[0]
        };
        assert!(!future.covers(&at("CO", None, Some(5)), today));
    }
}
