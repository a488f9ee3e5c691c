//! Working hours: is a human at work now, and when is the next one?
//!
//! A knowledge base without any opening span is treated as always staffed.

use super::calendar::{local_day, local_minute, timestamp_of, weekday};
use crate::kb::{Timestamp, WorkingHours};

/// Does the shop configure working hours at all?
pub fn configured(hours: &WorkingHours) -> bool {
    hours.weekly.iter().any(|day| !day.is_empty())
}

/// The opening spans of a local day.
pub fn spans(hours: &WorkingHours, day: i64) -> &[(u16, u16)] {
    let day32 = i32::try_from(day).unwrap_or(i32::MAX);
    if hours.holidays.contains(&day32) {
        &[]
    } else if hours.extra_workdays.contains(&day32) {
        &hours.weekly[0]
    } else {
        &hours.weekly[weekday(day)]
    }
}

/// Is someone at work at `now`?
pub fn is_open(hours: &WorkingHours, now: Timestamp) -> bool {
    if !configured(hours) {
        return true;
    }
    let day = local_day(now, hours.utc_offset_minutes);
    let minute = local_minute(now, hours.utc_offset_minutes);
    spans(hours, day)
        .iter()
        .any(|&(from, to)| from <= minute && minute < to)
}

/// The next moment someone is at work (`now` itself when open); `None` if nobody works
/// in the coming 60 days.
pub fn next_opening(hours: &WorkingHours, now: Timestamp) -> Option<Timestamp> {
    if is_open(hours, now) {
        return Some(now);
    }
    let offset = hours.utc_offset_minutes;
    let today = local_day(now, offset);
    let minute = local_minute(now, offset);
    for day in today..today + 60 {
        let mut starts: Vec<u16> = spans(hours, day)
            .iter()
            .filter(|s| s.0 < s.1)
            .map(|s| s.0)
            .collect();
        crate::sort::sort(&mut starts);
        if let Some(&start) = starts.iter().find(|&&start| day > today || start > minute) {
            return Some(timestamp_of(day, start, offset));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::calendar::{days_from_civil, parse_timestamp};

    fn shop() -> WorkingHours {
        let day = vec![(9 * 60, 21 * 60)];
        WorkingHours {
            utc_offset_minutes: 480,
            weekly: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                vec![],
                vec![],
            ],
            holidays: vec![days_from_civil(2026, 11, 23) as i32],
            extra_workdays: vec![days_from_civil(2026, 11, 22) as i32],
        }
    }

    #[test]
    fn opening_and_next_opening() {
        let h = shop();
        let at = |s: &str| parse_timestamp(s, 480).unwrap();
        assert!(is_open(&h, at("2026-11-20 10:00")));
        assert!(!is_open(&h, at("2026-11-20 21:00")));
        // Friday night → Sunday is a make-up workday.
        assert_eq!(
            next_opening(&h, at("2026-11-20 22:30")),
            Some(at("2026-11-22 09:00"))
        );
        // Sunday night → Monday is a holiday → Tuesday.
        assert_eq!(
            next_opening(&h, at("2026-11-22 23:00")),
            Some(at("2026-11-24 09:00"))
        );
        assert_eq!(
            next_opening(&h, at("2026-11-24 07:00")),
            Some(at("2026-11-24 09:00"))
        );
        assert!(is_open(&WorkingHours::default(), 0));
    }
}
