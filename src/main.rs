//! Entry point of the home module (the front page, browse pages, my data, rights; `crate::modules`): install the panic hook and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    kaifang_web::timing::mark(kaifang_web::timing::APP_START);
    // Before anything is mounted: measuring lays out the (still empty) page.
    kaifang_web::browser::measure_layout_limit();
    // Over the page the build rendered, or into the empty body (src/takeover.rs).
    kaifang_web::takeover::start(kaifang_web::app::App);
}
