//! Identity numbers an applicant gives (MISSION C1): the resident identity card number
//! (GB 11643-1999, 公民身份号码) and the unified social credit code (GB 32100-2015,
//! 统一社会信用代码), as validated newtypes, plus masking for logs and receipts.
//!
//! A value of `ResidentId` or `CreditCode` is always normalised (no spaces, upper-case `X`)
//! and has passed its check character, so code that holds one need not check again.

use serde::{Deserialize, Serialize};

/// Why a number was refused. Each reason has a message in both UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdError {
    /// Wrong number of characters.
    Length,
    /// A character not allowed at its position.
    Format,
    /// The resident ID's date of birth does not exist.
    BirthDate,
    /// The check character does not match.
    Check,
}

impl IdError {
    pub fn code(self) -> &'static str {
        match self {
            IdError::Length => "length",
            IdError::Format => "format",
            IdError::BirthDate => "birth_date",
            IdError::Check => "check_character",
        }
    }
}

/// A resident identity number: 17 digits and a check character (digit or `X`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

/// GB 11643 weights for the first 17 digits (2^(17-i) mod 11).
const RIC_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for sum mod 11.
const RIC_CHECK: &[u8; 11] = b"10X98765432";

impl ResidentId {
    /// Accepts spaces and a lower-case `x`; refuses anything that fails GB 11643.
    pub fn parse(input: &str) -> Result<ResidentId, IdError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(IdError::Length);
        }
        let b = s.as_bytes();
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(IdError::Format);
        }
        let date = format!("{}-{}-{}", &s[6..10], &s[10..12], &s[12..14]);
        let year: u32 = s[6..10].parse().unwrap_or(0);
        if year < 1800 || crate::catalog::Date::parse(&date).is_err() {
            return Err(IdError::BirthDate);
        }
        let sum: u32 = b[..17].iter().zip(RIC_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        if RIC_CHECK[(sum % 11) as usize] != b[17] {
            return Err(IdError::Check);
        }
        Ok(ResidentId(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Date of birth as `YYYY-MM-DD` (checked to exist by `parse`).
    pub fn birth_date(&self) -> String {
        format!("{}-{}-{}", &self.0[6..10], &self.0[10..12], &self.0[12..14])
    }
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// A unified social credit code: 2 digits (registration authority and entity type),
/// 6-digit administrative division, 9-character organisation code, check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

/// The 31 characters GB 32100 uses (no I, O, Z, S, V), in value order.
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, IdError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(IdError::Length);
        }
        let b = s.as_bytes();
        let value = |c: u8| USCC_ALPHABET.iter().position(|&a| a == c);
        // As python-stdnum (our test vectors' source) does: positions 1-8 are digits.
        if !b[..8].iter().all(u8::is_ascii_digit) || b.iter().any(|&c| value(c).is_none()) {
            return Err(IdError::Format);
        }
        // Weights are 3^i mod 31.
        let mut weight = 1usize;
        let mut sum = 0usize;
        for &c in &b[..17] {
            sum += value(c).unwrap_or(0) * weight;
            weight = weight * 3 % 31;
        }
        let check = USCC_ALPHABET[(31 - sum % 31) % 31];
        if check != b[17] {
            return Err(IdError::Check);
        }
        Ok(CreditCode(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

impl std::fmt::Display for ResidentId {
    /// Displays masked: a full number must be asked for explicitly with `as_str`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}
impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Masks a document number for logs and receipts: the first four and last four
/// characters stay (region and check, enough for a person to recognise their own
/// number), the rest become `*`. Short numbers keep only their last two characters.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().filter(|c| !c.is_whitespace()).collect();
    let n = chars.len();
    let (head, tail) = if n >= 12 { (4, 4) } else { (0, n.min(2)) };
    chars.iter().enumerate().map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_id_rules() {
        assert!(ResidentId::parse("110102199101010078").is_ok());
        assert_eq!(ResidentId::parse("11010219910101007").unwrap_err(), IdError::Length);
        assert_eq!(ResidentId::parse("11010219910230007X").unwrap_err(), IdError::BirthDate);
        assert_eq!(ResidentId::parse("110102199101010079").unwrap_err(), IdError::Check);
        assert_eq!(ResidentId::parse("110102199101010078").unwrap().birth_date(), "1991-01-01");
    }

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask("11010219910101123X"), "1101**********123X");
        assert_eq!(mask("91110000600037341L"), "9111**********341L");
        assert_eq!(mask("A12345"), "****45");
        let id = ResidentId::parse("110102199101010078").unwrap();
        assert_eq!(id.to_string(), "1101**********0078");
        assert!(!format!("{id}").contains("19910101"));
    }
}
