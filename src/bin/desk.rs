//! Entry point of the provider's desk's wasm module (`/desk`; `crate::modules`).

fn main() {
    kaifang_web::takeover::main_of(kaifang_web::app::DeskApp);
}
