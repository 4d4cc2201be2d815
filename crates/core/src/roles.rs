//! Built-in roles. Every organisation starts with these (custom roles are added per
//! organisation); `platform_admin` belongs to the platform, not to any organisation.

use crate::permissions::{Permission, PermissionSet};
use serde::Serialize;
use std::str::FromStr;

/// Where a role applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleScope {
    /// Granted by membership in one organisation.
    Organisation,
    /// Granted by the platform operator; never part of an organisation.
    Platform,
}

/// The roles Attest ships with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    Worker,
    Supervisor,
    HseManager,
    Auditor,
    OrgAdmin,
    RequisitionAuthor,
    ComplianceReviewer,
    PlatformAdmin,
}

use Permission as P;

const WORKER: &[Permission] = &[
    P::OrgRead,
    P::SitesRead,
    P::CrewsRead,
    P::CredentialsReadSelf,
    P::AuditReadSelf,
];

const SUPERVISOR: &[Permission] = &[
    P::OrgRead,
    P::SitesRead,
    P::CrewsRead,
    P::PeopleReadCrew,
    P::CredentialsReadSelf,
    P::CredentialsReadCrew,
    P::CredentialsVerify,
    P::AuditReadSelf,
];

const HSE_MANAGER: &[Permission] = &[
    P::OrgRead,
    P::PeopleReadOrg,
    P::SitesRead,
    P::SitesManage,
    P::CrewsRead,
    P::CrewsManage,
    P::CredentialsReadSelf,
    P::CredentialsReadOrg,
    P::CredentialsManage,
    P::CredentialsPersonalRead,
    P::CredentialsVerify,
    P::AuditReadSelf,
    P::AuditReadOrg,
    P::AuditExport,
];

const AUDITOR: &[Permission] = &[
    P::OrgRead,
    P::PeopleReadOrg,
    P::SitesRead,
    P::CrewsRead,
    P::CredentialsReadOrg,
    P::AuditReadSelf,
    P::AuditReadOrg,
    P::AuditExport,
    P::RequisitionsReadOrg,
];

const ORG_ADMIN: &[Permission] = &[
    P::OrgRead,
    P::OrgManage,
    P::PeopleReadOrg,
    P::PeopleManage,
    P::RolesManage,
    P::SitesRead,
    P::SitesManage,
    P::CrewsRead,
    P::CrewsManage,
    P::CredentialsReadSelf,
    P::CredentialsReadOrg,
    P::AuditReadSelf,
    P::AuditReadOrg,
    P::AuditExport,
];

const REQUISITION_AUTHOR: &[Permission] = &[
    P::OrgRead,
    P::AuditReadSelf,
    P::RequisitionsCreate,
    P::RequisitionsReadOwn,
];

const COMPLIANCE_REVIEWER: &[Permission] = &[
    P::OrgRead,
    P::AuditReadSelf,
    P::RequisitionsCreate,
    P::RequisitionsReadOwn,
    P::RequisitionsReadOrg,
    P::RequisitionsReview,
];

const PLATFORM_ADMIN: &[Permission] = &[P::PlatformAdmin];

impl BuiltinRole {
    pub const ALL: &'static [BuiltinRole] = &[
        BuiltinRole::Worker,
        BuiltinRole::Supervisor,
        BuiltinRole::HseManager,
        BuiltinRole::Auditor,
        BuiltinRole::OrgAdmin,
        BuiltinRole::RequisitionAuthor,
        BuiltinRole::ComplianceReviewer,
        BuiltinRole::PlatformAdmin,
    ];

    /// The built-in roles an organisation's members can hold.
    pub fn organisation_roles() -> impl Iterator<Item = BuiltinRole> {
        Self::ALL
            .iter()
            .copied()
            .filter(|r| r.scope() == RoleScope::Organisation)
    }

    /// The stable key stored in the database and used in the API.
    pub const fn key(self) -> &'static str {
        match self {
            BuiltinRole::Worker => "worker",
            BuiltinRole::Supervisor => "supervisor",
            BuiltinRole::HseManager => "hse_manager",
            BuiltinRole::Auditor => "auditor",
            BuiltinRole::OrgAdmin => "org_admin",
            BuiltinRole::RequisitionAuthor => "requisition_author",
            BuiltinRole::ComplianceReviewer => "compliance_reviewer",
            BuiltinRole::PlatformAdmin => "platform_admin",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            BuiltinRole::Worker => "Worker",
            BuiltinRole::Supervisor => "Supervisor",
            BuiltinRole::HseManager => "HSE manager",
            BuiltinRole::Auditor => "Auditor",
            BuiltinRole::OrgAdmin => "Organisation admin",
            BuiltinRole::RequisitionAuthor => "Requisition author",
            BuiltinRole::ComplianceReviewer => "Compliance reviewer",
            BuiltinRole::PlatformAdmin => "Platform admin",
        }
    }

    pub const fn description(self) -> &'static str {
        match self {
            BuiltinRole::Worker => "Sees their own record, credentials and badge.",
            BuiltinRole::Supervisor => {
                "Sees their crews and their crews' credentials; verifies badges at the gate."
            }
            BuiltinRole::HseManager => {
                "Sees and manages the whole organisation's workforce, credentials and readiness."
            }
            BuiltinRole::Auditor => {
                "Reads everything in the organisation and exports the audit ledger; changes nothing."
            }
            BuiltinRole::OrgAdmin => "Manages members, roles, sites, crews and security settings.",
            BuiltinRole::RequisitionAuthor => "Submits job requisitions and sees their own.",
            BuiltinRole::ComplianceReviewer => {
                "Reviews every requisition's findings in the organisation."
            }
            BuiltinRole::PlatformAdmin => {
                "Operates the platform; holds no organisation data access by itself."
            }
        }
    }

    pub const fn scope(self) -> RoleScope {
        match self {
            BuiltinRole::PlatformAdmin => RoleScope::Platform,
            _ => RoleScope::Organisation,
        }
    }

    pub const fn permission_list(self) -> &'static [Permission] {
        match self {
            BuiltinRole::Worker => WORKER,
            BuiltinRole::Supervisor => SUPERVISOR,
            BuiltinRole::HseManager => HSE_MANAGER,
            BuiltinRole::Auditor => AUDITOR,
            BuiltinRole::OrgAdmin => ORG_ADMIN,
            BuiltinRole::RequisitionAuthor => REQUISITION_AUTHOR,
            BuiltinRole::ComplianceReviewer => COMPLIANCE_REVIEWER,
            BuiltinRole::PlatformAdmin => PLATFORM_ADMIN,
        }
    }

    pub fn permissions(self) -> PermissionSet {
        self.permission_list().iter().copied().collect()
    }
}

