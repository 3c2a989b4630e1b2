//! Entry point of the desk's wasm module (`/desk`, `desk.html`): the provider's desk without
//! the public pages, which are loaded in full from links here (ARCHITECTURE.md, "Modules").

fn main() {
    console_error_panic_hook::set_once();
    kaifang_web::browser::measure_layout_limit();
    kaifang_web::takeover::start(kaifang_web::app::DeskApp);
}
