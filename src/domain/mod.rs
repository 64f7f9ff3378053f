//! Pure rules of the order domain: no I/O, unit-tested where they live.

pub mod money;
pub mod status;
pub mod totals;
