//! Contest API time types: RELTIME (`(-)?h:mm:ss(.uuu)?`, a signed duration)
//! and ABSTIME (ISO 8601 with an offset). Both serialize as the strings the
//! Contest API 2026-01 schemas expect; RELTIME always keeps millisecond
//! precision internally so that scoring can round down to whole minutes
//! without losing what the judge recorded.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a RELTIME or ABSTIME string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {value:?}: expected {expected}")]
pub struct TimeParseError {
    kind: &'static str,
    value: String,
    expected: &'static str,
}

const RELTIME_FORMAT: &str = "(-)?h:mm:ss(.uuu)?";
const ABSTIME_FORMAT: &str = "yyyy-mm-ddThh:mm:ss(.uuu)?(Z|+hh(:mm)?|-hh(:mm)?)";

/// A relative time (contest time or duration), in milliseconds.
///
/// Serialized as RELTIME. Formatting prints `.uuu` only when the value has a
/// fractional second, so whole values (`5:00:00`) round-trip as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RelTime(i64);

impl RelTime {
    pub const ZERO: RelTime = RelTime(0);

    pub const fn from_millis(ms: i64) -> Self {
        RelTime(ms)
    }
    pub const fn from_secs(s: i64) -> Self {
        RelTime(s * 1000)
    }
    pub const fn from_minutes(m: i64) -> Self {
        RelTime(m * 60_000)
    }
    pub const fn as_millis(self) -> i64 {
        self.0
    }
    /// Whole minutes, rounded DOWN (toward minus infinity): the unit the
    /// CCS requirements score in ("contest time rounded down to minutes").
    pub const fn minutes_floor(self) -> i64 {
        self.0.div_euclid(60_000)
    }
    /// This time truncated to its whole minute (see [`RelTime::minutes_floor`]).
    pub const fn floor_to_minute(self) -> RelTime {
        RelTime::from_minutes(self.minutes_floor())
    }
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl std::ops::Add for RelTime {
    type Output = RelTime;
    fn add(self, o: RelTime) -> RelTime {
        RelTime(self.0 + o.0)
    }
}
impl std::ops::Sub for RelTime {
    type Output = RelTime;
    fn sub(self, o: RelTime) -> RelTime {
        RelTime(self.0 - o.0)
    }
}
impl std::ops::Mul<i64> for RelTime {
    type Output = RelTime;
    fn mul(self, k: i64) -> RelTime {
        RelTime(self.0 * k)
    }
}
impl std::iter::Sum for RelTime {
    fn sum<I: Iterator<Item = RelTime>>(it: I) -> RelTime {
        RelTime(it.map(|t| t.0).sum())
    }
}

impl fmt::Display for RelTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let ms = self.0.unsigned_abs();
        let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        write!(f, "{sign}{h}:{m:02}:{s:02}")?;
        if frac != 0 {
            write!(f, ".{frac:03}")?;
        }
        Ok(())
    }
}

impl FromStr for RelTime {
    type Err = TimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TimeParseError {
            kind: "RELTIME",
            value: s.to_string(),
            expected: RELTIME_FORMAT,
        };
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (hms, frac) = match rest.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let mut parts = hms.split(':');
        let (h, m, sec) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(h), Some(m), Some(s), None) => (h, m, s),
            _ => return Err(err()),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || m.len() != 2 || sec.len() != 2 || !digits(m) || !digits(sec) {
            return Err(err());
        }
        let h: i64 = h.parse().map_err(|_| err())?;
        let m: i64 = m.parse().map_err(|_| err())?;
        let sec: i64 = sec.parse().map_err(|_| err())?;
        if m > 59 || sec > 59 {
            return Err(err());
        }
        let ms = match frac {
            None => 0,
            Some(f) if f.len() == 3 && digits(f) => f.parse::<i64>().map_err(|_| err())?,
            Some(_) => return Err(err()),
        };
        let total = h
            .checked_mul(3_600_000)
            .and_then(|x| x.checked_add(m * 60_000 + sec * 1000 + ms))
            .ok_or_else(err)?;
        Ok(RelTime(if neg { -total } else { total }))
    }
}

