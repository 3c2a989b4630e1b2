//! Evidence files (O1 证据材料, C1 attachments): what is accepted is decided by the
//! bytes, not by the name or the declared type, and both must agree with the bytes.
//! The intake checks every upload with [`check`]; the app runs the same check when a file
//! is chosen, so a refused file is named at once, in the person's language.

/// Largest file accepted: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Files per filing.
pub const MAX_FILES: i64 = 10;
/// For a file chooser's `accept`: the names of the types [`check`] can accept.
pub const ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.txt,.csv,application/pdf,image/png,image/jpeg,text/plain,text/csv";

/// The file types accepted and how each is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    /// Plain text or CSV: UTF-8 or GB18030, no control bytes but tab, CR and LF.
    Text,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Text => "text/plain",
        }
    }

    /// Media types a client may declare for this kind.
    fn declared_ok(self, declared: &str) -> bool {
        let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match self {
            Kind::Pdf => declared == "application/pdf",
            Kind::Png => declared == "image/png",
            Kind::Jpeg => declared == "image/jpeg" || declared == "image/jpg",
            Kind::Text => declared == "text/plain" || declared == "text/csv",
        }
    }
}

/// Recognises a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if !bytes.is_empty() && bytes.iter().all(|&b| b >= 0x20 && b != 0x7F || matches!(b, b'\t' | b'\n' | b'\r')) {
        Some(Kind::Text)
    } else {
        None
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    UnknownType,
    DeclaredTypeMismatch { declared: String, actual: &'static str },
    BadName,
}

impl Refusal {
    /// A stable code (the intake's error code).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty_file",
            Refusal::TooLarge => "too_large",
            Refusal::UnknownType | Refusal::DeclaredTypeMismatch { .. } => "unsupported_type",
            Refusal::BadName => "bad_file_name",
        }
    }

    /// Why, in zh-CN and English.
    pub fn messages(&self) -> (String, String) {
        match self {
            Refusal::TooLarge => (
                format!("文件不能超过 {} MiB。", MAX_BYTES / (1024 * 1024)),
                format!("Files may be at most {} MiB.", MAX_BYTES / (1024 * 1024)),
            ),
            Refusal::Empty => ("文件是空的。".into(), "The file is empty.".into()),
            Refusal::BadName => (
                "文件名不正确(1–200 个字符,不含路径)。".into(),
                "The file name is not valid (1–200 characters, no path).".into(),
            ),
            Refusal::UnknownType => (
                "只接受 PDF、PNG、JPEG、TXT 或 CSV 文件。".into(),
                "Only PDF, PNG, JPEG, TXT or CSV files are accepted.".into(),
            ),
            Refusal::DeclaredTypeMismatch { declared, actual } => (
                format!("文件声明的类型({declared})与实际内容({actual})不符。"),
                format!("The declared type ({declared}) does not match the content ({actual})."),
            ),
        }
    }
}

/// Checks a file and answers with its kind.
pub fn check(name: &str, declared: &str, bytes: &[u8]) -> Result<Kind, Refusal> {
    if name.trim().is_empty()
        || name.chars().count() > 200
        || name.chars().any(|c| c.is_control() || c == '/' || c == '\\')
        || name.starts_with('.')
    {
        return Err(Refusal::BadName);
    }
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    let kind = sniff(bytes).ok_or(Refusal::UnknownType)?;
    if !kind.declared_ok(declared) {
        return Err(Refusal::DeclaredTypeMismatch { declared: declared.to_string(), actual: kind.media_type() });
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_decide() {
        assert_eq!(check("a.pdf", "application/pdf", b"%PDF-1.7\n..."), Ok(Kind::Pdf));
        assert_eq!(check("a.csv", "text/csv", "站点,经度\n人民广场,102.7\n".as_bytes()), Ok(Kind::Text));
        // An executable renamed to .pdf is refused.
        assert_eq!(check("a.pdf", "application/pdf", b"MZ\x90\x00\x03"), Err(Refusal::UnknownType));
        // A PNG declared as PDF is refused.
        assert!(matches!(
            check("a.pdf", "application/pdf", b"\x89PNG\r\n\x1a\n...."),
            Err(Refusal::DeclaredTypeMismatch { .. })
        ));
        assert_eq!(check("../x.txt", "text/plain", b"hi"), Err(Refusal::BadName));
        assert_eq!(check("x.txt", "text/plain", b""), Err(Refusal::Empty));
        assert_eq!(check("x.txt", "text/plain", &vec![b'a'; MAX_BYTES + 1]), Err(Refusal::TooLarge));
        // GBK text (bytes >= 0x80) is text; a NUL byte is not.
        assert_eq!(sniff(&[0xD5, 0xBE, 0xB5, 0xE3, b'\n']), Some(Kind::Text));
        assert_eq!(sniff(b"ab\0cd"), None);
    }

    #[test]
    fn refusals_say_why_in_both_languages() {
        let (zh, en) = Refusal::TooLarge.messages();
        assert_eq!((zh.as_str(), en.as_str()), ("文件不能超过 10 MiB。", "Files may be at most 10 MiB."));
        assert_eq!(Refusal::UnknownType.code(), "unsupported_type");
        let e = check("a.pdf", "application/pdf", b"PK\x03\x04").unwrap_err();
        assert!(e.messages().1.contains("Only PDF, PNG, JPEG, TXT or CSV"));
    }
}
