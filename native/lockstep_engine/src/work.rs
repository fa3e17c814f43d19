//! A budget of work for one call, so that no call holds a scheduler for long.

/// A budget of work units (ops stepped, children visited, tokens made) for
/// one NIF call, so that no call holds a scheduler for long.
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
}
