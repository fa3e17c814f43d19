//! What a call did to a plan, as the Elixir side writes it back into the
//! generator struct: per node, how many ops it produced (or skipped) during
//! the call, and the `next_child` of round-robin mixes and concats. A node
//! that produced nothing is [`NodeState::Unchanged`] (so is its whole
//! subtree: children only move when their parent serves).

use crate::plan::{Node, Strategy};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeState {
    Unchanged,
    Leaf {
        produced: u64,
    },
    Mix {
        produced: u64,
        /// `None` for a random mix (its next child is drawn).
        next_child: Option<usize>,
        children: Vec<NodeState>,
    },
    /// A zip, or a combinator of its own file: ops produced, the children's
    /// states.
    Zip {
        produced: u64,
        children: Vec<NodeState>,
    },
}

impl Node {
    /// Ops this node produced or skipped since it was built.
    pub fn produced(&self) -> u64 {
        match self {
            Node::Leaf(leaf) => leaf.produced,
            Node::Mix(mix) => mix.produced,
            Node::Zip(zip) => zip.produced,
            Node::Independent(ind) => ind.produced,
            Node::Composite(c) => c.produced,
        }
    }

    /// The state to write back (see the module doc).
    pub fn state(&self) -> NodeState {
        if self.produced() == 0 {
            return NodeState::Unchanged;
        }
        match self {
            Node::Leaf(leaf) => NodeState::Leaf {
                produced: leaf.produced,
            },
            Node::Independent(ind) => NodeState::Leaf {
                produced: ind.produced,
            },
            Node::Mix(mix) => NodeState::Mix {
                produced: mix.produced,
                next_child: match mix.strategy {
                    Strategy::Random { .. } => None,
                    _ => Some(mix.next_child),
                },
                children: mix.children.iter().map(Node::state).collect(),
            },
            Node::Zip(zip) => NodeState::Zip {
                produced: zip.produced,
                children: zip.children.iter().map(Node::state).collect(),
            },
            Node::Composite(c) => c.state(),
        }
    }

    /// `next_child` of a round-robin mix or concat at the top, else `None`.
    pub fn top_next_child(&self) -> Option<usize> {
        match self {
            Node::Mix(mix) if !mix.is_random() => Some(mix.next_child),
            _ => None,
        }
    }
}
