//! ordergraph: a GraphQL order API over SeaORM, served by axum.
//!
//! `main.rs` only parses the command line; everything else lives here so that
//! the tests build the very same application (`startup::App::build`).

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod seed;
pub mod service;
pub mod startup;
