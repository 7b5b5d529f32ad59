//! The contraction order: nested dissection by METIS.
//!
//! The hierarchy's size, its customization time and every query's search space follow from
//! the order. `cch`'s inertial flow cuts along geographic axes, which suits one road layer
//! but not our world network: sea lanes, ferries and the air layer cross every geographic
//! cut. METIS's multilevel node separators look only at the graph. Measured on the world
//! network (558 k core nodes, 2 cores): inertial flow took 22.5 s, left 46.5 M lower
//! triangles and 54 k up-arcs per query sweep; METIS with five separator trials per level
//! and 20 refinement passes takes 8.5 s and leaves 39.7 M triangles and 36 k up-arcs.

use metis_sys::idx_t;

/// Separators METIS tries at each dissection level, keeping the smallest (its default is
/// one); each trial costs time, and beyond five the world order gained little (measured:
/// ten trials, 16 s, 37.2 M triangles, the same sweeps).
const SEPARATOR_TRIALS: idx_t = 5;
/// Refinement passes per uncoarsening level (METIS's default is 10).
const REFINEMENT_PASSES: idx_t = 20;

/// A nested-dissection order of the undirected graph given by `pairs` (each neighbouring
/// pair once): position → node, separators last. `None` if METIS fails (it reports only
/// running out of memory) or the graph is too large for its 32-bit indices.
pub(crate) fn nested_dissection(node_count: usize, pairs: &[(u32, u32)]) -> Option<Vec<u32>> {
    if node_count == 0 {
        return Some(Vec::new());
    }
    let n = idx_t::try_from(node_count).ok()?;
    idx_t::try_from(pairs.len().checked_mul(2)?).ok()?;
    // METIS takes the symmetric adjacency in CSR form.
    let mut first = vec![0 as idx_t; node_count + 1];
    for &(a, b) in pairs {
        first[a as usize + 1] += 1;
        first[b as usize + 1] += 1;
    }
    for i in 0..node_count {
        first[i + 1] += first[i];
    }
    let mut fill: Vec<idx_t> = first[..node_count].to_vec();
    let mut adjacent = vec![0 as idx_t; pairs.len() * 2];
    for &(a, b) in pairs {
        adjacent[fill[a as usize] as usize] = b as idx_t;
        fill[a as usize] += 1;
        adjacent[fill[b as usize] as usize] = a as idx_t;
        fill[b as usize] += 1;
    }
    let mut options = [0 as idx_t; metis_sys::METIS_NOPTIONS as usize];
    let mut nvtxs = n;
    let mut perm = vec![0 as idx_t; node_count];
    let mut iperm = vec![0 as idx_t; node_count];
    // SAFETY: every pointer is to a live buffer of the length METIS reads or writes:
    // `options` has METIS_NOPTIONS entries, `first` n + 1, `adjacent` first[n], `perm`
    // and `iperm` n; a null vertex-weight pointer means unit weights.
    let status = unsafe {
        metis_sys::METIS_SetDefaultOptions(options.as_mut_ptr());
        options[metis_sys::moptions_et_METIS_OPTION_NSEPS as usize] = SEPARATOR_TRIALS;
        options[metis_sys::moptions_et_METIS_OPTION_NITER as usize] = REFINEMENT_PASSES;
        metis_sys::METIS_NodeND(
            &mut nvtxs,
            first.as_mut_ptr(),
            adjacent.as_mut_ptr(),
            std::ptr::null_mut(),
            options.as_mut_ptr(),
            perm.as_mut_ptr(),
            iperm.as_mut_ptr(),
        )
    };
    // perm[new] = old: the order in which nodes are eliminated.
    (status == metis_sys::rstatus_et_METIS_OK as std::ffi::c_int)
        .then(|| perm.into_iter().map(|v| v as u32).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_cut_in_the_middle() {
        // 0 - 1 - 2 - 3 - 4 - 5 - 6: the last node eliminated separates the path.
        let pairs: Vec<(u32, u32)> = (0..6).map(|v| (v, v + 1)).collect();
        let order = nested_dissection(7, &pairs).unwrap();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..7).collect::<Vec<u32>>(), "a permutation");
        let top = *order.last().unwrap();
        assert!(
            (2..=4).contains(&top),
            "separator {top} near the middle of {order:?}"
        );
    }

    #[test]
    fn empty_and_isolated_nodes() {
        assert_eq!(nested_dissection(0, &[]), Some(vec![]));
        let mut order = nested_dissection(3, &[]).unwrap();
        order.sort_unstable();
        assert_eq!(order, vec![0, 1, 2]);
    }
}
