//! Drivers' hours: how long a truck takes to cover a given amount of driving.
//!
//! A truck's time is not its driving time stretched by a daily average: a leg under a day's
//! driving takes its driving time plus a break, and a long haul adds a daily rest per day
//! of driving and a weekly rest per six days. A flat km/day (the old 378 km/day) made a
//! 575 km Warsaw–Berlin run 35 h and a 6,500 km two-driver TIR run 15 days. The rule's
//! numbers (Regulation (EC) 561/2006, which the AETR agreement mirrors for the CIS and
//! Central Asia) are read from `data/params.toml` `[mode.road.hours_of_service]`.

use serde::Serialize;

/// The rule for one crew: one driver, or two taking turns (multi-manning).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Crew {
    /// Driving a crew may do between two daily rests (h).
    pub driving_h_per_day: f64,
    /// Continuous driving after which a break is due (h); 0 when breaks are taken while
    /// the other driver drives.
    pub break_after_h: f64,
    pub break_h: f64,
    pub daily_rest_h: f64,
    /// Daily driving periods between two weekly rests.
    pub days_per_week: u32,
    pub weekly_rest_h: f64,
}

impl Crew {
    /// Breaks and rests (h) a crew takes on a leg of `driving_h` hours of driving, from a
    /// fresh start (a leg begins after loading or a transfer, when the crew has rested).
    pub fn rest_h(&self, driving_h: f64) -> f64 {
        if driving_h <= 0.0 || self.driving_h_per_day <= 0.0 {
            return 0.0;
        }
        // Days of driving; a hair under a whole day is still that day (float noise).
        let days = (driving_h / self.driving_h_per_day - 1e-9).ceil().max(1.0);
        let last = driving_h - (days - 1.0) * self.driving_h_per_day;
        let breaks_in = |d: f64| {
            if self.break_after_h > 0.0 {
                ((d / self.break_after_h - 1e-9).ceil() - 1.0).max(0.0)
            } else {
                0.0
            }
        };
        let breaks = (days - 1.0) * breaks_in(self.driving_h_per_day) + breaks_in(last);
        let rests = days - 1.0;
        let weekly = if self.days_per_week > 0 {
            (rests / self.days_per_week as f64).floor()
        } else {
            0.0
        };
        breaks * self.break_h + (rests - weekly) * self.daily_rest_h + weekly * self.weekly_rest_h
    }

    /// Hours on the road per hour of driving over a week's work (six days' driving with
    /// their breaks and five daily rests): the factor routing weights put on road driving,
    /// where one arc cannot know how long its leg will be. It is the long-haul figure, so
    /// that road is not preferred over rail on runs where the rests would make it slow.
    pub fn long_haul_factor(&self) -> f64 {
        let d = self.driving_h_per_day * self.days_per_week.max(1) as f64;
        if d <= 0.0 {
            return 1.0;
        }
        (d + self.rest_h(d)) / d
    }
}

/// Hours of service for one and for two drivers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoursOfService {
    pub single: Crew,
    pub double: Crew,
}

impl HoursOfService {
    pub fn crew(&self, drivers: u8) -> &Crew {
        if drivers >= 2 {
            &self.double
        } else {
            &self.single
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EU 561/2006 as in data/params.toml: 9 h/day, 45 min after 4.5 h, 11 h daily rest,
    /// weekly rest of 45 h after six days; two drivers 18 h/day, breaks on board, 9 h rest.
    const SINGLE: Crew = Crew {
        driving_h_per_day: 9.0,
        break_after_h: 4.5,
        break_h: 0.75,
        daily_rest_h: 11.0,
        days_per_week: 6,
        weekly_rest_h: 45.0,
    };
    const DOUBLE: Crew = Crew {
        driving_h_per_day: 18.0,
        break_after_h: 0.0,
        break_h: 0.0,
        daily_rest_h: 9.0,
        days_per_week: 6,
        weekly_rest_h: 45.0,
    };

    /// Legs of 100, 500, 1,500 and 6,000 km at 70 km/h against the rule worked by hand.
    #[test]
    fn single_driver_by_hand() {
        let h = |km: f64| km / 70.0;
        // 100 km: 1.43 h of driving, under 4.5 h: no break.
        assert_eq!(SINGLE.rest_h(h(100.0)), 0.0);
        // 500 km: 7.14 h, one day; past 4.5 h one 45-min break.
        assert!((SINGLE.rest_h(h(500.0)) - 0.75).abs() < 1e-9);
        // 1,500 km: 21.43 h = 9 + 9 + 3.43: three days, breaks 1 + 1 + 0, two daily rests.
        assert!((SINGLE.rest_h(h(1500.0)) - (2.0 * 0.75 + 2.0 * 11.0)).abs() < 1e-9);
        // 6,000 km: 85.71 h = 9 full days + 4.71 h: ten days, breaks 9 + 1, nine rests of
        // which one (after the sixth day) is weekly.
        let want = 10.0 * 0.75 + 8.0 * 11.0 + 45.0;
        assert!((SINGLE.rest_h(h(6000.0)) - want).abs() < 1e-9);
    }

    #[test]
    fn two_drivers_by_hand() {
        let h = |km: f64| km / 70.0;
        assert_eq!(DOUBLE.rest_h(h(100.0)), 0.0);
        assert_eq!(DOUBLE.rest_h(h(500.0)), 0.0);
        // 1,500 km: 21.43 h = 18 + 3.43: one 9 h rest, breaks on board.
        assert!((DOUBLE.rest_h(h(1500.0)) - 9.0).abs() < 1e-9);
        // 6,000 km: 85.71 h = 4 × 18 + 13.71: five days, four daily rests.
        assert!((DOUBLE.rest_h(h(6000.0)) - 4.0 * 9.0).abs() < 1e-9);
    }

    #[test]
    fn a_whole_day_needs_no_rest_after_it() {
        assert!((SINGLE.rest_h(9.0) - 0.75).abs() < 1e-9);
        assert!((SINGLE.rest_h(9.0 + 1e-12) - 0.75).abs() < 1e-9);
        assert!((SINGLE.rest_h(18.0) - (2.0 * 0.75 + 11.0)).abs() < 1e-9);
    }

    #[test]
    fn two_drivers_run_faster_over_long_hauls() {
        assert!(DOUBLE.long_haul_factor() < SINGLE.long_haul_factor());
        // Single: (54 + 6 × 0.75 + 5 × 11) / 54.
        assert!((SINGLE.long_haul_factor() - (54.0 + 4.5 + 55.0) / 54.0).abs() < 1e-9);
    }
}
