//! `schema.graphql` is exactly what the code serves.

#[test]
fn schema_graphql_equals_the_served_sdl() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .expect("schema.graphql at the repo root");
    let served = ordergraph::graphql::schema::sdl();
    assert!(
        checked_in == served,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql`"
    );
}

#[test]
fn the_schema_command_prints_the_sdl() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ordergraph"))
        .arg("schema")
        .output()
        .expect("ordergraph schema runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).expect("utf-8"),
        ordergraph::graphql::schema::sdl()
    );
}
