//! Entry point of the dataset page's wasm module (`/datasets/<id>`; `crate::modules`).
//!
//! The preview and the chart panel are split off this module here (`crate::lazy`): everything
//! only they use goes into a part of the wasm fetched on first use (xtask/src/split.rs).

use kaifang_core::catalog::{Dataset, Portal};
use kaifang_web::components::preview::{Preview, PreviewProps};
use kaifang_web::lazy::{Loaders, Loading};
use leptos::prelude::*;

#[leptos::wasm_split::wasm_split(preview, wasm_split_path = ::leptos::wasm_split)]
fn preview(props: PreviewProps) -> AnyView {
    Preview(props).into_any()
}

#[leptos::wasm_split::wasm_split(preview, wasm_split_path = ::leptos::wasm_split)]
fn charts(portal: Portal, dataset: Dataset) -> AnyView {
    view! { <kaifang_web::charts::panel::ChartPanel portal=portal dataset=dataset/> }.into_any()
}

fn main() {
    kaifang_web::lazy::provide(Loaders {
        preview: |props| -> Loading { Box::pin(preview(props)) },
        charts: |portal, dataset| -> Loading { Box::pin(charts(portal, dataset)) },
    });
    kaifang_web::takeover::main_of(kaifang_web::app::DatasetApp);
}
