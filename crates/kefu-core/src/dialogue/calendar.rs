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

/// What a customer answered to a flow step asking for a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateAnswer {
    /// A day (local day number).
    Day(i64),
    /// Written as a date that does not exist ("2月30日", "31/4"): the words as written.
    Impossible(String),
    /// No date in the message.
    Nothing,
}

/// The date a customer gives at a flow step (a delivery day, an appointment), in lightly
/// normalised text, relative to `today` (local day number). Steps ask about days to come, so
/// a date without a year is the next such day (today included), and "5/12" is whichever of
/// 12 May and 5 December comes first. Read: `2026-12-05`, `2026/12/5`, `2026年12月5日`,
/// `5月12日` / `5月12号` / `5月12`, `5/12` (`/2027`), `12 May`, `May 12th`, `Dec 5`, and the
/// words of [`relative_date`] (明天, 后天, 听日, tomorrow, 下周一, next monday …); a bare
/// weekday is the coming one.
pub fn answer_date(light: &str, today: i64) -> DateAnswer {
    let digits = han_date_digits(light);
    let light = digits.as_str();
    if let Some(found) = written_date(light, today) {
        return match found {
            Ok(day) => DateAnswer::Day(day),
            Err(written) => DateAnswer::Impossible(written),
        };
    }
    let Some(day) = relative_date(light, today) else {
        return match day_of_month(light, today) {
            Some(Ok(day)) => DateAnswer::Day(day),
            Some(Err(written)) => DateAnswer::Impossible(written),
            None => DateAnswer::Nothing,
        };
    };
    let weekday_named = weekday_phrase(light, today) == Some(day);
    let past_meant = light.contains('上') || light.contains("last");
    if weekday_named && day < today && !past_meant {
        DateAnswer::Day(day + 7)
    } else {
        DateAnswer::Day(day)
    }
}

