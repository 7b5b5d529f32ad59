//! The freight model on real lanes: drivers' hours on road legs, the shipper's generalized
//! cost under `balanced`, and totals that add up.

mod common;
use common::plan;

fn road(s: &mut caravan_metric::ProfileSpec) {
    s.modes = vec!["road".into()];
    s.objective = Some("time".into());
}

#[test]
fn a_days_truck_run_takes_a_working_day_not_a_24_hour_average() {
    let p = plan("Warsaw", "Berlin", road);
    let r = &p.routes[0].route;
    assert!(
        r.totals.duration_h < 12.0,
        "Warsaw→Berlin by road {} h ({} km)",
        r.totals.duration_h,
        r.totals.distance_km
    );
    // Under a day's driving there is a break at most, no daily rest.
    let rest: f64 = r.legs.iter().filter_map(|l| l.rest_h).sum();
    assert!(rest <= 1.0, "rest {rest} h on a one-day run");
}

#[test]
fn two_drivers_halve_the_rests_of_a_long_tir_run() {
    let one = plan("Shenzhen", "Tashkent", road);
    let two = plan("Shenzhen", "Tashkent", |s| {
        road(s);
        s.drivers = Some(2);
    });
    let (h1, h2) = (
        one.routes[0].route.totals.duration_h,
        two.routes[0].route.totals.duration_h,
    );
    assert!(h2 < 0.8 * h1, "two drivers {h2} h, one {h1} h");
    // IRU (Jan 2024): Shenzhen→Tashkent by TIR truck in 7 days.
    let days = h2 / 24.0;
    assert!(
        (4.2..=9.8).contains(&days),
        "two-driver Shenzhen→Tashkent {days:.1} days, outside 7 days ±40%"
    );
}

#[test]
fn road_totals_are_legs_plus_events() {
    for (a, b) in [
        ("Warsaw", "Berlin"),
        ("Shenzhen", "Tashkent"),
        ("Istanbul", "Tbilisi"),
    ] {
        let p = plan(a, b, road);
        let r = &p.routes[0].route;
        let legs: f64 = r.legs.iter().map(|l| l.duration_h).sum();
        let events: f64 = r.events.iter().map(|e| e.duration_h).sum();
        assert!(
            (legs + events - r.totals.duration_h).abs()
                <= 0.1 * (r.legs.len() + r.events.len()) as f64 + 0.05,
            "{a}→{b}: legs {legs} + events {events} ≠ total {}",
            r.totals.duration_h
        );
    }
}

#[test]
fn cargo_value_decides_sea_or_rail_from_shanghai_to_hamburg() {
    let main =
        |p: &caravan::plan::Plan| {
            p.routes[0].route.legs.iter().filter(|l| !l.access).fold(
                (String::new(), 0.0),
                |best, l| {
                    let km: f64 = p.routes[0]
                        .route
                        .legs
                        .iter()
                        .filter(|m| m.mode == l.mode && !m.access)
                        .map(|m| m.distance_km)
                        .sum();
                    if km > best.1 {
                        (l.mode.as_str().to_string(), km)
                    } else {
                        best
                    }
                },
            )
        };
    let default = plan("Shanghai", "Hamburg", |_| {});
    assert_eq!(
        main(&default).0,
        "sea",
        "{}",
        default.routes[0].route.summary
    );
    let dear = plan("Shanghai", "Hamburg", |s| {
        s.cargo_value_usd = Some(500_000.0)
    });
    assert_eq!(main(&dear).0, "rail", "{}", dear.routes[0].route.summary);
    // The generalized cost is told in its parts, and they add up.
    let g = &dear.routes[0].route.generalized_cost;
    assert!(g.time_usd > 0.0 && g.money_usd > 0.0);
    assert!(
        (g.money_usd + g.time_usd + g.carbon_usd - dear.routes[0].route.generalized_cost_usd).abs()
            < 1.0
    );
    let j = serde_json::to_value(&dear.routes[0].route).unwrap();
    assert!(j["generalized_cost_usd"].is_number());
    assert!(
        j["generalized_cost"]["value_of_time_usd_per_h"]
            .as_f64()
            .unwrap()
            > 10.0
    );
}
