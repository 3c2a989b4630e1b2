//! Entry point of the scan worker's wasm (see `kaifang_web::worker`).

fn main() {
    console_error_panic_hook::set_once();
    kaifang_web::worker::run();
}
