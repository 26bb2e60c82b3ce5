//! Durations as users write them: `90s`, `15m`, `1h30m`, `35d`.

use std::fmt;

use serde::Serialize;

/// A non-negative duration in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dur(pub u64);

/// The largest duration accepted: 100 years, far beyond any AWS retention.
pub const MAX_SECS: u64 = 100 * 366 * 86_400;

impl Dur {
    pub const ZERO: Dur = Dur(0);

    pub const fn secs(s: u64) -> Dur {
        Dur(s)
    }
    pub const fn mins(m: u64) -> Dur {
        Dur(m * 60)
    }
    pub const fn hours(h: u64) -> Dur {
        Dur(h * 3600)
    }
    pub const fn days(d: u64) -> Dur {
        Dur(d * 86_400)
    }

    pub fn as_secs(self) -> u64 {
        self.0
    }

    /// Whole days, rounded up.
    pub fn days_ceil(self) -> u64 {
        self.0.div_ceil(86_400)
    }

    pub fn saturating_add(self, other: Dur) -> Dur {
        Dur(self.0.saturating_add(other.0))
    }

    /// Parse `<integer><unit>` repeated, units `s`, `m`, `h`, `d`, largest first,
    /// each at most once (`1h30m`, not `30m1h` or `1h1h`).
    pub fn parse(text: &str) -> Result<Dur, String> {
        if text.is_empty() {
            return Err("a duration cannot be empty".into());
        }
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut last_rank = usize::MAX;
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let (rank, unit) = match c {
                'd' => (3, 86_400),
                'h' => (2, 3600),
                'm' => (1, 60),
                's' => (0, 1),
                _ => return Err(format!("unexpected `{c}`: units are s, m, h and d")),
            };
            if digits.is_empty() {
                return Err(format!("`{c}` must follow a number, as in `15{c}`"));
            }
            if rank >= last_rank {
                return Err(
                    "write units from largest to smallest, each once (as in `1h30m`)".into(),
                );
            }
            last_rank = rank;
            let n: u64 = digits.parse().map_err(|_| "number too large".to_string())?;
            total = n
                .checked_mul(unit)
                .and_then(|v| total.checked_add(v))
                .filter(|v| *v <= MAX_SECS)
                .ok_or("duration too long (at most 100 years)")?;
            digits.clear();
        }
        if !digits.is_empty() {
            return Err(format!(
                "`{digits}` has no unit: write `{digits}s`, `{digits}m`, `{digits}h` or `{digits}d`"
            ));
        }
        Ok(Dur(total))
    }
}

impl fmt::Display for Dur {
    /// The shortest exact form: `0s`, `90s` → `1m30s`, `5400s` → `1h30m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return write!(f, "0s");
        }
        let mut rest = self.0;
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for Dur {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_examples() {
        for (text, secs) in [
            ("90s", 90),
            ("15m", 900),
            ("1h30m", 5400),
            ("35d", 35 * 86_400),
            ("0s", 0),
        ] {
            assert_eq!(Dur::parse(text), Ok(Dur(secs)), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_durations() {
        for text in [
            "",
            "15",
            "m",
            "1.5h",
            "30m1h",
            "1h1h",
            "15 m",
            "-5m",
            "1w",
            "99999999999999999999d",
        ] {
            assert!(Dur::parse(text).is_err(), "{text} should be rejected");
        }
    }

    #[test]
    fn displays_round_trip() {
        for secs in [0, 1, 59, 60, 90, 3600, 5400, 86_400, 90_061] {
            let d = Dur(secs);
            assert_eq!(Dur::parse(&d.to_string()), Ok(d));
        }
        assert_eq!(Dur(5400).to_string(), "1h30m");
    }
}
