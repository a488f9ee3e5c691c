//! Dates and times in the shop's fixed UTC offset: civil dates, weekdays, parsing the few
//! written forms scripts and order systems use, formatting for customers, and relative
//! dates customers type ("昨天", "上周五", "11月18日", "yesterday").

use crate::kb::Timestamp;

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

/// The civil date `(year, month, day)` of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Monday = 0 … Sunday = 6.
pub fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// The local day number of a timestamp.
pub fn local_day(ts: Timestamp, offset_minutes: i32) -> i64 {
    (ts + offset_minutes as i64 * 60).div_euclid(86_400)
}

/// Minutes after local midnight.
pub fn local_minute(ts: Timestamp, offset_minutes: i32) -> u16 {
    ((ts + offset_minutes as i64 * 60).rem_euclid(86_400) / 60) as u16
}

/// The timestamp of a local day's minute.
pub fn timestamp_of(day: i64, minute: u16, offset_minutes: i32) -> Timestamp {
    day * 86_400 + minute as i64 * 60 - offset_minutes as i64 * 60
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Parses `YYYY-MM-DD` into a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    valid(y, m, d).then(|| days_from_civil(y, m, d))
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && (1900..=2300).contains(&y)
}

/// Parses `2026-11-20`, `2026-11-20 10:00`, `2026-11-20T10:00:00+08:00` or `…Z`; a time
/// without an offset is in `default_offset` minutes.
pub fn parse_timestamp(s: &str, default_offset: i32) -> Option<Timestamp> {
    let s = s.trim();
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    let day = parse_date(&s[..10])?;
    let rest = s[10..].trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(timestamp_of(day, 0, default_offset));
    }
    let split = rest.find(['+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let mut fields = clock.split(':');
    let h: u16 = fields.next()?.trim().parse().ok()?;
    let m: u16 = fields.next()?.trim().parse().ok()?;
    let sec: i64 = fields.next().map_or(Some(0), |f| f.trim().parse().ok())?;
    if h > 23 || m > 59 || !(0..60).contains(&sec) {
        return None;
    }
    let offset = match zone {
        "" => default_offset,
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z[1..].split_once(':').unwrap_or((&z[1..], "0"));
            sign * (oh.parse::<i32>().ok()? * 60 + om.parse::<i32>().ok()?)
        }
    };
    Some(timestamp_of(day, h * 60 + m, offset) + sec)
}

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// "11月21日".
pub fn format_day(day: i64) -> String {
    let (_, m, d) = civil_from_days(day);
    format!("{m}月{d}日")
}

/// "2026-11-21".
pub fn iso_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "11月21日（周六）09:00".
pub fn format_moment(ts: Timestamp, offset_minutes: i32) -> String {
    let day = local_day(ts, offset_minutes);
    let minute = local_minute(ts, offset_minutes);
    format!(
        "{}（{}）{:02}:{:02}",
        format_day(day),
        WEEKDAYS[weekday(day)],
        minute / 60,
        minute % 60
    )
}

/// A date a customer wrote, relative to `today` (local day number), in normalised text.
pub fn relative_date(norm: &str, today: i64) -> Option<i64> {
    const FIXED: &[(&str, i64)] = &[
        ("大前天", -3),
        ("前天", -2),
        ("昨天", -1),
        ("昨日", -1),
        ("今天", 0),
        ("今日", 0),
        ("明天", 1),
        ("后天", 2),
        // Cantonese (normalised: 聽日, 琴日 / 尋日, 前日, 後日)
        ("听日", 1),
        ("琴日", -1),
        ("寻日", -1),
        ("前日", -2),
        ("后日", 2),
        ("day before yesterday", -2),
        ("yesterday", -1),
        ("today", 0),
        ("tomorrow", 1),
    ];
    for (word, delta) in FIXED {
        if norm.contains(word) {
            return Some(today + delta);
        }
    }
    if let Some(day) = weekday_phrase(norm, today) {
        return Some(day);
    }
    if let Some(day) = days_ago(norm, today) {
        return Some(day);
    }
    month_day(norm, today)
}

