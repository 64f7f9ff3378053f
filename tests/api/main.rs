//! The API tests: one binary, speaking HTTP to a spawned app, each test on
//! its own fresh database, every database test on SQLite and on PostgreSQL.

// A test that cannot go on should stop loudly: panicking is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod absent_variables;
mod auth;
mod channels;
mod cli;
mod clients;
mod columns;
mod create_orders;
mod create_orders_statements;
mod currencies;
mod customers;
mod faults;
mod graphiql;
mod health;
mod http;
mod isolation;
mod migrations;
mod money;
mod nodes;
mod order_filters;
mod orders;
mod outage;
mod pagination;
mod processes;
mod readme;
mod rows;
mod schema;
mod seed;
mod shutdown;
mod statements;
mod tenancy;
mod timeout;
mod update_orders;