impl Serialize for RelTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RelTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An absolute time with the offset it was given in (ABSTIME).
///
/// Always formatted with milliseconds (`.uuu`): the spec asks implementations
/// to be consistent about the optional parts, so we always include them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AbsTime(DateTime<FixedOffset>);

impl AbsTime {
    pub fn new(t: DateTime<FixedOffset>) -> Self {
        AbsTime(t)
    }
    pub fn from_unix_millis(ms: i64) -> Option<Self> {
        let utc = FixedOffset::east_opt(0)?;
        utc.timestamp_millis_opt(ms).single().map(AbsTime)
    }
    pub fn now() -> Self {
        AbsTime(chrono::Utc::now().fixed_offset())
    }
    pub fn unix_millis(self) -> i64 {
        self.0.timestamp_millis()
    }
    pub fn datetime(self) -> DateTime<FixedOffset> {
        self.0
    }
    /// The contest time of `self` for a contest that started at `start`.
    pub fn since(self, start: AbsTime) -> RelTime {
        RelTime::from_millis(self.unix_millis() - start.unix_millis())
    }
}

/// This time plus a relative time, keeping the offset (e.g. start + duration).
impl std::ops::Add<RelTime> for AbsTime {
    type Output = AbsTime;
    fn add(self, d: RelTime) -> AbsTime {
        AbsTime(self.0 + chrono::Duration::milliseconds(d.as_millis()))
    }
}

impl PartialOrd for AbsTime {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for AbsTime {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.cmp(&o.0)
    }
}

impl fmt::Display for AbsTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let off = self.0.offset().local_minus_utc();
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.3f"))?;
        if off == 0 {
            f.write_str("Z")
        } else {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
        }
    }
}

impl FromStr for AbsTime {
    type Err = TimeParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || TimeParseError {
            kind: "ABSTIME",
            value: s.to_string(),
            expected: ABSTIME_FORMAT,
        };
        // Split the offset off the end: `Z`, or the last `+`/`-` after the `T`.
        let t_pos = s.find('T').ok_or_else(err)?;
        let (local, offset_secs) = if let Some(l) = s.strip_suffix('Z') {
            (l, 0)
        } else {
            let pos = s[t_pos..].rfind(['+', '-']).ok_or_else(err)? + t_pos;
            let (l, off) = s.split_at(pos);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = &off[1..];
            let (hh, mm) = match off.split_once(':') {
                Some((h, m)) => (h, m),
                None => (off, "00"),
            };
            if hh.len() != 2 || mm.len() != 2 {
                return Err(err());
            }
            let hh: i32 = hh.parse().map_err(|_| err())?;
            let mm: i32 = mm.parse().map_err(|_| err())?;
            if hh > 23 || mm > 59 {
                return Err(err());
            }
            (l, sign * (hh * 3600 + mm * 60))
        };
        // Exactly three fractional digits when present, as the spec's pattern says.
        if let Some((_, frac)) = local.split_once('.') {
            if frac.len() != 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
        }
        let naive =
            NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| err())?;
        if local.len() < 19 {
            return Err(err());
        }
        let off = FixedOffset::east_opt(offset_secs).ok_or_else(err)?;
        off.from_local_datetime(&naive)
            .single()
            .map(AbsTime)
            .ok_or_else(err)
    }
}

impl Serialize for AbsTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AbsTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Both times are strings on the wire, of the spec's RELTIME and ABSTIME
/// forms as [`RelTime`] and [`AbsTime`] write them.
#[cfg(feature = "utoipa")]
mod schema {
    use std::borrow::Cow;

    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;
    use utoipa::{PartialSchema, ToSchema};

    use super::{AbsTime, RelTime, ABSTIME_FORMAT, RELTIME_FORMAT};

    fn string(description: String, pattern: &str) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
            .pattern(Some(pattern))
            .into()
    }

    impl PartialSchema for RelTime {
        fn schema() -> RefOr<Schema> {
            string(
                format!("RELTIME: a contest time or duration, `{RELTIME_FORMAT}`"),
                r"^-?[0-9]+:[0-5][0-9]:[0-5][0-9](\.[0-9]{3})?$",
            )
        }
    }

    impl ToSchema for RelTime {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("RelTime")
        }
    }

    impl PartialSchema for AbsTime {
        fn schema() -> RefOr<Schema> {
            string(
                format!("ABSTIME: an ISO 8601 time with its offset, `{ABSTIME_FORMAT}`"),
                r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$",
            )
        }
    }

    impl ToSchema for AbsTime {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("AbsTime")
        }
    }
}

