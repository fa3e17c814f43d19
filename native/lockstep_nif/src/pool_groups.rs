//! How the leaves' pools of a cursor's plan come to `plan_refill` and
//! `plan_chunk_leaves`: not one tuple of every leaf's tuple (reading a
//! tuple copies all its term handles, so a call over a tree of 100,000
//! leaves would copy 100,000 of them to pick a few), but a tree of tuples
//! of at most [`FANOUT`] elements: the leaves' tuples in order, grouped
//! [`FANOUT`] at a time, the groups grouped again, until at most
//! [`FANOUT`] remain (`Lockstep.Generator.Boundary.pool_groups/1` builds
//! it). A call then reads, for each leaf it picks from, one tuple per
//! level on the way down: its cost follows the leaves it uses, not the
//! leaves there are. Up to [`FANOUT`] leaves it is the plain tuple of
//! their tuples.

/// Elements per tuple in the grouped pools.
pub const FANOUT: usize = 32;

/// Levels of tuples from the top down to (and including) the tuple that
/// holds leaf tuples: 1 for at most [`FANOUT`] leaves, 2 for at most
/// [`FANOUT`]², and so on.
pub fn depth(leaves: usize) -> u32 {
    let mut depth = 1;
    let mut reach = FANOUT;
    while reach < leaves {
        depth += 1;
        reach = reach.saturating_mul(FANOUT);
    }
    depth
}

/// Elements of the top tuple for `leaves` leaves at `depth`.
pub fn top_len(leaves: usize, depth: u32) -> usize {
    leaves.div_ceil(span(depth - 1))
}

/// Leaves under one element of a tuple `level` levels above the leaf
/// tuples' holder (`FANOUT^level`).
pub fn span(level: u32) -> usize {
    FANOUT.saturating_pow(level)
}

/// The index, in the tuple `level` levels above the leaf tuples' holder
/// (0: the holder itself), of the element on the way to leaf `j`.
pub fn index(j: usize, level: u32) -> usize {
    (j / span(level)) % FANOUT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grouping as Boundary.pool_groups/1 builds it: leaves chunked
    /// FANOUT at a time until at most FANOUT remain; each leaf's path of
    /// indices from the top.
    fn paths(leaves: usize) -> Vec<Vec<usize>> {
        let mut level: Vec<Vec<usize>> = (0..leaves).map(|_| Vec::new()).collect();
        let mut items: Vec<Vec<usize>> = (0..leaves).map(|j| vec![j]).collect();
        while items.len() > FANOUT {
            let mut next = Vec::new();
            for chunk in items.chunks(FANOUT) {
                let mut members = Vec::new();
                for (i, item) in chunk.iter().enumerate() {
                    for &leaf in item {
                        level[leaf].insert(0, i);
                        members.push(leaf);
                    }
                }
                next.push(members);
            }
            items = next;
        }
        for (i, item) in items.iter().enumerate() {
            for &leaf in item {
                level[leaf].insert(0, i);
            }
        }
        level
    }

    #[test]
    fn depth_and_paths_match_the_grouping() {
        for leaves in [1, 2, 31, 32, 33, 64, 1023, 1024, 1025, 5000, 40_000] {
            let d = depth(leaves);
            let paths = paths(leaves);
            assert!(paths.iter().all(|p| p.len() == d as usize), "{leaves}");
            let top = paths.iter().map(|p| p[0]).max().unwrap() + 1;
            assert_eq!(top, top_len(leaves, d), "{leaves}");
            assert!(top <= FANOUT);
            for (j, path) in paths.iter().enumerate() {
                let ours: Vec<usize> = (0..d).rev().map(|level| index(j, level)).collect();
                assert_eq!(&ours, path, "leaf {j} of {leaves}");
            }
        }
    }

    #[test]
    fn a_hundred_thousand_leaves_are_four_levels() {
        assert_eq!(depth(0), 1);
        assert_eq!(depth(FANOUT), 1);
        assert_eq!(depth(FANOUT + 1), 2);
        assert_eq!(depth(100_000), 4);
        assert_eq!(top_len(100_000, 4), 4);
        assert_eq!(top_len(0, 1), 0);
    }
}
