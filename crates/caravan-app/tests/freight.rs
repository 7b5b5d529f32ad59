//! The freight model on real lanes: drivers' hours on road legs, tariffs by region and lane,
//! rail terminals and hub transshipment, the shipper's generalized
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
        |p: &caravan_app::plan::Plan| {
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

fn by(modes: &[&str], objective: &str) -> impl FnOnce(&mut caravan_metric::ProfileSpec) {
    let modes: Vec<String> = modes.iter().map(|m| m.to_string()).collect();
    let objective = objective.to_string();
    move |s| {
        s.modes = modes;
        s.objective = Some(objective);
    }
}

#[test]
fn sea_rates_follow_the_trade_lane_and_its_direction() {
    let out = plan("CNSHA", "NLRTM", by(&["sea"], "cost"));
    let back = plan("NLRTM", "CNSHA", by(&["sea"], "cost"));
    let (o, b) = (
        out.routes[0].route.totals.cost_usd,
        back.routes[0].route.totals.cost_usd,
    );
    // Drewry WCI, 14 Dec 2023: USD 1,442 westbound, 452 eastbound per FEU.
    assert!(o > 2.5 * b, "headhaul {o} vs backhaul {b}");
    assert!((937.0..=1947.0).contains(&o), "Shanghai→Rotterdam USD {o}");
    // The sea leg carries the lane's rate, so legs and events still add up to the total.
    let r = &out.routes[0].route;
    let parts: f64 = r.legs.iter().map(|l| l.cost_usd).sum::<f64>()
        + r.events.iter().map(|e| e.cost_usd).sum::<f64>();
    assert!(
        (parts - r.totals.cost_usd).abs() <= 2.0,
        "{parts} vs {}",
        r.totals.cost_usd
    );
}

#[test]
fn a_feeder_port_changes_ship_at_a_hub_on_a_deep_sea_leg_only() {
    use caravan_metric::EventKind;
    let hubs = |r: &caravan_metric::Route| {
        r.events
            .iter()
            .filter(|e| e.kind == EventKind::Transshipment && e.detail.contains("feeder"))
            .count()
    };
    let far = plan("RUNVS", "CNSHA", by(&["sea"], "time"));
    assert_eq!(hubs(&far.routes[0].route), 1, "Novorossiysk→Shanghai");
    let near = plan("RUNVS", "TRIST", by(&["sea"], "time"));
    assert_eq!(hubs(&near.routes[0].route), 0, "Novorossiysk→Istanbul");
}

#[test]
fn a_train_from_china_starts_at_its_origin_terminal() {
    use caravan_metric::EventKind;
    let p = plan("Chengdu", "Almaty", by(&["rail"], "time"));
    let r = &p.routes[0].route;
    let first = r.events.first().expect("events");
    assert_eq!(first.kind, EventKind::RailTerminal, "{:?}", r.events);
    assert_eq!(first.duration_h, 48.0);
    // No rail terminal time is published for Kazakhstan: none at the Almaty end.
    assert_eq!(
        r.events
            .iter()
            .filter(|e| e.kind == EventKind::RailTerminal)
            .count(),
        1
    );
}

#[test]
fn the_middle_corridor_section_rate_is_within_the_world_bank_range_band() {
    let p = plan("Zharkent", "Poti", |s| {
        by(&["rail", "ferry"], "cost")(s);
        s.avoid_countries = ["RU", "IR", "UZ", "TM"].map(String::from).to_vec();
    });
    let r = &p.routes[0].route;
    // World Bank via EY (2024): USD 2,500–3,250 per FEU, midpoint 2,875 ± 40%.
    assert!(
        (1725.0..=4025.0).contains(&r.totals.cost_usd),
        "Altynkol→Poti USD {} via {:?}",
        r.totals.cost_usd,
        r.countries
    );
    assert!(r.countries.contains(&"AZ".to_string()));
}

#[test]
fn event_kind_names_are_the_json_names() {
    use caravan_metric::EventKind::*;
    for k in [Border, GaugeChange, Transshipment, FerryWait, RailTerminal] {
        assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
    }
}
