//! NIF resources. Both are caches that the Elixir side can rebuild from plain
//! struct fields: a `Table` from a generator's weights, a `Cursor` from its plan.

use lockstep_engine::{AliasTable, Batch};
use std::sync::{Arc, Mutex, MutexGuard};

/// A built alias table, shared by every generator value derived from one
/// `weighted/2` call (and by every process holding one).
pub struct Table(Arc<AliasTable>);

#[rustler::resource_impl]
impl rustler::Resource for Table {}

impl Table {
    pub fn new(table: AliasTable) -> Self {
        Table(Arc::new(table))
    }

    pub fn shared(&self) -> Arc<AliasTable> {
        Arc::clone(&self.0)
    }
}

/// A plan being drained by one `each/2` or `reduce/3` call.
pub struct Cursor {
    batch: Mutex<Batch>,
    pool_len: u64,
    /// One past each leaf's last flat-pool index (depth-first), to find the
    /// leaf pool of a flat index when pools come as a tuple of tuples.
    leaf_ends: Vec<u64>,
}

#[rustler::resource_impl]
impl rustler::Resource for Cursor {}

impl Cursor {
    pub fn new(batch: Batch, pool_len: u64) -> Self {
        Cursor {
            leaf_ends: batch.leaf_ends(),
            batch: Mutex::new(batch),
            pool_len,
        }
    }

    pub fn leaf_ends(&self) -> &[u64] {
        &self.leaf_ends
    }

    pub fn pool_len(&self) -> u64 {
        self.pool_len
    }

    pub fn lock(&self) -> MutexGuard<'_, Batch> {
        // A panic cannot leave a batch half-written in a way that matters: the
        // cursor belongs to one each/reduce call, which fails with it.
        self.batch.lock().unwrap_or_else(|e| e.into_inner())
    }
}
