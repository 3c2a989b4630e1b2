//! Entry point of the filing pages' wasm module (`/file/<kind>`, `/filings`; `crate::modules`).

fn main() {
    console_error_panic_hook::set_once();
    kaifang_web::browser::measure_layout_limit();
    kaifang_web::takeover::start(kaifang_web::app::FilingApp);
}