fn weekday_phrase(norm: &str, today: i64) -> Option<i64> {
    const NAMES: [char; 7] = ['一', '二', '三', '四', '五', '六', '日'];
    const ENGLISH: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let this_monday = today - weekday(today) as i64;
    for prefix in ["周", "星期", "礼拜"] {
        let Some(at) = norm.find(prefix) else {
            continue;
        };
        let after = &norm[at + prefix.len()..];
        let Some(c) = after.chars().next() else {
            continue;
        };
        let index = NAMES
            .iter()
            .position(|&n| n == c)
            .or_else(|| (c == '天' || c == '7').then_some(6))
            .or_else(|| {
                c.to_digit(10)
                    .filter(|d| (1..=6).contains(d))
                    .map(|d| d as usize - 1)
            })?;
        let before = &norm[..at];
        let week = if before.ends_with("上上") {
            -14
        } else if before.ends_with('上') {
            -7
        } else if before.ends_with('下') {
            7
        } else {
            0
        };
        return Some(this_monday + week + index as i64);
    }
    for (i, name) in ENGLISH.iter().enumerate() {
        if norm.contains(name) {
            let week = if norm.contains(&format!("last {name}")) {
                -7
            } else {
                0
            };
            return Some(this_monday + week + i as i64);
        }
    }
    None
}

fn days_ago(norm: &str, today: i64) -> Option<i64> {
    let at = norm.find("天前")?;
    let digits: String = norm[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: i64 = digits.chars().rev().collect::<String>().parse().ok()?;
    (n <= 366).then_some(today - n)
}

fn month_day(norm: &str, today: i64) -> Option<i64> {
    let (year, _, _) = civil_from_days(today);
    if let Some(at) = norm.find('月') {
        let month: String = norm[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        let month: u32 = month.chars().rev().collect::<String>().parse().ok()?;
        let rest = &norm[at + '月'.len_utf8()..];
        let day: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = rest[day.len()..].chars().next();
        if !matches!(after, Some('日' | '号')) {
            return None;
        }
        let day: u32 = day.parse().ok()?;
        let mut y = year;
        if valid(y, month, day) && days_from_civil(y, month, day) > today + 31 {
            y -= 1;
        }
        return valid(y, month, day).then(|| days_from_civil(y, month, day));
    }
    for word in norm.split(' ') {
        if word.len() == 10 {
            if let Some(day) = parse_date(word) {
                return Some(day);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_weekdays() {
        for day in [-1000, 0, 19_000, 20_412, 60_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        let friday = days_from_civil(2026, 11, 20);
        assert_eq!(weekday(friday), 4);
        assert_eq!(
            parse_timestamp("2026-11-20T10:00:00+08:00", 0),
            parse_timestamp("2026-11-20 02:00", 0)
        );
        assert_eq!(
            format_moment(parse_timestamp("2026-11-21 09:00", 480).unwrap(), 480),
            "11月21日（周六）09:00"
        );
    }

    #[test]
    fn reads_relative_dates() {
        let today = days_from_civil(2026, 11, 20); // a Friday
        assert_eq!(relative_date("昨天买的", today), Some(today - 1));
        assert_eq!(relative_date("上周五下的单", today), Some(today - 7));
        assert_eq!(relative_date("周一", today), Some(today - 4));
        assert_eq!(relative_date("11月18日签收", today), Some(today - 2));
        assert_eq!(relative_date("3天前", today), Some(today - 3));
        assert_eq!(relative_date("last friday", today), Some(today - 7));
        // A month-day well ahead of today is last year's (customers talk about past purchases).
        assert_eq!(
            relative_date("12月30号", today),
            Some(days_from_civil(2025, 12, 30))
        );
        assert_eq!(relative_date("退货", today), None);
        // Cantonese, as normalised from 聽日 / 琴日 / 前日 / 後日
        assert_eq!(relative_date("听日送", today), Some(today + 1));
        assert_eq!(relative_date("琴日买的", today), Some(today - 1));
        assert_eq!(relative_date("前日", today), Some(today - 2));
        assert_eq!(relative_date("后日下昼", today), Some(today + 2));
    }
}
