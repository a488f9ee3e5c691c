//! Dates and times as operators write them: `2026-11-01`, `2026-11-01 08:00`,
//! `2026-11-01T08:00:00+08:00` (a date or time without an offset is in the shop's zone).

use kefu_core::Timestamp;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

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

/// Parses a date or date-time; `default_offset` (minutes) applies when none is written.
pub fn parse_timestamp(s: &str, default_offset: i32) -> Option<Timestamp> {
    let s = s.trim();
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    let days = parse_date(&s[..10])?;
    let rest = s[10..].trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(days * 86_400 - default_offset as i64 * 60);
    }
    let split = rest.find(['+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let mut fields = clock.split(':');
    let h: i64 = fields.next()?.parse().ok()?;
    let m: i64 = fields.next()?.parse().ok()?;
    let sec: f64 = fields.next().map_or(Some(0.0), |f| f.parse().ok())?;
    if h > 23 || m > 59 || !(0.0..61.0).contains(&sec) {
        return None;
    }
    let offset = if zone.is_empty() {
        default_offset
    } else {
        parse_offset(zone)?
    };
    Some(days * 86_400 + h * 3600 + m * 60 + sec as i64 - offset as i64 * 60)
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
