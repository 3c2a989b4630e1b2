//! The preview table's windowing arithmetic, pure so that it is tested natively: which rows
//! a scroll position shows, how tall the scrolled spacer is, and which rows to read ahead.
//! The grid (`grid.rs`) only feeds it the scroller's measurements.

use std::ops::Range;

/// Fixed row height in pixels (also in style/main.css: `.grid td`).
pub const ROW_H: f64 = 32.0;
pub const HEADER_H: f64 = 40.0;
/// Screens of rows read ahead of the window in the direction of scrolling.
const READ_AHEAD_SCREENS: usize = 8;
/// A sorted or filtered view scatters its rows over the file (one request per cluster):
/// there, only this many screens are read ahead.
const READ_AHEAD_SCREENS_SCATTERED: usize = 2;

/// Rows that fit a viewport of `height` px below the header, plus one cut at the bottom.
pub fn visible_rows(height: f64) -> usize {
    ((height - HEADER_H).max(ROW_H) / ROW_H).ceil() as usize + 1
}

/// The spacer's height: as tall as the rows, up to `cap` (the tallest element the browser
/// lays out); past it, scrolling is scaled.
pub fn spacer_px(total: usize, cap: f64) -> f64 {
    (total as f64 * ROW_H + HEADER_H).min(cap)
}

/// The first row shown at `scroll_top`: the scrolled fraction of the spacer's range, so
/// that the last row is reachable however scaled the scrolling is.
pub fn first_row(scroll_top: f64, height: f64, total: usize, cap: f64) -> usize {
    let max_first = total.saturating_sub(visible_rows(height).saturating_sub(1));
    let range = spacer_px(total, cap) - height;
    if range <= 0.0 || max_first == 0 {
        0
    } else {
        ((scroll_top / range).clamp(0.0, 1.0) * max_first as f64).round() as usize
    }
}

/// The view positions shown from `first`: at most `visible` of `total`.
pub fn shown(first: usize, visible: usize, total: usize) -> Range<usize> {
    let from = first.min(total);
    from..(first + visible).min(total)
}

/// Whether the window moved more than a screen since `last` (a fling or a drag of the bar).
pub fn jumped(first: usize, last: usize, visible: usize) -> bool {
    first.abs_diff(last) > visible
}

/// The view positions to have read around the window at `first`: a screen behind and
/// several ahead in the direction of scrolling (one request then covers the next frames).
pub fn read_span(first: usize, visible: usize, total: usize, down: bool, scattered: bool) -> Range<usize> {
    let screens = if scattered { READ_AHEAD_SCREENS_SCATTERED } else { READ_AHEAD_SCREENS };
    let (behind, ahead) = if down { (visible, screens * visible) } else { (screens * visible, 2 * visible) };
    first.saturating_sub(behind)..(first + ahead).min(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: f64 = 31_900_000.0;

    #[test]
    fn a_viewport_shows_its_rows_and_one_cut_at_the_bottom() {
        assert_eq!(visible_rows(480.0), 15);
        assert_eq!(visible_rows(0.0), 2, "even a collapsed table shows a row");
    }

    #[test]
    fn scrolling_reaches_the_first_and_last_rows_scaled_or_not() {
        let h = 480.0;
        assert_eq!(first_row(0.0, h, 100, CAP), 0);
        let end = spacer_px(100, CAP) - h;
        assert_eq!(first_row(end, h, 100, CAP), 100 - 14);
        assert_eq!(first_row(end * 10.0, h, 100, CAP), 86, "overscroll is clamped");
        // 1.5 M rows: the spacer is capped and scrolling scaled, the last row still reached.
        let total = 1_500_000;
        assert_eq!(spacer_px(total, CAP), CAP);
        assert_eq!(first_row(CAP - h, h, total, CAP), total - 14);
        assert_eq!(first_row(0.0, h, 5, CAP), 0, "fewer rows than a screen never scroll");
    }

    #[test]
    fn the_count_never_passes_the_total() {
        assert_eq!(shown(0, 15, 10), 0..10);
        assert_eq!(shown(90, 15, 100), 90..100);
        assert_eq!(shown(0, 15, 0), 0..0);
    }

    #[test]
    fn rows_are_read_ahead_in_the_direction_of_scrolling() {
        assert_eq!(read_span(100, 15, 10_000, true, false), 85..220);
        assert_eq!(read_span(100, 15, 10_000, false, false), 0..130);
        assert_eq!(read_span(100, 15, 10_000, true, true), 85..130, "a scattered view reads less");
        assert_eq!(read_span(9_990, 15, 10_000, true, false), 9_975..10_000);
        assert!(jumped(100, 80, 15) && !jumped(100, 90, 15));
    }
}
