//! A budget of work for one call, so that no call holds a scheduler for long.

/// What the costs that are not one op's step come to, in units (a unit is
/// about 5 ns): a call that pays them stops as early as the budget says,
/// whatever the tree's width.
///
/// A leaf's word cursor made on first use (a ChaCha block and a boxed
/// buffer, ~400 ns): every pick of a wide round-robin mix, whose leaves are
/// each asked once in a long while, pays it.
pub const FRESH_WORDS: u64 = 80;

/// Copying one leaf of a group that another clone of the plan shares
/// (`children.rs`; ~150 ns) ...
pub const COPY_NODE: u64 = 32;

/// ... and its word cursor, when it has one (~350 ns more).
pub const COPY_WORDS: u64 = 80;

/// A budget of work units (ops stepped, children visited, tokens made,
/// shared groups copied, word cursors made) for one NIF call, so that no
/// call holds a scheduler for long.
#[derive(Clone, Copy, Debug)]
pub struct Work {
    left: u64,
}

impl Work {
    pub fn new(units: u64) -> Self {
        Work { left: units }
    }

    /// No bound (for callers that bound the op count themselves).
    pub fn unlimited() -> Self {
        Work { left: u64::MAX }
    }

    /// Units left.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// How many of `max` ops costing `per_op` units each fit in what is left;
    /// at least one (a call always makes progress).
    pub fn affordable(&self, max: usize, per_op: u64) -> usize {
        let fit = self.left / per_op.max(1);
        (max as u64).min(fit.max(1)) as usize
    }

    pub fn spend(&mut self, units: u64) {
        self.left = self.left.saturating_sub(units);
    }

    pub fn exhausted(&self) -> bool {
        self.left == 0
    }

    /// Units spent out of a budget of `units` (what [`Work::new`] was given).
    pub fn spent_of(&self, units: u64) -> u64 {
        units.saturating_sub(self.left)
    }
}