/// Chinese numerals of a date in digits: 十二月五日 → 12月5日, 二〇二六年 → 2026年, 十二号 →
/// 12号, 廿五号 → 25号.
fn han_date_digits(light: &str) -> String {
    let chars: Vec<char> = light.chars().collect();
    let numeral = |c: char| "〇零一二两三四五六七八九十廿卅".contains(c);
    let mut out = String::with_capacity(light.len());
    let mut i = 0;
    while i < chars.len() {
        if !numeral(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && numeral(chars[i]) {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let unit = chars.get(i).copied();
        let value = match unit {
            // A year is read digit by digit: 二〇二六年.
            Some('年') if !run.contains(['十', '廿', '卅']) && run.chars().count() == 4 => run
                .chars()
                .map(|c| match c {
                    '〇' | '零' => Some('0'),
                    c => crate::text::parse_chinese_number(&c.to_string())
                        .and_then(|d| char::from_digit(d as u32, 10)),
                })
                .collect::<Option<String>>(),
            Some('月' | '日' | '号' | '號') => {
                let run = run.replace('廿', "二十").replace('卅', "三十");
                crate::text::parse_chinese_number(&run)
                    .filter(|n| (1..=31).contains(n))
                    .map(|n| n.to_string())
            }
            _ => None,
        };
        out.push_str(value.as_deref().unwrap_or(&run));
    }
    out
}

/// A day of the month alone ("12号", "5日", "the 5th" is not read): the next such day,
/// today included; `Err` when no month has it (32号).
fn day_of_month(light: &str, today: i64) -> Option<Result<i64, String>> {
    let chars: Vec<char> = light.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '月'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start > 2 || !matches!(chars.get(i), Some('号' | '號' | '日')) {
            continue;
        }
        let written: String = chars[start..=i].iter().collect();
        let day: u32 = written[..written.len() - chars[i].len_utf8()]
            .parse()
            .ok()?;
        let (mut y, mut m, _) = civil_from_days(today);
        for _ in 0..3 {
            if valid(y, m, day) && days_from_civil(y, m, day) >= today {
                return Some(Ok(days_from_civil(y, m, day)));
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        return Some(Err(written));
    }
    None
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month an English word names ("may", "dec", "sept", "December").
fn month_word(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word))
        .map(|i| i as u32 + 1)
}

/// A day of the month written in digits, maybe with an English ordinal ("12", "12th").
fn day_word(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word)
        .trim_end_matches(',');
    (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The day `month`/`day` (of `year`, or the next one from `today`), if it exists.
fn resolve(year: Option<i64>, month: u32, day: u32, today: i64) -> Option<i64> {
    if let Some(y) = year {
        return valid(y, month, day).then(|| days_from_civil(y, month, day));
    }
    let (y, _, _) = civil_from_days(today);
    [y, y + 1]
        .into_iter()
        .filter(|&y| valid(y, month, day))
        .map(|y| days_from_civil(y, month, day))
        .find(|&d| d >= today)
}

/// A date written with digits or an English month name: `Ok(day)`, `Err(as written)` when
/// it names no real day, `None` when there is none.
fn written_date(light: &str, today: i64) -> Option<Result<i64, String>> {
    let chars: Vec<char> = light.chars().collect();
    let digits_at = |i: usize| -> (String, usize) {
        let run: String = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let end = i + run.len();
        (run, end)
    };
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let (first, end) = digits_at(i);
        let sep = chars.get(end).copied();
        let written = |to: usize| chars[start..to.min(chars.len())].iter().collect::<String>();
        // 2026-12-05, 2026/12/5, 2026.12.5, 2026年12月5日
        if first.len() == 4 && matches!(sep, Some('-' | '/' | '.' | '年')) {
            let (month, m_end) = digits_at(end + 1);
            let sep2 = chars.get(m_end).copied();
            let pair = matches!((sep, sep2), (Some('年'), Some('月')))
                || (sep == sep2 && sep != Some('年'));
            if (1..=2).contains(&month.len()) && pair {
                let (day, d_end) = digits_at(m_end + 1);
                if (1..=2).contains(&day.len()) {
                    let to = d_end + usize::from(matches!(chars.get(d_end), Some('日' | '号')));
                    let y: i64 = first.parse().ok()?;
                    let (m, d) = (month.parse().ok()?, day.parse().ok()?);
                    return Some(resolve(Some(y), m, d, today).ok_or_else(|| written(to)));
                }
            }
        }
        // 5月12日, 5月12号, 5月12
        if (1..=2).contains(&first.len()) && sep == Some('月') {
            let (day, d_end) = digits_at(end + 1);
            if (1..=2).contains(&day.len()) {
                let to = d_end + usize::from(matches!(chars.get(d_end), Some('日' | '号')));
                let (m, d) = (first.parse().ok()?, day.parse().ok()?);
                return Some(resolve(None, m, d, today).ok_or_else(|| written(to)));
            }
        }
        // 5/12, 12/5/2027: month first or day first, whichever is a real day and comes first.
        if (1..=2).contains(&first.len()) && sep == Some('/') {
            let (second, s_end) = digits_at(end + 1);
            if (1..=2).contains(&second.len()) {
                let (mut year, mut to) = (None, s_end);
                if chars.get(s_end) == Some(&'/') {
                    let (y, y_end) = digits_at(s_end + 1);
                    if y.len() == 4 {
                        year = y.parse().ok();
                        to = y_end;
                    }
                }
                let (a, b): (u32, u32) = (first.parse().ok()?, second.parse().ok()?);
                let best = [resolve(year, a, b, today), resolve(year, b, a, today)]
                    .into_iter()
                    .flatten()
                    .min();
                return Some(best.ok_or_else(|| written(to)));
            }
        }
        i = end;
    }
    // 12 May, May 12th, 5 dec 2026
    let words: Vec<&str> = light
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (w, word) in words.iter().enumerate() {
        let Some(month) = month_word(word) else {
            continue;
        };
        let before = w
            .checked_sub(1)
            .and_then(|b| day_word(words[b]).map(|d| (d, b)));
        let after = words
            .get(w + 1)
            .and_then(|a| day_word(a).map(|d| (d, w + 1)));
        let Some((day, at)) = after.or(before) else {
            continue;
        };
        let last = at.max(w);
        let year = words
            .get(last + 1)
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|y| y.parse().ok());
        let to = last + usize::from(year.is_some());
        let written = words[at.min(w)..=to].join(" ");
        return Some(resolve(year, month, day, today).ok_or(written));
    }
    None
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
    fn reads_the_dates_a_flow_step_asks_for() {
        let today = days_from_civil(2026, 12, 2); // a Wednesday
        let day = |y, m, d| DateAnswer::Day(days_from_civil(y, m, d));
        // "5/12": 5 December comes before 12 May.
        assert_eq!(answer_date("5/12", today), day(2026, 12, 5));
        // Chinese numerals, and a day of the month alone.
        assert_eq!(answer_date("十二月五日", today), day(2026, 12, 5));
        assert_eq!(answer_date("十二月五号吧", today), day(2026, 12, 5));
        assert_eq!(answer_date("二〇二七年一月三日", today), day(2027, 1, 3));
        assert_eq!(answer_date("一月廿五号", today), day(2027, 1, 25));
        assert_eq!(answer_date("十二号", today), day(2026, 12, 12));
        assert_eq!(answer_date("1号", today), day(2027, 1, 1));
        assert_eq!(answer_date("2号", today), day(2026, 12, 2));
        assert_eq!(answer_date("下周三", today), day(2026, 12, 9));
        assert_eq!(
            answer_date("二月三十日", today),
            DateAnswer::Impossible("2月30日".into())
        );
        assert_eq!(answer_date("三个月", today), DateAnswer::Nothing);
        assert_eq!(answer_date("25/12", today), day(2026, 12, 25));
        assert_eq!(answer_date("12/25", today), day(2026, 12, 25));
        assert_eq!(answer_date("1/3", today), day(2027, 1, 3));
        assert_eq!(answer_date("5月12日", today), day(2027, 5, 12));
        assert_eq!(answer_date("12月5号送", today), day(2026, 12, 5));
        assert_eq!(answer_date("改到12月5", today), day(2026, 12, 5));
        assert_eq!(answer_date("12 may", today), day(2027, 5, 12));
        assert_eq!(answer_date("may 12th please", today), day(2027, 5, 12));
        assert_eq!(answer_date("dec 5", today), day(2026, 12, 5));
        assert_eq!(answer_date("on 5 december 2027", today), day(2027, 12, 5));
        assert_eq!(answer_date("2026-12-05", today), day(2026, 12, 5));
        assert_eq!(answer_date("2026/12/5", today), day(2026, 12, 5));
        assert_eq!(answer_date("2026年12月5日", today), day(2026, 12, 5));
        assert_eq!(answer_date("明天", today), DateAnswer::Day(today + 1));
        assert_eq!(answer_date("后天", today), DateAnswer::Day(today + 2));
        assert_eq!(answer_date("听日", today), DateAnswer::Day(today + 1));
        assert_eq!(answer_date("tomorrow", today), DateAnswer::Day(today + 1));
        assert_eq!(answer_date("下周一", today), day(2026, 12, 7));
        // A bare weekday is the coming one; 上周一 stays in the past.
        assert_eq!(answer_date("周一", today), day(2026, 12, 7));
        assert_eq!(answer_date("friday", today), day(2026, 12, 4));
        assert_eq!(answer_date("上周一", today), day(2026, 11, 23));
        // Days that do not exist are said back as written.
        let no = |s: &str| DateAnswer::Impossible(s.to_string());
        assert_eq!(answer_date("2月30日", today), no("2月30日"));
        assert_eq!(answer_date("改到31/4吧", today), no("31/4"));
        assert_eq!(answer_date("13/13", today), no("13/13"));
        assert_eq!(answer_date("2026-02-29", today), no("2026-02-29"));
        assert_eq!(answer_date("30 feb", today), no("30 feb"));
        assert_eq!(answer_date("看情况吧", today), DateAnswer::Nothing);
        assert_eq!(answer_date("may i ask", today), DateAnswer::Nothing);
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