/// Lenient readers for hand-written package files, where older spec versions
/// (and the spec's own contest.yaml example) still write integers.
pub mod lenient {
    use super::RelTime;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrString {
        Int(i64),
        Str(String),
    }

    fn parse(v: IntOrString, unit_ms: i64) -> Result<RelTime, String> {
        match v {
            IntOrString::Int(n) => Ok(RelTime::from_millis(n * unit_ms)),
            IntOrString::Str(s) => s.parse().map_err(|e: super::TimeParseError| e.to_string()),
        }
    }

    /// `penalty_time`: RELTIME, or an integer number of minutes (2023-06 and
    /// the prose example `penalty_time: 20`).
    pub fn penalty_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RelTime>, D::Error> {
        Option::<IntOrString>::deserialize(d)?
            .map(|v| parse(v, 60_000))
            .transpose()
            .map_err(serde::de::Error::custom)
    }

    /// A duration: RELTIME, or an integer number of seconds (what a YAML 1.1
    /// reader makes of an unquoted `5:00:00`: a base-60 integer).
    pub fn duration_secs<'de, D: Deserializer<'de>>(d: D) -> Result<RelTime, D::Error> {
        parse(IntOrString::deserialize(d)?, 1000).map_err(serde::de::Error::custom)
    }

    /// Like [`duration_secs`], for nullable durations.
    pub fn opt_duration_secs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RelTime>, D::Error> {
        Option::<IntOrString>::deserialize(d)?
            .map(|v| parse(v, 1000))
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reltime_round_trips() {
        for s in [
            "0:00:00",
            "5:00:00",
            "1:02:03.456",
            "-0:00:01",
            "123:59:59.001",
        ] {
            assert_eq!(s.parse::<RelTime>().unwrap().to_string(), s);
        }
        assert_eq!(
            "1:00:00.500".parse::<RelTime>().unwrap().as_millis(),
            3_600_500
        );
    }

    #[test]
    fn reltime_rejects_bad_forms() {
        for s in [
            "",
            "1:60:00",
            "1:00",
            "1:00:00.5",
            "01:0:00",
            "a:00:00",
            "1:00:00:00",
        ] {
            assert!(s.parse::<RelTime>().is_err(), "{s} accepted");
        }
    }

    #[test]
    fn minutes_round_down() {
        assert_eq!(RelTime::from_millis(59_999).minutes_floor(), 0);
        assert_eq!(RelTime::from_millis(60_000).minutes_floor(), 1);
        assert_eq!(RelTime::from_millis(119_999).minutes_floor(), 1);
        // Before the start: still down, not toward zero.
        assert_eq!(RelTime::from_millis(-1).minutes_floor(), -1);
    }

    #[test]
    fn abstime_parses_spec_forms_and_formats_consistently() {
        let t: AbsTime = "2014-06-25T10:00:00+01".parse().unwrap();
        assert_eq!(t.to_string(), "2014-06-25T10:00:00.000+01:00");
        let z: AbsTime = "2014-06-25T09:00:00.250Z".parse().unwrap();
        assert_eq!(z.to_string(), "2014-06-25T09:00:00.250Z");
        assert_eq!(z.since(t), RelTime::from_millis(250));
        assert_eq!(
            (t + RelTime::from_secs(90)).to_string(),
            "2014-06-25T10:01:30.000+01:00"
        );
        let neg: AbsTime = "2020-01-01T00:00:00-05:30".parse().unwrap();
        assert_eq!(neg.to_string(), "2020-01-01T00:00:00.000-05:30");
        for bad in [
            "2014-06-25",
            "2014-06-25T10:00:00",
            "2014-06-25T10:00:00.5Z",
            "x",
        ] {
            assert!(bad.parse::<AbsTime>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn serde_uses_strings() {
        let j = serde_json::to_string(&RelTime::from_minutes(20)).unwrap();
        assert_eq!(j, "\"0:20:00\"");
        let r: RelTime = serde_json::from_str("\"-1:00:00\"").unwrap();
        assert_eq!(r, RelTime::from_minutes(-60));
    }
}
