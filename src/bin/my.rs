//! Entry point of a person's own pages' wasm module (`/my`, `/filings`; `crate::modules`).

fn main() {
    kaifang_web::takeover::main_of(kaifang_web::app::MyApp);
}
