//! Tariff look-up by region on the shipped `data/params.toml`: each country gets its
//! region's rate, countries of no region the mode's world rate, and the rail terminal of
//! its region.

use caravan_metric::Params;
use caravan_network::Mode;

fn params() -> Params {
    Params::load(&caravan_network::data_dir().unwrap().join("params.toml")).unwrap()
}

#[test]
fn rail_and_road_rates_follow_the_country_region() {
    let p = params();
    let rail = p.mode(Mode::Rail).usd_per_feu_km;
    let road = p.mode(Mode::Road).usd_per_feu_km;
    // China's base tariff, the ERAI transit rate and the EU remainder differ several-fold.
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "CN"), 0.24);
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "KZ"), 0.61);
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "BY"), 0.61);
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "GE"), 0.34);
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "PL"), 1.1);
    // Uzbekistan is in no rail region: the world rate.
    assert_eq!(p.usd_per_feu_km(Mode::Rail, "UZ"), rail);
    assert_eq!(p.usd_per_feu_km(Mode::Road, "DE"), 1.57);
    assert_eq!(p.usd_per_feu_km(Mode::Road, "IN"), 0.52);
    assert_eq!(p.usd_per_feu_km(Mode::Road, "KZ"), road);
    // Sea has no country tariff; its lanes are per leg (trade.rs).
    assert_eq!(
        p.usd_per_feu_km(Mode::Sea, "CN"),
        p.mode(Mode::Sea).usd_per_feu_km
    );
}

#[test]
fn rail_terminals_by_region() {
    let p = params();
    assert_eq!(p.rail_terminal_by_country.get("CN"), Some(&(48.0, 62.0)));
    assert_eq!(p.rail_terminal_by_country.get("DE"), Some(&(24.0, 0.0)));
    assert_eq!(p.rail_terminal_by_country.get("UZ"), None);
}

#[test]
fn sea_lanes_are_directional() {
    let p = params();
    let t = &p.sea_trade;
    let (shanghai, rotterdam) = ((31.23, 121.47), (51.95, 4.14));
    let out = t.leg(shanghai, rotterdam, 19_600.0).usd_per_feu_km.unwrap();
    let back = t.leg(rotterdam, shanghai, 19_600.0).usd_per_feu_km.unwrap();
    assert!(out > 3.0 * back, "headhaul {out} vs backhaul {back}");
    // Novorossiysk is a Black Sea feeder port: its deep-sea cargo changes ship at a hub.
    let novorossiysk = (44.72, 37.78);
    assert_eq!(t.leg(novorossiysk, shanghai, 14_000.0).hubs(), 1);
}
