fn main() {
    let e = caravan::Engine::load(&mut |_, _| {}).unwrap();
    let args: Vec<String> = std::env::args().collect();
    let (lat, lon): (f64, f64) = (args[1].parse().unwrap(), args[2].parse().unwrap());
    for t in &e.net.terminals {
        if caravan_network::geo::haversine_km(lat, lon, t.lat as f64, t.lon as f64) < 50.0 {
            println!("{:?}", t);
        }
    }
}
