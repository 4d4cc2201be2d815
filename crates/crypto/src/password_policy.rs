//! What a new password must be: long enough to resist guessing, short enough to hash cheaply,
//! not common or easily guessed (zxcvbn, with its bundled lists of common and breached passwords,
//! names and words, and the account's own details), and free of composition rules (NIST SP
//! 800-63B §5.1.1.2).

/// Why a new password was refused. Messages are safe to show and never contain the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("must be at least {min} characters long", min = MIN_PASSWORD_CHARS)]
    TooShort,
    #[error("must be at most {max} characters long", max = MAX_PASSWORD_CHARS)]
    TooLong,
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("is too easy to guess{hint}")]
    TooGuessable { hint: String },
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The zxcvbn score (0–4) a new password needs: "safely unguessable" (about 10^8 guesses and up).
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Checks a new password against the policy. `context` holds what an attacker would try first:
/// the person's email address and name, the organisation's name.
pub fn check_new_password(password: &str, context: &[&str]) -> Result<(), PasswordPolicyError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(PasswordPolicyError::TooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(PasswordPolicyError::TooLong);
    }
    if password.chars().any(char::is_control) {
        return Err(PasswordPolicyError::ControlCharacters);
    }
    // Email addresses are split into their parts so that "nadia.quill2026" counts as guessable.
    let parts: Vec<&str> = context
        .iter()
        .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
        .filter(|p| p.len() >= 3)
        .chain(context.iter().copied())
        .collect();
    let estimate = zxcvbn::zxcvbn(password, &parts);
    if estimate.score() < MIN_SCORE {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| format!(": {w}")))
            .unwrap_or_default();
        return Err(PasswordPolicyError::TooGuessable { hint });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_passphrase_without_composition_rules_is_enough() {
        assert_eq!(check_new_password("aurora over the rig floor", &[]), Ok(()));
        assert_eq!(check_new_password("пароль для буровой вышки", &[]), Ok(()));
    }

    #[test]
    fn eleven_characters_are_too_few() {
        assert_eq!(
            check_new_password("k7#Qz!v9@Lw", &[]),
            Err(PasswordPolicyError::TooShort)
        );
    }

    #[test]
    fn one_hundred_and_twenty_eight_characters_are_accepted_but_not_more() {
        let long: String = "correct horse battery staple "
            .repeat(5)
            .chars()
            .take(128)
            .collect();
        assert_eq!(check_new_password(&long, &[]), Ok(()));
        assert_eq!(
            check_new_password(&format!("{long}x"), &[]),
            Err(PasswordPolicyError::TooLong)
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(
            check_new_password(&"é".repeat(11), &[]),
            Err(PasswordPolicyError::TooShort)
        );
    }

    #[test]
    fn common_and_breached_passwords_are_refused_however_long() {
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou1234",
            "aaaaaaaaaaaa",
            "abcdefghijkl",
        ] {
            assert!(
                matches!(
                    check_new_password(common, &[]),
                    Err(PasswordPolicyError::TooGuessable { .. })
                ),
                "{common} must be refused"
            );
        }
    }

    #[test]
    fn a_password_made_of_the_account_details_is_refused() {
        let context = [
            "nadia.quill@borealis.example",
            "Nadia Quill",
            "Borealis Drilling",
        ];
        assert!(matches!(
            check_new_password("borealisnadia", &context),
            Err(PasswordPolicyError::TooGuessable { .. })
        ));
        assert_eq!(
            check_new_password("aurora over the rig floor", &context),
            Ok(())
        );
    }
}
