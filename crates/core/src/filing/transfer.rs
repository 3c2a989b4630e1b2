//! Moving a filing to another device: the receipt token written as a code a person can
//! read off a printed receipt and type (groups of eight, dashes between), and read back
//! however it was typed (spaces, dashes, upper case).

/// `0123abcd-…` in eight groups of eight hex characters.
pub fn code_of(token: &str) -> String {
    token.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The token a typed code stands for, or `None` when it cannot be one (64 hex characters
/// once spaces and dashes are taken out).
pub fn token_of(typed: &str) -> Option<String> {
    let t: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_lowercase();
    (t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_as_its_token_however_it_is_typed() {
        let token = "0123456789abcdef".repeat(4);
        let code = code_of(&token);
        assert_eq!(code.len(), 64 + 7);
        assert_eq!(&code[..9], "01234567-");
        assert_eq!(token_of(&code).as_deref(), Some(token.as_str()));
        assert_eq!(token_of(&code.to_uppercase().replace('-', " ")).as_deref(), Some(token.as_str()));
        assert_eq!(token_of("0123"), None);
        assert_eq!(token_of(&"g".repeat(64)), None);
    }
}
