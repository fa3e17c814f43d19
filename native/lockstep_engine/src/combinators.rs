//! The combinators that have a file of their own under `combinators/`, by
//! name: the one list of them. Each file defines its [`Rule`] and a
//! constructor from the parameters the Elixir side sends
//! (`{:combinator, name, params, remaining, children}`, decoded generically
//! by the NIF); a new combinator adds its `mod` line and its arm here.

use crate::composite::Rule;
use crate::error::EngineError;

mod chunk;

/// The rule of combinator `name` with its parameters, for `children`
/// children (at least one).
pub fn rule(name: &str, params: &[u64], children: usize) -> Result<Box<dyn Rule>, EngineError> {
    match name {
        "chunk" => chunk::rule(params, children),
        _ => Err(EngineError::BadParameter("unknown combinator")),
    }
}
