//! Turning text into index terms, the same way for the builder and for queries.
//!
//! Chinese has no spaces between words, so a run of Han characters is indexed as its
//! character **bigrams** (公交车 → 公交, 交车) plus its **unigrams** (公, 交, 车). A query
//! run is split into bigrams too; a document matches when the query's characters are
//! covered by matched bigrams (see `query`), which finds 公交线路 in 公交车线路站点
//! without a dictionary. Latin text is split into words, lower-cased and lightly
//! stemmed (plural endings), with a few stop words dropped. Full-width letters and
//! digits (ＡＢＣ１２３) are folded to ASCII first, as Chinese portals often use them.

/// A maximal run of one kind of text in normalised input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// Han characters, in order.
    Han(Vec<char>),
    /// A Latin/digit word, already lower-cased and stemmed.
    Word(String),
}

/// Is `c` a Han ideograph (CJK Unified Ideographs and extensions, compatibility block)?
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Folds full-width ASCII (U+FF01–FF5E) to ASCII and lower-cases.
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

const STOP_WORDS: [&str; 12] = ["a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"];

/// Light English stemming: only plural endings, so "routes" finds "route" and
/// "statistics" finds "statistic" without the surprises of a full stemmer.
pub fn stem(word: &str) -> String {
    let w = word;
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if w.len() > 4 && (w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes")) {
        return w[..w.len() - 2].to_string();
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Splits text into runs of Han characters and Latin/digit words. Everything else
/// (punctuation, spaces, symbols) separates runs.
pub fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut han: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, out: &mut Vec<Run>| {
        if !word.is_empty() {
            if !STOP_WORDS.contains(&word.as_str()) {
                out.push(Run::Word(stem(word)));
            }
            word.clear();
        }
    };
    for c in text.chars().map(fold) {
        if is_han(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else {
            if !han.is_empty() {
                out.push(Run::Han(std::mem::take(&mut han)));
            }
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                flush_word(&mut word, &mut out);
            }
        }
    }
    if !han.is_empty() {
        out.push(Run::Han(han));
    }
    flush_word(&mut word, &mut out);
    out
}

/// The bigrams of a Han run, in order (empty for a single character).
pub fn bigrams(chars: &[char]) -> Vec<String> {
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// Shortest prefix of a word that is indexed: fewer letters match too much to help.
pub const PREFIX_MIN: usize = 3;
/// Longest indexed prefix: past this many letters the user has nearly typed the word.
pub const PREFIX_MAX: usize = 16;

/// The prefix term of a half-typed word: `transp` → `transp*` (`*` never occurs in a
/// word, so prefix terms and words cannot collide).
pub fn prefix_term(prefix: &str) -> String {
    format!("{prefix}*")
}

/// Is `w` long enough, short enough and not a number, so that words starting with it
/// carry its prefix term?
pub fn has_prefix_term(w: &str) -> bool {
    (PREFIX_MIN..=PREFIX_MAX).contains(&w.chars().count()) && !w.chars().all(|c| c.is_ascii_digit())
}

/// The prefix terms of an indexed word, so that the word being typed finds it before
/// it is complete (`transp` → transport): every strict prefix of PREFIX_MIN‥PREFIX_MAX
/// letters. Numbers get none (`202` should not find every year of the 2020s).
pub fn prefix_terms(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let numeric = word.chars().all(|c| c.is_ascii_digit());
    let upto = if numeric { 0 } else { chars.len().min(PREFIX_MAX + 1) };
    (PREFIX_MIN..upto).map(move |n| prefix_term(&word[..chars[n].0]))
}

/// Every index term of a text: Han unigrams and bigrams, words and their prefix terms.
/// May repeat.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs(text) {
        match run {
            Run::Han(chars) => {
                out.extend(chars.iter().map(|c| c.to_string()));
                out.extend(bigrams(&chars));
            }
            Run::Word(w) => {
                out.extend(prefix_terms(&w));
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_and_words_split() {
        let r = runs("公交车线路（2024年）Bus Routes");
        assert_eq!(
            r,
            vec![
                Run::Han("公交车线路".chars().collect()),
                Run::Word("2024".into()),
                Run::Han(vec!['年']),
                Run::Word("bus".into()),
                Run::Word("route".into()),
            ]
        );
    }

    #[test]
    fn full_width_is_folded() {
        assert_eq!(runs("ＰＭ２５"), vec![Run::Word("pm25".into())]);
    }

    #[test]
    fn stop_words_and_stems() {
        assert_eq!(runs("the statistics of cities"), vec![Run::Word("statistic".into()), Run::Word("city".into())]);
        assert_eq!(stem("address"), "address");
        assert_eq!(stem("boxes"), "box");
    }

    #[test]
    fn terms_hold_unigrams_and_bigrams() {
        let t = index_terms("医疗保障");
        for want in ["医", "疗", "保", "障", "医疗", "疗保", "保障"] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        assert!(!t.contains(&"医保".to_string()));
    }

    #[test]
    fn words_carry_their_prefixes() {
        let t = index_terms("Transport");
        for want in ["tra*", "tran*", "trans*", "transpor*", "transport"] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        assert!(!t.contains(&"transport*".to_string()) && !t.contains(&"tr*".to_string()));
        assert_eq!(index_terms("2024"), vec!["2024"], "numbers get no prefixes");
        assert_eq!(index_terms("bus"), vec!["bus"], "too short to have an indexed prefix");
        assert_eq!(prefix_terms("abcdefghijklmnopqrstuvwxyz").last().unwrap(), "abcdefghijklmnop*");
        assert!(has_prefix_term("tra") && !has_prefix_term("tr") && !has_prefix_term("202"));
    }
}
