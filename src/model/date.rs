//! Calendar dates (`YYYY-MM-DD`, proleptic Gregorian, UTC): the expiry of an
//! accepted risk, the day of a measurement, and today; and instants
//! ([`Instant`]) as AWS reports them, for the durations of restore jobs.

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

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    pub fn unix_days(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
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

/// A moment in UTC, to the millisecond: a `CreationDate` or `CompletionDate` of
/// an AWS Backup job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    millis: i64,
}

impl Instant {
    /// ISO 8601 as the AWS CLI version 2 writes timestamps
    /// (`2026-11-30T07:42:10.123000+00:00`, `2026-11-30T07:42:10Z`): a date, `T`,
    /// hours, minutes, seconds with an optional fraction, and `Z` or `±hh:mm`.
    pub fn parse(text: &str) -> Result<Instant, String> {
        let bad = || format!("`{text}` is not a timestamp written like `2026-11-30T07:42:10Z`");
        let (date, rest) = text.split_once('T').ok_or_else(bad)?;
        let date = Date::parse(date).map_err(|_| bad())?;
        let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => rest.split_at(i),
            None => return Err(bad()),
        };
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let parts: Vec<&str> = hms.split(':').collect();
        let num = |s: &str, max: i64| -> Result<i64, String> {
            if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let n: i64 = s.parse().map_err(|_| bad())?;
            if n > max { Err(bad()) } else { Ok(n) }
        };
        let [h, m, sec] = parts[..] else {
            return Err(bad());
        };
        let (h, m, sec) = (num(h, 23)?, num(m, 59)?, num(sec, 60)?);
        if !fraction.bytes().all(|b| b.is_ascii_digit())
            || (clock.contains('.') && fraction.is_empty())
        {
            return Err(bad());
        }
        let millis_part: i64 = format!("{fraction:0<3}")[..3].parse().map_err(|_| bad())?;
        let offset_secs = match offset {
            "Z" | "z" => 0,
            o => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let (oh, om) = o[1..].split_once(':').ok_or_else(bad)?;
                sign * (num(oh, 23)? * 3600 + num(om, 59)? * 60)
            }
        };
        let secs = date.unix_days() * 86_400 + h * 3600 + m * 60 + sec - offset_secs;
        Ok(Instant {
            millis: secs * 1000 + millis_part,
        })
    }

    /// Seconds since the epoch, as the AWS API's JSON (and the CLI with
    /// `cli_timestamp_format = wire`) writes timestamps: `1516925490.087`.
    pub fn from_epoch_secs(secs: f64) -> Option<Instant> {
        (secs.is_finite() && (0.0..=253_402_300_799.0).contains(&secs)).then(|| Instant {
            millis: (secs * 1000.0).round() as i64,
        })
    }

    /// The same instant without its milliseconds (as the measurements file keeps it).
    pub fn whole_secs(&self) -> Instant {
        Instant {
            millis: self.millis.div_euclid(1000) * 1000,
        }
    }

    /// The UTC day it falls on.
    pub fn date(&self) -> Date {
        Date::from_unix_days(self.millis.div_euclid(86_400_000) as u64)
    }

    /// Whole seconds from `self` to `later`, rounded up; `None` if `later` is earlier.
    pub fn secs_until(&self, later: Instant) -> Option<u64> {
        let ms = later.millis.checked_sub(self.millis)?;
        (ms >= 0).then(|| (ms as u64).div_ceil(1000))
    }
}

impl fmt::Display for Instant {
    /// `2026-11-30T07:42:10Z` (milliseconds dropped: durations are whole seconds).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.millis.div_euclid(1000);
        let of_day = s.rem_euclid(86_400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60
        )
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
    fn unix_days_invert_calendar_days() {
        for days in [0u64, 59, 10_957, 11_016, 20_790, 2_932_896] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days as i64);
        }
    }

    #[test]
    fn instants_read_the_forms_the_aws_cli_writes() {
        use super::Instant;
        let at = |s| Instant::parse(s).unwrap();
        assert_eq!(
            at("2026-11-30T07:42:10Z").to_string(),
            "2026-11-30T07:42:10Z"
        );
        assert_eq!(
            at("2026-11-30T07:42:10.123000+00:00").to_string(),
            "2026-11-30T07:42:10Z"
        );
        // An offset is converted to UTC, across midnight too.
        assert_eq!(
            at("2026-11-30T23:30:00-02:00").to_string(),
            "2026-12-01T01:30:00Z"
        );
        assert_eq!(
            at("2026-12-01T01:30:00+01:00").date().to_string(),
            "2026-12-01"
        );
        let from = at("2026-11-30T06:00:00.500Z");
        assert_eq!(from.secs_until(at("2026-11-30T07:00:00.501Z")), Some(3601));
        assert_eq!(from.secs_until(at("2026-11-30T06:00:00.500Z")), Some(0));
        assert_eq!(from.secs_until(at("2026-11-30T05:00:00Z")), None);
        assert_eq!(
            Instant::from_epoch_secs(1_516_925_490.087)
                .unwrap()
                .to_string(),
            "2018-01-26T00:11:30Z"
        );
        for bad in [
            "2026-11-30",
            "2026-11-30T07:42Z",
            "2026-11-30T24:00:00Z",
            "2026-11-30T07:42:10",
            "2026-11-30T07:42:10.Z",
            "2026-02-30T07:42:10Z",
            "2026-11-30T07:42:10+0100",
        ] {
            assert!(Instant::parse(bad).is_err(), "{bad}");
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
