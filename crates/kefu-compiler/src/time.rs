//! Dates and times as operators write them: `2026-11-01`, `2026-11-01 08:00`,
//! `2026-11-01T08:00:00+08:00` (a date or time without an offset is in the shop's zone).

// The date arithmetic is the conversation engine's (it needs it on the device too).
pub use kefu_core::dialogue::calendar::{days_from_civil, parse_date, parse_timestamp};

/// Parses `HH:MM` into minutes after midnight (24:00 allowed as the end of a day).
pub fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

/// Parses `+08:00`, `-05:30` or `Z` into minutes.
pub fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    if s == "Z" || s == "z" {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let minutes = parse_clock(&s[1..])? as i32;
    Some(sign * minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(parse_timestamp("1970-01-01", 0), Some(0));
        assert_eq!(parse_timestamp("1970-01-02T00:00:00Z", 480), Some(86_400));
        assert_eq!(
            parse_timestamp("2026-11-01T08:00:00+08:00", 0),
            parse_timestamp("2026-11-01", 0)
        );
        assert_eq!(
            parse_timestamp("2026-11-01 08:00", 480),
            parse_timestamp("2026-11-01T00:00Z", 0)
        );
        assert_eq!(parse_timestamp("2026-02-30", 0), None);
        assert_eq!(parse_timestamp("soon", 0), None);
        assert_eq!(parse_clock("24:00"), Some(1440));
        assert_eq!(parse_offset("-05:30"), Some(-330));
    }
}
