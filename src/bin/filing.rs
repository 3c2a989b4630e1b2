//! Entry point of the filing pages' wasm module (`/file/<kind>`, `/filings`; `crate::modules`).

fn main() {
    kaifang_web::takeover::main_of(kaifang_web::app::FilingApp);
}
