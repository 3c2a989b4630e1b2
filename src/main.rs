//! Entry point of the home module (the front page, browse pages, my data, rights; `crate::modules`).

fn main() {
    kaifang_web::takeover::main_of(kaifang_web::app::App);
}
