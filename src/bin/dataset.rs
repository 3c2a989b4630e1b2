//! Entry point of the dataset page's wasm module (`/datasets/<id>`; `crate::modules`).

fn main() {
    console_error_panic_hook::set_once();
    kaifang_web::timing::mark(kaifang_web::timing::APP_START);
    kaifang_web::browser::measure_layout_limit();
    kaifang_web::takeover::start(kaifang_web::app::DatasetApp);
}
