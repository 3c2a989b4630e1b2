// The lead wires this into `cargo xtask test|bench` (see postgres.rs).
#[allow(dead_code)]
mod postgres;

fn main() {}
