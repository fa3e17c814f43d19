//! NIF resources. Both are caches that the Elixir side can rebuild from plain
//! struct fields: a `Table` from a generator's weights, a `Cursor` from its plan
//! (its children as they were, and the ops made since).

use lockstep_engine::{AliasTable, Batch, EngineError, Node};
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

/// A decoded plan as it stood when it was made: immutable, shared (through
/// `Arc`) by every cursor made from it, so that a holder of a generator value
/// whose cursor has moved on gets a cursor of its own from the plan
/// (a clone and a skip: [`Cursor::seek`]) rather than describing and
/// decoding the whole tree again.
struct Plan {
    start: Batch,
    /// The last position a cursor of its own was sought to (many holders
    /// of one value ask for the same one): a clone of it is one.
    sought: Mutex<Option<Batch>>,
    pool_len: u64,
    /// Nodes in the plan (how much work a skip of it may spend).
    nodes: u64,
    /// One past each leaf's last flat-pool index (depth-first), to find the
    /// leaf pool of a flat index when pools come as a tuple of tuples.
    leaf_ends: Vec<u64>,
}

/// A position in a plan: drained by one `each/2` or `reduce/3` call, or
/// refilling next/1's buffer (where it is only a cache: the generator's
/// fields define the stream).
pub struct Cursor {
    plan: Arc<Plan>,
    batch: Mutex<Batch>,
}

#[rustler::resource_impl]
impl rustler::Resource for Cursor {}

impl Cursor {
    /// A cursor at the start of the plan `node` (its flat-pool indices below
    /// `pool_len`).
    pub fn new(node: Node, pool_len: u64) -> Result<Self, EngineError> {
        let nodes = node.nodes();
        let batch = Batch::new(node, pool_len)?;
        let plan = Plan {
            start: batch.clone(),
            sought: Mutex::new(None),
            nodes,
            pool_len,
            leaf_ends: batch.leaf_ends(),
        };
        Ok(Cursor {
            plan: Arc::new(plan),
            batch: Mutex::new(batch),
        })
    }

    /// A cursor of its own over the same plan: at `at` when a cursor was
    /// last sought there ([`Cursor::remember`]), else at the start (skip it
    /// on with [`Cursor::lock`] and `Batch::skip`).
    pub fn restart(&self, at: u64) -> Self {
        let batch = match &*lock(&self.plan.sought) {
            Some(sought) if sought.produced() == at => sought.clone(),
            _ => self.plan.start.clone(),
        };
        Cursor {
            plan: Arc::clone(&self.plan),
            batch: Mutex::new(batch),
        }
    }

    /// Keeps a clone of `batch` (a position a holder sought) for the next
    /// [`Cursor::restart`] there.
    pub fn remember(&self, batch: &Batch) {
        *lock(&self.plan.sought) = Some(batch.clone());
    }

    pub fn leaf_ends(&self) -> &[u64] {
        &self.plan.leaf_ends
    }

    pub fn pool_len(&self) -> u64 {
        self.plan.pool_len
    }

    pub fn nodes(&self) -> u64 {
        self.plan.nodes
    }

    pub fn lock(&self) -> MutexGuard<'_, Batch> {
        // A panic cannot leave a batch half-written in a way that matters: a
        // fold's cursor fails with its call; a refill cursor is a cache whose
        // holders check its position before every refill.
        lock(&self.batch)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
