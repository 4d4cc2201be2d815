//! What a new password must be: long enough to resist guessing, short enough to hash cheaply,
//! with no composition rules (NIST SP 800-63B §5.1.1.2).

/// Why a new password was refused. Messages are safe to show and never contain the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("must be at least {min} characters long", min = MIN_PASSWORD_CHARS)]
    TooShort,
    #[error("must be at most {max} characters long", max = MAX_PASSWORD_CHARS)]
    TooLong,
    #[error("must not contain control characters")]
    ControlCharacters,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Checks a new password against the policy.
pub fn check_new_password(password: &str) -> Result<(), PasswordPolicyError> {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_characters_of_anything_printable_are_enough() {
        assert_eq!(check_new_password("aaaa bbbb cc"), Ok(()));
        assert_eq!(check_new_password("пароль-длинный"), Ok(()));
    }

    #[test]
    fn eleven_characters_are_too_few() {
        assert_eq!(
            check_new_password("aaaa bbbb c"),
            Err(PasswordPolicyError::TooShort)
        );
    }

    #[test]
    fn one_hundred_and_twenty_eight_characters_are_accepted_but_not_more() {
        assert_eq!(check_new_password(&"x".repeat(128)), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(129)),
            Err(PasswordPolicyError::TooLong)
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check_new_password(&"é".repeat(12)), Ok(()));
    }
}
