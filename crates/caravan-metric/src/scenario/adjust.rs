//! Scenario changes resolved against a network: the place tables a metric reads, with
//! closures and changed figures, and the names that resolve to nothing reported with the
//! file and line.

use super::{PlaceKind, Scenario};
use crate::MetricError;
use caravan_network::{
    CountryId, Crossing, FerryService, GaugeChange, Network, Terminal, TerminalKind,
};
use std::collections::HashSet;
use toml::Spanned;

/// Scenario changes resolved against one network: the place tables a metric reads, with
/// closures and changed figures. Copies of the network's small tables (hundreds to a few
/// thousand entries), so that a metric reads one table either way.
#[derive(Debug, Clone)]
pub struct Adjust {
    pub crossings: Vec<Crossing>,
    pub gauge_changes: Vec<GaugeChange>,
    pub gauge_closed: Vec<bool>,
    pub terminals: Vec<Terminal>,
    pub terminal_closed: Vec<bool>,
    pub ferries: Vec<FerryService>,
    pub ferry_closed: Vec<bool>,
    pub link_closed: Vec<bool>,
    pub pipeline_closed: Vec<bool>,
    /// Closed land borders as sorted country-id pairs.
    pub borders_closed: HashSet<(CountryId, CountryId)>,
}

impl Adjust {
    /// The place-level changes of `scenarios` on `net`; `None` when they have none.
    pub fn new(net: &Network, scenarios: &[Scenario]) -> Result<Option<Adjust>, MetricError> {
        if !scenarios.iter().any(Scenario::has_place_changes) {
            return Ok(None);
        }
        let mut a = Adjust {
            crossings: net.crossings.clone(),
            gauge_changes: net.gauge_changes.clone(),
            gauge_closed: vec![false; net.gauge_changes.len()],
            terminals: net.terminals.clone(),
            terminal_closed: vec![false; net.terminals.len()],
            ferries: net.ferries.clone(),
            ferry_closed: vec![false; net.ferries.len()],
            link_closed: vec![false; net.links.len()],
            pipeline_closed: vec![false; net.pipelines.len()],
            borders_closed: HashSet::new(),
        };
        for s in scenarios {
            let c = &s.file.close;
            for (kind, list) in [
                (PlaceKind::Crossing, &c.crossings),
                (PlaceKind::GaugeChange, &c.gauge_changes),
                (PlaceKind::Terminal, &c.terminals),
                (PlaceKind::Port, &c.ports),
                (PlaceKind::Ferry, &c.ferries),
            ] {
                for name in list {
                    for i in s.place_ids(net, kind, name)? {
                        match kind {
                            PlaceKind::Crossing => a.crossings[i].closed = true,
                            PlaceKind::GaugeChange => a.gauge_closed[i] = true,
                            PlaceKind::Terminal | PlaceKind::Port => a.terminal_closed[i] = true,
                            PlaceKind::Ferry => a.ferry_closed[i] = true,
                        }
                    }
                }
            }
            for name in &c.links {
                let ids = net.links.iter().map(|l| &l.id);
                for i in s.find(name, "link", ids)? {
                    a.link_closed[i] = true;
                }
            }
            for name in &c.pipelines {
                let ids = net.pipelines.iter().map(|p| (&p.id, &p.name));
                for i in s.find_either(name, "pipeline", ids)? {
                    a.pipeline_closed[i] = true;
                }
            }
            for b in &c.borders {
                let pair = b.get_ref().split_once(['-', '–']).and_then(|(x, y)| {
                    Some((net.country_id(x.trim())?, net.country_id(y.trim())?))
                });
                let Some((x, y)) = pair else {
                    return Err(s.err_at(
                        b.span(),
                        format!(
                            "close.borders: '{}' is not two ISO country codes like \"PL-BY\"",
                            b.get_ref()
                        ),
                    ));
                };
                a.borders_closed.insert((x.min(y), x.max(y)));
            }
            for (kind, name, field, op) in &s.places {
                let ids = s.place_ids(net, *kind, name)?;
                for i in ids {
                    let slot: &mut f32 = match (kind, field.as_str()) {
                        (PlaceKind::Crossing, "hours") => &mut a.crossings[i].hours,
                        (PlaceKind::Crossing, _) => &mut a.crossings[i].usd_per_feu,
                        (PlaceKind::GaugeChange, "hours") => &mut a.gauge_changes[i].hours,
                        (PlaceKind::GaugeChange, _) => &mut a.gauge_changes[i].usd_per_feu,
                        (PlaceKind::Terminal | PlaceKind::Port, "hours") => {
                            &mut a.terminals[i].hours
                        }
                        (PlaceKind::Terminal | PlaceKind::Port, _) => {
                            &mut a.terminals[i].usd_per_feu
                        }
                        (PlaceKind::Ferry, "sailing_hours") => &mut a.ferries[i].sailing_hours,
                        (PlaceKind::Ferry, _) => &mut a.ferries[i].sailings_per_week,
                    };
                    *slot = op.apply(*slot as f64).max(0.0) as f32;
                }
            }
        }
        Ok(Some(a))
    }
}

