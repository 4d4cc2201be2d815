// How audit actions read to people. The ledger keeps the stable dotted names; the timeline shows
// these, with the dotted name beside them for reference.

export const ACTION_LABELS: Record<string, string> = {
  "organisation.created": "Organisation created",
  "organisation.policy_changed": "Security policy changed",
  "member.added": "Member added",
  "member.invited": "Member invited",
  "member.invitation_accepted": "Invitation accepted",
  "member.role_changed": "Role changed",
  "member.status_changed": "Member suspended or reactivated",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in refused",
  "auth.sign_out": "Signed out",
  "auth.account_locked": "Account locked after failed sign-ins",
  "auth.account_unlocked": "Account unlocked",
  "auth.session_ended": "Session ended",
  "auth.session_revoked": "Session signed out remotely",
  "auth.refresh_token_reused": "Stolen session token refused",
  "auth.email_verified": "Email address confirmed",
  "auth.email_change_requested": "Email change requested",
  "auth.email_changed": "Email address changed",
  "auth.password_changed": "Password changed",
  "auth.password_reset_requested": "Password reset requested",
  "auth.password_reset": "Password reset",
  "auth.mfa_enrolled": "Two-step verification turned on",
  "auth.mfa_disabled": "Two-step verification turned off",
  "auth.mfa_reset": "Two-step verification reset by an admin",
  "auth.mfa_recovery_code_used": "Recovery code used",
  "auth.mfa_recovery_codes_renewed": "New recovery codes made",
  "credential.added": "Credential recorded",
  "credential.renewed": "Credential renewed",
  "credential.suspended": "Credential suspended",
  "credential.reinstated": "Credential reinstated",
  "credential.revoked": "Credential revoked",
  "credential.expired": "Credential expired",
  "credential.personal_viewed": "Credential number and notes viewed",
  "credential.evidence_uploaded": "Evidence file uploaded",
  "credential.evidence_viewed": "Evidence file opened",
  "credential.verified": "Badge checked at a gate",
  "badge.key_rotated": "Badge signing key rotated",
  "credential_settings.changed": "Expiry window or reminders changed",
  "credential_type.created": "Credential type added",
  "credential_type.updated": "Credential type changed",
  "job_role.created": "Job role added",
  "worker.job_role_changed": "Worker's job role changed",
  "requirement.added": "Requirement added",
  "requirement.removed": "Requirement removed",
  "credentials.imported": "Credentials imported",
  "workers.imported": "Workers imported",
  "audit.exported": "Audit ledger exported",
  "audit.personal_erased": "Personal details erased from the ledger",
};

export const ACTION_GROUPS: { value: string; label: string }[] = [
  { value: "", label: "All actions" },
  { value: "auth", label: "Sign-in and account security" },
  { value: "member", label: "Membership and roles" },
  { value: "organisation", label: "Organisation settings" },
  { value: "credential", label: "Credentials and evidence" },
  { value: "requirement", label: "Requirements" },
  { value: "audit", label: "The audit ledger itself" },
];

export const RESOURCE_TYPES: { value: string; label: string }[] = [
  { value: "", label: "Anything" },
  { value: "account", label: "Accounts" },
  { value: "session", label: "Sessions" },
  { value: "organisation", label: "The organisation" },
  { value: "credential", label: "Credentials" },
  { value: "evidence", label: "Evidence files" },
  { value: "credential_type", label: "Credential types" },
  { value: "requirement", label: "Requirements" },
  { value: "audit_log", label: "The audit ledger" },
];

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
