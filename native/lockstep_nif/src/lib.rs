//! Thin Rustler binding of `lockstep_engine` for `Lockstep.Generator.Native`.
//!
//! Every entry point decodes its arguments into engine types, runs a bounded
//! amount of work (at most `MAX_CHUNK` ops, or an alias-table build that goes to a
//! dirty scheduler when large) and encodes the answer. Ops are returned by picking
//! terms out of the pool tuple the caller passed in, so nothing is deep-copied.
//! Bad arguments raise `badarg` (an `ArgumentError` in Elixir), never a crash.
//!
//! The entry points are in `nif`; what the NIF checks after Rustler has
//! decoded its arguments (`request`) is pure Rust, unit-tested without the
//! VM (a test binary cannot link the VM's `enif_*` symbols, so the modules
//! that call them are left out of it).

#[cfg(not(test))]
mod nif;
mod params;
mod pool_groups;
mod reply;
mod request;
#[cfg(not(test))]
mod resources;
#[cfg(not(test))]
mod spec;
mod spec_parts;
