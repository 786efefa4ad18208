//! A small cache with expiry.

use std::collections::HashMap;

/// A cached value and when it expires.
#[derive(Debug, Clone)]
pub struct Entry<V> {
    value: V,
    expires: u64,
}

#[derive(Debug, PartialEq)]
pub enum Lookup {
    Hit,
    Miss,
    Expired(u64),
}

pub trait Clock {
    fn now(&self) -> u64;

    /// Seconds since the epoch, rounded.
    fn seconds(&self) -> u64 {
        self.now() / 1000
    }
}

pub struct Cache<V, C: Clock> {
    entries: HashMap<String, Entry<V>>,
    clock: C,
}

impl<V: Clone, C: Clock> Cache<V, C> {
    /// Makes an empty cache.
    pub fn new(clock: C) -> Self {
        Cache { entries: HashMap::new(), clock }
    }

    #[inline]
    pub fn get(&mut self, key: &str) -> Result<Option<V>, String> {
        let now = self.clock.now();
        let entry = self.entries.get(key).ok_or("missing")?;
        match entry.expires {
            0 => Ok(Some(entry.value.clone())),
            t if t > now && now > 0 => Ok(Some(entry.value.clone())),
            _ => Ok(None),
        }
    }

    pub async fn refresh(&mut self, mut keys: Vec<String>) {
        while let Some(key) = keys.pop() {
            if key.is_empty() || key.len() > 64 {
                continue;
            }
            for attempt in 0..3 {
                if self.try_refresh(&key, attempt).is_ok() {
                    break;
                }
            }
        }
    }

    fn try_refresh(&self, _key: &str, attempt: u32) -> Result<(), ()> {
        let check = |n: u32| if n > 1 { Err(()) } else { Ok(()) };
        check(attempt)
    }
}

impl<V, C: Clock> Drop for Cache<V, C> {
    fn drop(&mut self) {
        self.entries.clear();
    }
}

impl std::fmt::Display for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self)
    }
}

mod tests {
    use super::*;

    #[test]
    fn lookup_names() {
        fn helper() -> u32 {
            1
        }
        assert_eq!(helper(), 1);
    }
}

pub fn free(a: u32, (b, c): (u32, u32)) -> u32 {
    loop {
        if a > b && b > c {
            return a;
        }
        return c;
    }
}
