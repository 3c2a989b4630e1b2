//! Entry point of the wasm app: install the panic hook and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kaifang_web::app::App);
}
