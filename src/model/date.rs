//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian, UTC): the expiry of an
//! accepted risk, and today.

use std::fmt;

/// The environment variable that sets today's date (`YYYY-MM-DD`) instead of the
/// system clock: to see which accepted risks will have expired on a given day.
pub const TODAY_VAR: &str = "LIFEBOAT_TODAY";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// Exactly `YYYY-MM-DD`, a day that exists (years 1970 to 9999).
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err("expected a date written `YYYY-MM-DD`".to_owned());
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u16>().expect("digits");
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        if year < 1970 {
            return Err(format!("year {year} is before 1970"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        let month = month as u8;
        if day == 0 || day > u16::from(days_in_month(year, month)) {
            return Err(format!("{text} is not a day of the calendar"));
        }
        Ok(Date {
            year,
            month,
            day: day as u8,
        })
    }

    /// The date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: u64) -> Date {
        let z = days as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Today in UTC: `LIFEBOAT_TODAY` when set, else the system clock.
    pub fn today() -> Result<Date, String> {
        if let Some(v) = std::env::var_os(TODAY_VAR) {
            let v = v.to_string_lossy();
            return Date::parse(&v).map_err(|why| format!("{TODAY_VAR}=`{v}`: {why}"));
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| "the system clock is before 1970".to_owned())?
            .as_secs();
        Ok(Date::from_unix_days(secs / 86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_parse_only_when_they_exist() {
        for ok in [
            "2026-12-03",
            "2024-02-29",
            "2000-02-29",
            "1970-01-01",
            "9999-12-31",
        ] {
            assert_eq!(Date::parse(ok).unwrap().to_string(), ok);
        }
        for bad in [
            "2026-2-03",
            "2026-02-30",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "26-01-01",
            "2026/01/01",
            "1969-12-31",
            "２026-01-01",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_days_are_calendar_days() {
        for (days, want) in [
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (10_957, "2000-01-01"),
            (11_016, "2000-02-29"),
            (20_790, "2026-12-03"),
            (2_932_896, "9999-12-31"),
        ] {
            assert_eq!(Date::from_unix_days(days).to_string(), want, "{days}");
        }
    }

    #[test]
    fn dates_order_by_time() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2026-12-03") < d("2026-12-04"));
        assert!(d("2026-12-31") < d("2027-01-01"));
        assert!(d("2026-09-30") < d("2026-10-01"));
    }
}
