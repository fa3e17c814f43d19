//! Batches: many ops per call, in bounded chunks.
//!
//! A NIF call must stay far below a millisecond, so no call produces more than
//! [`MAX_CHUNK`] ops (a few µs of work). The chunk size never changes the stream:
//! a chunk is just the next `k` ops of the plan.

use crate::error::EngineError;
use crate::plan::Node;

/// Most ops one call produces.
pub const MAX_CHUNK: usize = 4096;

/// A plan being drained chunk by chunk, with its output buffer reused.
#[derive(Debug)]
pub struct Batch {
    node: Node,
    out: Vec<u64>,
}

impl Batch {
    /// A batch over `node`, whose flat-pool indices must lie below `pool_len`.
    pub fn new(node: Node, pool_len: u64) -> Result<Self, EngineError> {
        check_pool(&node, pool_len)?;
        Ok(Batch {
            node,
            out: Vec::new(),
        })
    }

    /// The next `min(k, MAX_CHUNK)` ops (fewer only once the plan is exhausted).
    pub fn next_chunk(&mut self, k: usize) -> &[u64] {
        self.out.clear();
        self.node.fill(&mut self.out, k.min(MAX_CHUNK));
        &self.out
    }

    pub fn is_exhausted(&self) -> bool {
        self.node.exhausted()
    }
}

/// Checks that every index `node` can produce lies below `pool_len`.
pub fn check_pool(node: &Node, pool_len: u64) -> Result<(), EngineError> {
    let needed = node.pool_end();
    if needed > pool_len {
        return Err(EngineError::PoolMismatch {
            needed,
            pool: pool_len,
        });
    }
    Ok(())
}

/// The next `min(k, MAX_CHUNK)` ops of `node` as a fresh vector.
pub fn chunk(node: &mut Node, k: usize) -> Vec<u64> {
    let k = k.min(MAX_CHUNK);
    let mut out = Vec::with_capacity(k);
    node.fill(&mut out, k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Leaf, LeafKind, Position};
    use crate::seed::Seed;

    fn random(n: u64, remaining: Option<u64>) -> Node {
        let at = Position {
            seed: Seed::from_u64(7),
            stream: 0,
            pos: 0,
        };
        Node::Leaf(Leaf::new(LeafKind::random(n).unwrap(), at, remaining, 0))
    }

    #[test]
    fn chunk_size_never_changes_the_stream() {
        let mut reference = random(10, Some(5000));
        let expected = chunk(&mut reference, 5000)
            .into_iter()
            .chain(chunk(&mut reference, 5000))
            .collect::<Vec<_>>();
        assert_eq!(expected.len(), 5000);
        for k in [1, 2, 3, 7, 64, 1000, 4096, 10_000] {
            let mut batch = Batch::new(random(10, Some(5000)), 10).unwrap();
            let mut got = Vec::new();
            loop {
                let c = batch.next_chunk(k);
                if c.is_empty() {
                    break;
                }
                assert!(c.len() <= MAX_CHUNK);
                got.extend_from_slice(c);
            }
            assert_eq!(got, expected, "chunk size {k}");
            assert!(batch.is_exhausted());
        }
    }

    #[test]
    fn pool_must_cover_the_plan() {
        assert_eq!(
            Batch::new(random(10, None), 9).unwrap_err(),
            EngineError::PoolMismatch {
                needed: 10,
                pool: 9
            }
        );
    }
}