impl FromStr for BuiltinRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.key() == s)
            .ok_or_else(|| format!("unknown built-in role {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for role in BuiltinRole::ALL {
            assert_eq!(role.key().parse::<BuiltinRole>(), Ok(*role));
        }
    }

    #[test]
    fn only_the_platform_admin_holds_the_platform_permission() {
        for role in BuiltinRole::ALL {
            let platform = role.permissions().contains(Permission::PlatformAdmin);
            assert_eq!(
                platform,
                *role == BuiltinRole::PlatformAdmin,
                "{}",
                role.key()
            );
        }
    }

    #[test]
    fn the_platform_admin_is_not_an_organisation_role() {
        assert!(BuiltinRole::organisation_roles().all(|r| r != BuiltinRole::PlatformAdmin));
        assert_eq!(BuiltinRole::organisation_roles().count(), 7);
    }

    #[test]
    fn visibility_widens_from_worker_to_supervisor_to_manager() {
        let worker = BuiltinRole::Worker.permissions();
        let supervisor = BuiltinRole::Supervisor.permissions();
        let manager = BuiltinRole::HseManager.permissions();
        assert!(!worker.contains(Permission::PeopleReadCrew));
        assert!(supervisor.contains(Permission::PeopleReadCrew));
        assert!(!supervisor.contains(Permission::PeopleReadOrg));
        assert!(manager.contains(Permission::PeopleReadOrg));
    }

    #[test]
    fn the_auditor_can_change_nothing() {
        let changes = [
            Permission::OrgManage,
            Permission::PeopleManage,
            Permission::RolesManage,
            Permission::SitesManage,
            Permission::CrewsManage,
            Permission::CredentialsManage,
            Permission::RequisitionsCreate,
            Permission::RequisitionsReview,
        ];
        let auditor = BuiltinRole::Auditor.permissions();
        assert!(changes.iter().all(|p| !auditor.contains(*p)));
    }

    #[test]
    fn no_role_lists_a_permission_twice() {
        for role in BuiltinRole::ALL {
            assert_eq!(
                role.permissions().len(),
                role.permission_list().len(),
                "{}",
                role.key()
            );
        }
    }
}

#[cfg(test)]
mod documentation {
    use super::*;

    /// `docs/roles-and-rls.md` has a table of every permission by role; it must say what the code
    /// grants.
    #[test]
    fn the_documented_permission_table_matches_the_code() {
        let doc = include_str!("../../../docs/roles-and-rls.md");
        let header = doc
            .lines()
            .find(|l| l.starts_with("| Permission |"))
            .expect("the permission table");
        let roles: Vec<BuiltinRole> = header
            .split('|')
            .skip(2)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| match c {
                "worker" => BuiltinRole::Worker,
                "supervisor" => BuiltinRole::Supervisor,
                "hse_manager" => BuiltinRole::HseManager,
                "auditor" => BuiltinRole::Auditor,
                "org_admin" => BuiltinRole::OrgAdmin,
                "req. author" => BuiltinRole::RequisitionAuthor,
                "reviewer" => BuiltinRole::ComplianceReviewer,
                other => panic!("unknown role column {other}"),
            })
            .collect();
        let mut documented = 0;
        for line in doc.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let Ok(permission) = cells[1].trim_matches('`').parse::<Permission>() else {
                continue;
            };
            documented += 1;
            for (role, cell) in roles.iter().zip(&cells[2..]) {
                assert_eq!(
                    *cell == "✓",
                    role.permissions().contains(permission),
                    "docs/roles-and-rls.md: {} for {}",
                    permission,
                    role.key()
                );
            }
        }
        assert_eq!(
            documented,
            Permission::ALL.len() - 1,
            "every organisation permission has a row"
        );
    }
}
