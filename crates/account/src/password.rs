//! Secrets Manager's password generator: GetRandomPassword, which
//! `GenerateSecretString` of `AWS::SecretsManager::Secret` uses too. AWS doc:
//! "GetRandomPassword" (AWS Secrets Manager API Reference): length 32 by
//! default (1..=4096), upper and lower case letters, digits and the
//! punctuation below; the space only with IncludeSpace; at least one of every
//! included type unless RequireEachIncludedType is false.
//!
//! The draws come from the account's deterministic words (like its IDs), so
//! a plan and the deploy after it generate the same password.

use crate::{Account, AwsService, ServiceError};

/// The punctuation AWS includes by default (AWS doc: "GetRandomPassword",
/// ExcludePunctuation: ``! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~``).
pub const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// AWS doc: "GetRandomPassword": PasswordLength defaults to 32.
pub const DEFAULT_LENGTH: u32 = 32;
/// The longest password GetRandomPassword makes (the API's range is 1..=4096).
pub const MAX_LENGTH: u32 = 4096;

/// GetRandomPassword's request (also `GenerateSecretString`'s password part).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordRequest {
    /// The length (32 when absent).
    pub password_length: Option<u32>,
    /// Characters never to use.
    pub exclude_characters: String,
    /// No digits.
    pub exclude_numbers: bool,
    /// No punctuation.
    pub exclude_punctuation: bool,
    /// No upper-case letters.
    pub exclude_uppercase: bool,
    /// No lower-case letters.
    pub exclude_lowercase: bool,
    /// The space may appear.
    pub include_space: bool,
    /// At least one of each included type (`None`: true, AWS's default).
    pub require_each_included_type: Option<bool>,
}

/// SplitMix64: a small stream of words from one seed.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A draw below `n` (n ≥ 1), without modulo bias.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }
}

fn invalid_parameter(message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::SecretsManager, "InvalidParameterException", message)
}

