//! How time passes while the engine waits: for a service to be steady, an
//! auto scaling group's signals, a resource to be gone, a create's step.
//!
//! The engine does not decide how: its host does (the observer hands it a
//! [`Clock`]), because only the host knows whether anything else runs the
//! account's clock. Alone, the engine jumps the simulated clock
//! ([`Simulated`]); with the data plane running the account in real time,
//! jumping ahead would leave the running world behind, so the host waits in
//! wall time instead (`runtime::clock`).

use super::events::Observer;
use account::Account;

/// How the engine's waits pass time.
pub trait Clock {
    /// Runs the world until `done` holds or the account's clock reaches
    /// `deadline_ms`; returns whether `done` held.
    fn wait_until(&mut self, a: &mut Account, deadline_ms: u64, done: &mut dyn FnMut(&Account) -> bool) -> bool;

    /// Lets the `ms` that one resource's create or update takes pass.
    fn step(&mut self, a: &mut Account, ms: u64);
}

/// The simulated clock: it jumps from one controller wake-up to the next,
/// and straight to the deadline when nothing is left to do.
pub struct Simulated;

impl Clock for Simulated {
    fn wait_until(&mut self, a: &mut Account, deadline_ms: u64, done: &mut dyn FnMut(&Account) -> bool) -> bool {
        control::run_until(a, deadline_ms, done)
    }

    fn step(&mut self, a: &mut Account, ms: u64) {
        control::advance_by(a, ms);
    }
}

/// Waits on the observer's clock (the simulated one when it has none).
pub(crate) fn wait_until(
    observer: &mut dyn Observer,
    a: &mut Account,
    deadline_ms: u64,
    mut done: impl FnMut(&Account) -> bool,
) -> bool {
    match observer.clock() {
        Some(clock) => clock.wait_until(a, deadline_ms, &mut done),
        None => Simulated.wait_until(a, deadline_ms, &mut done),
    }
}

/// Lets a create's step pass on the observer's clock.
pub(crate) fn step(observer: &mut dyn Observer, a: &mut Account, ms: u64) {
    match observer.clock() {
        Some(clock) => clock.step(a, ms),
        None => Simulated.step(a, ms),
    }
}
