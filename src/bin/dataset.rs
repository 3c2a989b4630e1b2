//! Entry point of the dataset page's wasm module (`/datasets/<id>`; `crate::modules`).

fn main() {
    kaifang_web::takeover::main_of(kaifang_web::app::DatasetApp);
}
