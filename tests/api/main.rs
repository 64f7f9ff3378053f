//! The API tests: one binary, speaking HTTP to a spawned app, each test on
//! its own fresh database, every database test on SQLite and on PostgreSQL.

mod helpers;

mod auth;
mod schema;
