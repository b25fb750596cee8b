//! Text as the record search sees it: lower-cased words, each reduced to its stem by the
//! Snowball English stemmer (so "likes", "liked" and "liking" are one term). Records are
//! indexed by these terms and queries are made of them, so the two always agree, and the
//! ranking (`search`) can count terms itself.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Words left out of a search query: they match nearly every record and rank nothing.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "did", "do", "does", "for",
    "from", "has", "have", "how", "i", "in", "is", "it", "me", "my", "of", "on", "or", "that",
    "the", "this", "to", "was", "what", "when", "where", "which", "who", "why", "with", "you",
    "your",
];

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Every term of `text`, in order, repeats kept (a record's indexed form).
pub fn terms(text: &str) -> Vec<String> {
    words(text)
        .map(|w| stemmer().stem(&w).into_owned())
        .collect()
}

/// The distinct terms of a search query, stop words left out (unless that leaves none).
pub fn query_terms(query: &str) -> Vec<String> {
    let all: Vec<String> = words(query).collect();
    let kept: Vec<&String> = all
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    let chosen = if kept.is_empty() {
        all.iter().collect()
    } else {
        kept
    };
    let mut out: Vec<String> = Vec::new();
    for w in chosen {
        let t = stemmer().stem(w).into_owned();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_queries_meet_on_stems() {
        assert_eq!(
            terms("Alice LIKES green-tea"),
            ["alic", "like", "green", "tea"]
        );
        assert_eq!(
            query_terms("What does the user like to drink?"),
            ["user", "like", "drink"]
        );
        assert_eq!(query_terms("the the"), ["the"]);
        assert!(query_terms("?!").is_empty());
    }
}