impl Scenario {
    /// The network's places of `kind` that `name` names.
    fn place_ids(
        &self,
        net: &Network,
        kind: PlaceKind,
        name: &Spanned<String>,
    ) -> Result<Vec<usize>, MetricError> {
        match kind {
            PlaceKind::Crossing => self.find(
                name,
                "border crossing",
                net.crossings.iter().map(|x| &x.name),
            ),
            PlaceKind::GaugeChange => self.find(
                name,
                "gauge-change station",
                net.gauge_changes.iter().map(|x| &x.name),
            ),
            PlaceKind::Terminal => self.find_terminal(net, name, false),
            PlaceKind::Port => self.find_terminal(net, name, true),
            PlaceKind::Ferry => self.find_either(
                name,
                "ferry service",
                net.ferries.iter().map(|f| (&f.id, &f.name)),
            ),
        }
    }

    /// Indices whose name equals `name` (case-insensitive); an error naming the file's
    /// line and a few near names when none does.
    fn find<'n>(
        &self,
        name: &Spanned<String>,
        what: &str,
        names: impl Iterator<Item = &'n String>,
    ) -> Result<Vec<usize>, MetricError> {
        let all: Vec<&String> = names.collect();
        let want = name.get_ref().trim();
        let hits: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].eq_ignore_ascii_case(want))
            .collect();
        if hits.is_empty() {
            return Err(self.err_at(name.span(), no_such(what, want, &all)));
        }
        Ok(hits)
    }

    /// As [`Self::find`], matching an id or a name.
    fn find_either<'n>(
        &self,
        name: &Spanned<String>,
        what: &str,
        ids: impl Iterator<Item = (&'n String, &'n String)>,
    ) -> Result<Vec<usize>, MetricError> {
        let all: Vec<(&String, &String)> = ids.collect();
        let want = name.get_ref().trim();
        let hits: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].0.eq_ignore_ascii_case(want) || all[i].1.eq_ignore_ascii_case(want))
            .collect();
        if hits.is_empty() {
            let ids: Vec<&String> = all.iter().map(|x| x.0).collect();
            return Err(self.err_at(name.span(), no_such(what, want, &ids)));
        }
        Ok(hits)
    }

    /// Terminals by name, or ports by name or UN/LOCODE (port names end "(CNSHA)").
    fn find_terminal(
        &self,
        net: &Network,
        name: &Spanned<String>,
        ports: bool,
    ) -> Result<Vec<usize>, MetricError> {
        let want = name.get_ref().trim();
        let code = format!("({})", want.to_ascii_uppercase());
        let hits: Vec<usize> = net
            .terminals
            .iter()
            .enumerate()
            .filter(|(_, t)| !ports || t.kind == TerminalKind::Port)
            .filter(|(_, t)| t.name.eq_ignore_ascii_case(want) || t.name.ends_with(&code))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            let names: Vec<&String> = net
                .terminals
                .iter()
                .filter(|t| !ports || t.kind == TerminalKind::Port)
                .map(|t| &t.name)
                .collect();
            let what = if ports { "port" } else { "terminal" };
            return Err(self.err_at(name.span(), no_such(what, want, &names)));
        }
        Ok(hits)
    }
}

/// "no border crossing named 'Dostik'; similar: Dostyk / Alashankou, …"
fn no_such(what: &str, want: &str, names: &[&String]) -> String {
    let w = want.to_lowercase();
    let first = w
        .split(|c: char| !c.is_alphanumeric())
        .find(|p| p.len() >= 3);
    let mut near: Vec<&str> = names
        .iter()
        .filter(|n| {
            let n = n.to_lowercase();
            first.is_some_and(|f| n.contains(&f[..f.len().min(4)]))
        })
        .map(|n| n.as_str())
        .collect();
    near.sort();
    near.dedup();
    near.truncate(6);
    if near.is_empty() {
        format!("no {what} named '{want}' in the network")
    } else {
        format!(
            "no {what} named '{want}' in the network; similar: {}",
            near.join("; ")
        )
    }
}
