//! Queries: which terms to look up, and how well each dataset matches.
//!
//! A query is split like indexed text (`text::runs`). Each Han run becomes a *group*
//! of its bigrams (a lone character: its unigram); each word is a group of one term.
//! A dataset matches when every group is matched:
//! - a word group when the word occurs;
//! - a Han group when matched bigrams **cover** its characters: all of them for runs
//!   of up to three characters, three quarters for longer runs (so 北京市公交 still
//!   finds 北京公交). 公交线路 is covered by 公交 + 线路 in 公交车线路站点 although 交线
//!   never occurs.
//!
//! The score of a group grows with coverage, with **contiguity** (the longest chain
//! of consecutive matched bigrams: a phrase beats scattered pieces, standing in for
//! term positions the index does not store), with the field class of each match and
//! with the rarity of its terms (idf); a group fully covered within the title gets a
//! bonus. The score of a dataset is the sum over groups.

use super::codec::Postings;
use super::fields::{FieldClass, CLASS_COUNT};
use super::text::{bigrams, has_prefix_term, prefix_term, runs, Run};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Group {
    /// Indexes into `QueryPlan::terms`, one per bigram in order (or the one unigram).
    Han { chars: usize, terms: Vec<usize> },
    /// `prefix`: for the query's last word — the one the user may still be typing — its
    /// prefix term, which also matches words that start with it. (Whether a space
    /// followed it does not count: the URL keeps the query trimmed, and a shared link
    /// must show what its sender saw.)
    Word { term: usize, prefix: Option<usize> },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryPlan {
    /// Distinct terms to look up.
    pub terms: Vec<String>,
    groups: Vec<Group>,
}

/// A dataset a query matched, with its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// Queries longer than this many terms are cut: a pasted paragraph should not fetch
/// hundreds of shards.
pub const MAX_TERMS: usize = 24;

impl QueryPlan {
    pub fn new(query: &str) -> QueryPlan {
        let mut plan = QueryPlan::default();
        let runs = runs(query);
        let last = runs.len().saturating_sub(1);
        for (i, run) in runs.into_iter().enumerate() {
            if plan.terms.len() >= MAX_TERMS {
                break;
            }
            match run {
                Run::Han(chars) if chars.len() == 1 => {
                    let t = plan.term(chars[0].to_string());
                    plan.groups.push(Group::Han { chars: 1, terms: vec![t] });
                }
                Run::Han(chars) => {
                    let terms = bigrams(&chars).into_iter().map(|b| plan.term(b)).collect();
                    plan.groups.push(Group::Han { chars: chars.len(), terms });
                }
                Run::Word(w) => {
                    let prefix = (i == last && has_prefix_term(&w)).then(|| plan.term(prefix_term(&w)));
                    let t = plan.term(w);
                    plan.groups.push(Group::Word { term: t, prefix });
                }
            }
        }
        plan
    }

    fn term(&mut self, t: String) -> usize {
        match self.terms.iter().position(|x| *x == t) {
            Some(i) => i,
            None => {
                self.terms.push(t);
                self.terms.len() - 1
            }
        }
    }

    /// True when the query has nothing to search for (empty, punctuation, stop words).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The term shards to fetch, sorted and distinct.
    pub fn shards(&self, shard_count: u32) -> Vec<u32> {
        let mut s: Vec<u32> = self.terms.iter().map(|t| super::codec::term_hash(t) % shard_count.max(1)).collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    /// Scores every dataset that matches. `postings[i]` belongs to `terms[i]` (`None`:
    /// the term is not in the index). `doc_count` is the size of the catalog.
    /// Returns hits sorted by dataset number.
    pub fn evaluate(&self, postings: &[Option<&Postings>], doc_count: u32) -> Vec<Hit> {
        assert_eq!(postings.len(), self.terms.len(), "one postings slot per term");
        // (doc, term, class mask) for every occurrence, then grouped by doc.
        let mut occ: Vec<(u32, u16, u8)> = Vec::new();
        let mut idf = vec![0f32; self.terms.len()];
        for (t, p) in postings.iter().enumerate() {
            let Some(p) = p else { continue };
            let df = p.doc_count().max(1) as f32;
            idf[t] = (1.0 + doc_count as f32 / df).ln();
            for class in FieldClass::ALL {
                for &d in p.class_docs(class) {
                    occ.push((d, t as u16, 1 << class as u8));
                }
            }
        }
        occ.sort_unstable_by_key(|&(d, t, _)| (d, t));
        let mut hits = Vec::new();
        let mut masks = vec![0u8; self.terms.len()];
        let mut i = 0;
        while i < occ.len() {
            let doc = occ[i].0;
            masks.iter_mut().for_each(|m| *m = 0);
            while i < occ.len() && occ[i].0 == doc {
                masks[occ[i].1 as usize] |= occ[i].2;
                i += 1;
            }
            if let Some(score) = self.score(&masks, &idf) {
                hits.push(Hit { doc, score });
            }
        }
        hits
    }

    /// The score of one dataset given each term's class mask, or `None` if it fails a group.
    fn score(&self, masks: &[u8], idf: &[f32]) -> Option<f32> {
        let mut total = 0.0;
        for g in &self.groups {
            match g {
                Group::Word { term, prefix } => {
                    if masks[*term] != 0 {
                        total += 0.3 + term_weight(masks[*term], idf[*term]) + title_bonus(masks[*term]);
                    } else if let Some(p) = prefix.filter(|&p| masks[p] != 0) {
                        // A completion ranks below the word itself.
                        total += 0.8 * (0.3 + term_weight(masks[p], idf[p]) + title_bonus(masks[p]));
                    } else {
                        return None;
                    }
                }
                Group::Han { chars, terms } => {
                    let matched: Vec<bool> = terms.iter().map(|&t| masks[t] != 0).collect();
                    let covered = covered_chars(*chars, &matched);
                    let coverage = covered as f32 / *chars as f32;
                    let needed = if *chars <= 3 { *chars } else { (*chars * 3).div_ceil(4) };
                    if covered < needed {
                        return None;
                    }
                    let chain = longest_chain(&matched) as f32 / matched.len() as f32;
                    let weight: f32 =
                        terms.iter().map(|&t| term_weight(masks[t], idf[t])).sum::<f32>() / terms.len() as f32;
                    let in_title: Vec<bool> = terms.iter().map(|&t| masks[t] & 1 != 0).collect();
                    let title = if covered_chars(*chars, &in_title) == *chars { 1.0 } else { 0.0 };
                    total += coverage * coverage * (0.6 + 0.4 * chain) * (0.3 + weight) + title;
                }
            }
        }
        Some(total)
    }
}

/// Weight of a term in a dataset: its best class, plus a quarter of the others, times idf.
fn term_weight(mask: u8, idf: f32) -> f32 {
    let mut best = 0f32;
    let mut rest = 0f32;
    for c in FieldClass::ALL {
        if mask & (1 << c as u8) != 0 {
            let w = c.weight() / FieldClass::Title.weight();
            if w > best {
                rest += best;
                best = w;
            } else {
                rest += w;
            }
        }
    }
    (best + 0.25 * rest) * idf / CLASS_COUNT as f32
}

fn title_bonus(mask: u8) -> f32 {
    if mask & 1 != 0 {
        1.0
    } else {
        0.0
    }
}

/// How many of `chars` characters are covered: a unigram group by its one term,
/// a bigram group char i by bigram i-1 or i.
fn covered_chars(chars: usize, matched: &[bool]) -> usize {
    if chars == 1 {
        return usize::from(matched.first().copied().unwrap_or(false));
    }
    (0..chars).filter(|&i| (i > 0 && matched[i - 1]) || (i < matched.len() && matched[i])).count()
}

fn longest_chain(matched: &[bool]) -> usize {
    let (mut best, mut cur) = (0, 0);
    for &m in matched {
        cur = if m { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(title: &[u32], desc: &[u32]) -> Postings {
        let mut p = Postings::default();
        p.by_class[FieldClass::Title as usize] = title.to_vec();
        p.by_class[FieldClass::Description as usize] = desc.to_vec();
        p
    }

    #[test]
    fn plan_splits_han_into_bigrams() {
        let plan = QueryPlan::new("公交线路 bus");
        assert_eq!(plan.terms, vec!["公交", "交线", "线路", "bus*", "bus"], "bus is being typed: business too");
        assert_eq!(QueryPlan::new("公交 tr").terms, vec!["公交", "tr"], "too short for a prefix");
        assert_eq!(QueryPlan::new("transp").terms, vec!["transp*", "transp"], "the word being typed");
        assert_eq!(QueryPlan::new("transp ").terms, vec!["transp*", "transp"], "still the last word");
        assert_eq!(QueryPlan::new("transp 公交").terms, vec!["transp", "公交"]);
        assert!(QueryPlan::new("  ，。the ").is_empty());
        assert_eq!(QueryPlan::new("公").terms, vec!["公"]);
    }

    #[test]
    fn coverage_finds_a_query_whose_bigram_is_missing() {
        // doc 0: 公交车线路站点 (has 公交, 线路, not 交线); doc 1: only 公交; doc 2: 公交线路
        let plan = QueryPlan::new("公交线路");
        let gj = postings(&[0, 1, 2], &[]);
        let jx = postings(&[2], &[]);
        let xl = postings(&[0, 2], &[]);
        let hits = plan.evaluate(&[Some(&gj), Some(&jx), Some(&xl)], 10);
        let docs: Vec<u32> = hits.iter().map(|h| h.doc).collect();
        assert_eq!(docs, vec![0, 2], "doc 1 covers only half the query");
        assert!(hits[1].score > hits[0].score, "the exact phrase ranks above the split one");
    }

    #[test]
    fn title_matches_rank_above_description_matches() {
        let plan = QueryPlan::new("医保");
        let p = postings(&[5], &[3]);
        let hits = plan.evaluate(&[Some(&p)], 10);
        let s = |d| hits.iter().find(|h| h.doc == d).unwrap().score;
        assert!(s(5) > s(3));
    }

    #[test]
    fn every_group_must_match() {
        let plan = QueryPlan::new("bus 公交");
        let gj = postings(&[1, 2], &[]);
        let bus = postings(&[2, 3], &[]);
        let docs: Vec<u32> = plan.evaluate(&[Some(&bus), Some(&gj)], 10).iter().map(|h| h.doc).collect();
        assert_eq!(docs, vec![2]);
        assert!(plan.evaluate(&[None, Some(&gj)], 10).is_empty());
    }

    #[test]
    fn the_word_being_typed_matches_by_prefix_below_whole_words() {
        let plan = QueryPlan::new("transp");
        // doc 1 has the word "transp" itself, doc 2 a word starting with it.
        let prefix = postings(&[2], &[]);
        let word = postings(&[1], &[]);
        let hits = plan.evaluate(&[Some(&prefix), Some(&word)], 10);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![1, 2]);
        assert!(hits[0].score > hits[1].score);
    }
}
