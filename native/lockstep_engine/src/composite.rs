//! Combinators with a file of their own: one generic plan node,
//! [`Composite`], runs any [`Rule`].
//!
//! `mix`, `concat` and `zip` have nodes of their own ([`crate::plan::Mix`],
//! [`crate::plan::Zip`]), tuned for their hot loops. A combinator added
//! later writes only its rule, in its own file under `combinators/`, and
//! names it in [`crate::combinators::rule`]: what it does next with its
//! children, when it is done, how many ops it has left and how it skips.
//! The bookkeeping every composite shares (its `take/2` budget, the ops it
//! produced, its children's states, depth, pools, forks) is here, once, and
//! the plan, skip and state code handles a `Node::Composite` without knowing
//! which rule it runs.

use crate::error::EngineError;
use crate::plan::{check_children, Node, Position, Tok};
use crate::skip::Count;
use crate::state::NodeState;
use crate::work::Work;
use std::fmt::Debug;

/// What a combinator does with its children. Ops are written as tokens
/// (one op: one token tree, e.g. `Tok::List(m)` followed by `m` ops).
pub trait Rule: Debug + Send + Sync {
    /// A copy of the rule with its state (plans are cloned: cursors, forks).
    fn boxed_clone(&self) -> Box<dyn Rule>;

    /// Writes one op made from `children` to `out` and returns true; or
    /// writes nothing and returns false when the combinator is done. An op
    /// is whole whatever `work` has left (`work` is spent by the children).
    fn serve(&mut self, children: &mut [Node], out: &mut Vec<Tok>, work: &mut Work) -> bool;

    /// True when the next [`Rule::serve`] would return false.
    fn exhausted(&self, children: &[Node]) -> bool;

    /// Ops left before done (the composite's own budget aside).
    fn capacity(&self, children: &[Node]) -> Count;

    /// True when [`Rule::skip`] is exact arithmetic (skips `min(n,
    /// capacity)` ops in one call, whatever `work` has left), so that a
    /// parent may split its own skip between its children by their
    /// capacities.
    fn countable(&self, _children: &[Node]) -> bool {
        false
    }

    /// Skips up to `n` ops without producing them; returns how many (at
    /// least one while there are ops, fewer when `work` runs out). By
    /// default it steps, op by op.
    fn skip(&mut self, children: &mut [Node], n: u64, work: &mut Work) -> u64 {
        step(self, children, n, work)
    }

    /// Moves the rule's own seeded positions (a rule that draws words of its
    /// own; `fork/2`). None by default.
    fn map_positions(&mut self, _f: &mut dyn FnMut(Position) -> Position) {}
}

/// Skips up to `n` ops of `rule` by making them (the default
/// [`Rule::skip`]): at least one while there are ops, fewer when `work`
/// runs out.
pub fn step<R: Rule + ?Sized>(rule: &mut R, children: &mut [Node], n: u64, work: &mut Work) -> u64 {
    let mut scratch = Vec::new();
    let mut done = 0;
    while done < n && (done == 0 || !work.exhausted()) {
        scratch.clear();
        if !rule.serve(children, &mut scratch, work) {
            break;
        }
        work.spend(scratch.len() as u64 + 1);
        done += 1;
    }
    done
}

/// A combinator node: its rule, its children, its budget.
#[derive(Debug)]
pub struct Composite {
    rule: Box<dyn Rule>,
    pub(crate) children: Vec<Node>,
    remaining: Option<u64>,
    /// Ops produced or skipped since the plan was built.
    pub(crate) produced: u64,
}

impl Clone for Composite {
    fn clone(&self) -> Self {
        Composite {
            rule: self.rule.boxed_clone(),
            children: self.children.clone(),
            remaining: self.remaining,
            produced: self.produced,
        }
    }
}

impl Composite {
    /// The combinator `name` (see [`crate::combinators::rule`]) with its
    /// parameters, over `children`, with an op budget.
    pub fn new(
        name: &str,
        params: &[u64],
        children: Vec<Node>,
        remaining: Option<u64>,
    ) -> Result<Self, EngineError> {
        check_children(&children)?;
        let rule = crate::combinators::rule(name, params, children.len())?;
        Ok(Composite::with_rule(rule, children, remaining))
    }

    /// A node running `rule` (children already checked).
    pub fn with_rule(rule: Box<dyn Rule>, children: Vec<Node>, remaining: Option<u64>) -> Self {
        Composite {
            rule,
            children,
            remaining,
            produced: 0,
        }
    }

    /// The same node with an op budget.
    pub fn with_remaining(mut self, remaining: Option<u64>) -> Self {
        self.remaining = remaining;
        self
    }

    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.remaining == Some(0) || self.rule.exhausted(&self.children)
    }

    /// Up to `max` ops as tokens within `work` (at least one while there
    /// are ops); returns how many.
    pub(crate) fn fill_tokens_within(
        &mut self,
        out: &mut Vec<Tok>,
        max: usize,
        work: &mut Work,
    ) -> usize {
        let mut n = 0;
        while n < max && (n == 0 || !work.exhausted()) && self.remaining != Some(0) {
            work.spend(1);
            if !self.rule.serve(&mut self.children, out, work) {
                break;
            }
            self.count(1);
            n += 1;
        }
        n
    }

    pub(crate) fn capacity(&self) -> Count {
        Count::of(self.remaining).min(self.rule.capacity(&self.children))
    }

    pub(crate) fn countable(&self) -> bool {
        self.rule.countable(&self.children)
    }

    pub(crate) fn skip(&mut self, n: u64, work: &mut Work) -> u64 {
        let n = self.remaining.map_or(n, |r| r.min(n));
        if n == 0 {
            return 0;
        }
        let done = self.rule.skip(&mut self.children, n, work);
        self.count(done);
        done
    }

    pub(crate) fn state(&self) -> NodeState {
        NodeState::Zip {
            produced: self.produced,
            children: self.children.iter().map(Node::state).collect(),
        }
    }

    pub(crate) fn map_positions(mut self, f: &mut impl FnMut(Position) -> Position) -> Self {
        self.rule.map_positions(f);
        self.children = self
            .children
            .into_iter()
            .map(|c| c.map_positions(f))
            .collect();
        self
    }

    fn count(&mut self, k: u64) {
        if let Some(r) = self.remaining.as_mut() {
            *r -= k;
        }
        self.produced += k;
    }
}
