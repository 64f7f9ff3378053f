//! The API tests: one binary, speaking HTTP to a spawned app, each test on
//! its own fresh database, every database test on SQLite and on PostgreSQL.

// A test that cannot go on should stop loudly: panicking is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod auth;
mod migrations;
mod schema;