/// The character classes a request allows, exclusions applied, each with
/// whether RequireEachIncludedType requires it: the space never is (AWS
/// names only letters, numbers and punctuation).
fn classes(req: &PasswordRequest) -> Vec<(Vec<char>, bool)> {
    let keep = |set: &str| -> Vec<char> { set.chars().filter(|c| !req.exclude_characters.contains(*c)).collect() };
    let mut out = Vec::new();
    if !req.exclude_uppercase {
        out.push((keep("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), true));
    }
    if !req.exclude_lowercase {
        out.push((keep("abcdefghijklmnopqrstuvwxyz"), true));
    }
    if !req.exclude_numbers {
        out.push((keep("0123456789"), true));
    }
    if !req.exclude_punctuation {
        out.push((keep(PUNCTUATION), true));
    }
    if req.include_space {
        out.push((keep(" "), false));
    }
    out.retain(|(chars, _)| !chars.is_empty());
    out
}

/// A password for `req` drawn from `seed`.
pub fn generate(req: &PasswordRequest, seed: [u64; 2]) -> Result<String, ServiceError> {
    let length = req.password_length.unwrap_or(DEFAULT_LENGTH);
    if !(1..=MAX_LENGTH).contains(&length) {
        // The model's range; the text is tasknet's (unverified).
        return Err(invalid_parameter(format!("PasswordLength must be between 1 and {MAX_LENGTH}.")));
    }
    let classes = classes(req);
    if classes.is_empty() {
        // Unverified text: AWS refuses a request that leaves no character to use.
        return Err(invalid_parameter(
            "The password has no characters to draw from: every type or character is excluded.",
        ));
    }
    let required: Vec<&Vec<char>> = match req.require_each_included_type.unwrap_or(true) {
        true => classes.iter().filter(|(_, required)| *required).map(|(c, _)| c).collect(),
        false => Vec::new(),
    };
    if required.len() > length as usize {
        // Unverified text.
        return Err(invalid_parameter(format!(
            "PasswordLength {length} is too short to include each of the {} required character types.",
            required.len()
        )));
    }
    let all: Vec<char> = classes.iter().flat_map(|(c, _)| c.iter().copied()).collect();
    let mut draws = Draws(seed[0] ^ seed[1].rotate_left(17));
    let mut chars: Vec<char> = required.iter().map(|set| set[draws.below(set.len())]).collect();
    while chars.len() < length as usize {
        chars.push(all[draws.below(all.len())]);
    }
    // Fisher-Yates, so the required characters are not always first.
    for i in (1..chars.len()).rev() {
        let j = draws.below(i + 1);
        chars.swap(i, j);
    }
    Ok(chars.into_iter().collect())
}

impl Account {
    /// GetRandomPassword.
    pub fn get_random_password(&mut self, req: &PasswordRequest) -> Result<String, ServiceError> {
        let seed = self.next_words("password");
        generate(req, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn types(p: &str) -> [bool; 4] {
        [
            p.chars().any(|c| c.is_ascii_uppercase()),
            p.chars().any(|c| c.is_ascii_lowercase()),
            p.chars().any(|c| c.is_ascii_digit()),
            p.chars().any(|c| PUNCTUATION.contains(c)),
        ]
    }

    #[test]
    fn defaults_are_32_characters_of_every_type() {
        let p = generate(&PasswordRequest::default(), [1, 2]).expect("password");
        assert_eq!(p.chars().count(), 32);
        assert_eq!(types(&p), [true; 4]);
        assert!(!p.contains(' '));
        // Deterministic per seed, different across seeds.
        assert_eq!(generate(&PasswordRequest::default(), [1, 2]).ok(), Some(p.clone()));
        assert_ne!(generate(&PasswordRequest::default(), [1, 3]).ok(), Some(p));
    }

    #[test]
    fn impossible_requests_are_refused() {
        let all_out = PasswordRequest {
            exclude_numbers: true,
            exclude_punctuation: true,
            exclude_uppercase: true,
            exclude_lowercase: true,
            ..PasswordRequest::default()
        };
        assert_eq!(generate(&all_out, [0, 0]).unwrap_err().code, "InvalidParameterException");
        let short = PasswordRequest { password_length: Some(3), ..PasswordRequest::default() };
        assert!(generate(&short, [0, 0]).is_err());
        let relaxed = PasswordRequest { require_each_included_type: Some(false), ..short };
        assert_eq!(generate(&relaxed, [0, 0]).map(|p| p.len()), Ok(3));
        for bad in [0, 4097] {
            let req = PasswordRequest { password_length: Some(bad), ..PasswordRequest::default() };
            assert!(generate(&req, [0, 0]).is_err());
        }
    }

    #[test]
    fn the_account_draws_a_new_password_each_time() {
        let mut a = Account::default();
        let req = PasswordRequest::default();
        let (p1, p2) = (a.get_random_password(&req), a.get_random_password(&req));
        assert!(p1.is_ok() && p1 != p2);
    }

    prop_compose! {
        fn request()(
            length in 4u32..200,
            exclude in "[a-zA-Z0-9!-/]{0,12}",
            flags in proptest::collection::vec(any::<bool>(), 6),
        ) -> PasswordRequest {
            PasswordRequest {
                password_length: Some(length),
                exclude_characters: exclude,
                exclude_numbers: flags[0],
                exclude_punctuation: flags[1],
                exclude_uppercase: flags[2],
                exclude_lowercase: flags[3],
                include_space: flags[4],
                require_each_included_type: Some(flags[5]),
            }
        }
    }

    proptest! {
        #[test]
        fn passwords_keep_every_rule(req in request(), seed in any::<[u64; 2]>()) {
            let Ok(p) = generate(&req, seed) else {
                // At these lengths only a request with nothing left to draw from is refused.
                prop_assert!(classes(&req).is_empty());
                return Ok(());
            };
            prop_assert_eq!(p.chars().count() as u32, req.password_length.unwrap_or(32));
            for c in p.chars() {
                prop_assert!(!req.exclude_characters.contains(c), "excluded {c:?} in {p:?}");
                prop_assert!(!(req.exclude_numbers && c.is_ascii_digit()));
                prop_assert!(!(req.exclude_uppercase && c.is_ascii_uppercase()));
                prop_assert!(!(req.exclude_lowercase && c.is_ascii_lowercase()));
                prop_assert!(!(req.exclude_punctuation && PUNCTUATION.contains(c)));
                prop_assert!(c != ' ' || req.include_space);
            }
            if req.require_each_included_type != Some(false) {
                for (set, _) in classes(&req).iter().filter(|(_, required)| *required) {
                    prop_assert!(set.iter().any(|c| p.contains(*c)), "no {set:?} in {p:?}");
                }
            }
        }
    }
}
