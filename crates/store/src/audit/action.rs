//! Every action the audit ledger records, by name. The name (`as_str`) is what the ledger stores
//! and exports, and what the web app labels (`web/src/audit-labels.ts`): it never changes once
//! an event carries it.

use std::fmt;

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
        /// An action recorded in the audit ledger.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $variant,)+
        }

        impl AuditAction {
            /// Every action, in the order the web app lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The dotted name the ledger stores, e.g. `auth.sign_in`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }
    };
}

actions! {
    OrganisationCreated => "organisation.created",
    OrganisationPolicyChanged => "organisation.policy_changed",
    MemberAdded => "member.added",
    MemberInvited => "member.invited",
    MemberInvitationAccepted => "member.invitation_accepted",
    MemberRoleChanged => "member.role_changed",
    MemberStatusChanged => "member.status_changed",
    AuthSignIn => "auth.sign_in",
    AuthSignInFailed => "auth.sign_in_failed",
    AuthReauthenticationFailed => "auth.reauthentication_failed",
    AuthSignOut => "auth.sign_out",
    AuthAccountLocked => "auth.account_locked",
    AuthAccountUnlocked => "auth.account_unlocked",
    AuthSessionEnded => "auth.session_ended",
    AuthSessionRevoked => "auth.session_revoked",
    AuthRefreshTokenReused => "auth.refresh_token_reused",
    AuthEmailVerified => "auth.email_verified",
    AuthEmailChangeRequested => "auth.email_change_requested",
    AuthEmailChanged => "auth.email_changed",
    AuthPasswordChanged => "auth.password_changed",
    AuthPasswordResetRequested => "auth.password_reset_requested",
    AuthPasswordReset => "auth.password_reset",
    AuthMfaEnrolled => "auth.mfa_enrolled",
    AuthMfaDisabled => "auth.mfa_disabled",
    AuthMfaReset => "auth.mfa_reset",
    AuthMfaRecoveryCodeUsed => "auth.mfa_recovery_code_used",
    AuthMfaRecoveryCodesRenewed => "auth.mfa_recovery_codes_renewed",
    CredentialAdded => "credential.added",
    CredentialRenewed => "credential.renewed",
    CredentialSuspended => "credential.suspended",
    CredentialReinstated => "credential.reinstated",
    CredentialRevoked => "credential.revoked",
    CredentialExpired => "credential.expired",
    CredentialPersonalViewed => "credential.personal_viewed",
    CredentialEvidenceUploaded => "credential.evidence_uploaded",
    CredentialEvidenceViewed => "credential.evidence_viewed",
    CredentialVerified => "credential.verified",
    BadgeKeyRotated => "badge.key_rotated",
    KeysRewrapped => "keys.rewrapped",
    CredentialSettingsChanged => "credential_settings.changed",
    CredentialTypeCreated => "credential_type.created",
    CredentialTypeUpdated => "credential_type.updated",
    JobRoleCreated => "job_role.created",
    WorkerJobRoleChanged => "worker.job_role_changed",
    RequirementAdded => "requirement.added",
    RequirementRemoved => "requirement.removed",
    CredentialsImported => "credentials.imported",
    WorkersImported => "workers.imported",
    RequisitionCreated => "requisition.created",
    RequisitionEdited => "requisition.edited",
    RequisitionAnalysed => "requisition.analysed",
    RequisitionViewed => "requisition.viewed",
    RequisitionFindingReviewed => "requisition.finding_reviewed",
    RequisitionExported => "requisition.exported",
    AuditExported => "audit.exported",
    AuditPersonalErased => "audit.personal_erased",
}

impl AuditAction {
    /// The action with this dotted name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.as_str() == name)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;
    use std::collections::BTreeSet;

    /// The web app's labels, keyed by action name.
    const LABELS: &str = include_str!("../../../../web/src/audit-labels.ts");

    fn labelled() -> BTreeSet<&'static str> {
        LABELS
            .lines()
            .filter_map(|line| line.trim().strip_prefix('"'))
            .filter_map(|rest| rest.split_once("\":").map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_action_has_a_label_in_the_web_app_and_every_label_an_action() {
        let labelled = labelled();
        let actions: BTreeSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        let unlabelled: Vec<_> = actions.difference(&labelled).collect();
        let stale: Vec<_> = labelled.difference(&actions).collect();
        assert!(
            unlabelled.is_empty(),
            "actions without a label: {unlabelled:?}"
        );
        assert!(stale.is_empty(), "labels of no action: {stale:?}");
    }

    #[test]
    fn names_are_unique_dotted_and_round_trip() {
        let mut seen = BTreeSet::new();
        for action in AuditAction::ALL {
            let name = action.as_str();
            assert!(seen.insert(name), "{name} twice");
            let (area, verb) = name.split_once('.').expect("dotted");
            assert!(
                !area.is_empty() && !verb.is_empty() && !verb.contains('.'),
                "{name}"
            );
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'),
                "{name}"
            );
            assert_eq!(AuditAction::from_name(name), Some(*action));
        }
        assert_eq!(AuditAction::from_name("auth.nothing"), None);
    }
}
