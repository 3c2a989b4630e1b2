// Starts the scan worker (src/worker.rs): wasm-bindgen's no-modules glue, then its wasm.
importScripts('./scan-worker.js');
wasm_bindgen({ module_or_path: './scan-worker_bg.wasm' });
