//! What an instance is asked: the request the platform sends into an agent, with its headers
//! as a short list rather than an `http::HeaderMap`. A map hashes each name as it goes in, a
//! byte at a time, and the platform's names are long (43 bytes for the session and request
//! ids): building the forwarded map and adding the trace context was about 2,200
//! instructions of each bundled call (callgrind), for an in-process agent that only walks
//! the headers. Hosts that send the request over HTTP make the map then, where a round trip
//! dwarfs it.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};

/// The headers an agent gets, in order, a name's values kept next to one another (as a map
/// yields them). Few: what passes from the caller and the four the platform sets.
#[derive(Debug, Default, Clone)]
pub struct Forwarded(Vec<(HeaderName, HeaderValue)>);

impl Forwarded {
    pub fn with_capacity(n: usize) -> Self {
        Forwarded(Vec::with_capacity(n))
    }

    /// Adds a value for `name` at the end: a name the list has not had yet, or the one its
    /// last value is of (a map's values in the order it yields them). No search: this is
    /// how each call's headers go in.
    pub fn push(&mut self, name: HeaderName, value: HeaderValue) {
        debug_assert!(
            self.0.last().is_some_and(|(n, _)| *n == name) || self.get(&name).is_none(),
            "{name} would be split"
        );
        self.0.push((name, value));
    }

    /// Sets `name` to `value` alone, in the place of its first value (as `HeaderMap::insert`).
    pub fn insert(&mut self, name: HeaderName, value: HeaderValue) {
        match self.0.iter().position(|(n, _)| *n == name) {
            Some(first) => {
                self.0[first].1 = value;
                // The name's other values follow its first.
                let rest = self.0[first + 1..].iter().take_while(|(n, _)| *n == name);
                let end = first + 1 + rest.count();
                self.0.drain(first + 1..end);
            }
            None => self.0.push((name, value)),
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &HeaderName) -> Option<&HeaderValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn contains(&self, name: &HeaderName) -> bool {
        self.get(name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.0.iter().map(|(n, v)| (n, v))
    }

    /// Each name with its last value, in the order names first came (a name's values are
    /// next to one another, so the last of each run).
    pub fn last_values(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        let mut all = self.0.iter().peekable();
        std::iter::from_fn(move || {
            loop {
                let (k, v) = all.next()?;
                if all.peek().is_none_or(|(next, _)| next != k) {
                    return Some((k, v));
                }
            }
        })
    }

    pub fn into_map(self) -> HeaderMap {
        let mut map = HeaderMap::with_capacity(self.0.len());
        for (n, v) in self.0 {
            map.append(n, v);
        }
        map
    }
}

/// One request into an agent: the protocol's method and path, the forwarded headers, the body.
#[derive(Debug)]
pub struct AgentRequest {
    pub method: Method,
    pub uri: Uri,
    pub headers: Forwarded,
    pub body: Body,
}

impl AgentRequest {
    /// The request as `http` has it, for hosts that send it on.
    pub fn into_http(self) -> Request<Body> {
        let mut req = Request::new(self.body);
        *req.method_mut() = self.method;
        *req.uri_mut() = self.uri;
        *req.headers_mut() = self.headers.into_map();
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &'static str) -> HeaderValue {
        HeaderValue::from_static(s)
    }

    fn names(f: &Forwarded) -> Vec<(&str, &str)> {
        let pairs = f.iter().map(|(n, v)| (n.as_str(), v.to_str().unwrap()));
        pairs.collect()
    }

    /// A list that behaves as the map it becomes: the last of a name's values is its value,
    /// and `insert` replaces every value in the first one's place.
    #[test]
    fn insert_replaces_a_names_values_and_the_last_value_counts() {
        let (a, b, c) = (
            HeaderName::from_static("a"),
            HeaderName::from_static("b"),
            HeaderName::from_static("c"),
        );
        let mut f = Forwarded::default();
        f.push(a.clone(), v("1"));
        f.push(a.clone(), v("3"));
        f.push(b.clone(), v("2"));
        f.push(c.clone(), v("4"));
        let last: Vec<&str> = f.last_values().map(|(_, v)| v.to_str().unwrap()).collect();
        assert_eq!(last, ["3", "2", "4"]);
        f.insert(a.clone(), v("5"));
        assert_eq!(names(&f), [("a", "5"), ("b", "2"), ("c", "4")]);
        f.insert(HeaderName::from_static("d"), v("6"));
        assert_eq!(f.get(&b), Some(&v("2")));
        assert!(!f.contains(&HeaderName::from_static("e")));
        let map = f.clone().into_map();
        assert_eq!(map.len(), 4);
        assert_eq!(map.get("a"), Some(&v("5")));
        f.push(HeaderName::from_static("d"), v("7"));
        let map = f.into_map();
        let all: Vec<_> = map.get_all("d").iter().collect();
        assert_eq!(all, [&v("6"), &v("7")]);
    }
}
