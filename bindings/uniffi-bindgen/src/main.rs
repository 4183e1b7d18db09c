//! `cargo run -p uniffi-bindgen -- generate --library …`: UniFFI's own CLI, built from the same
//! UniFFI version as the library so the metadata formats match.

fn main() {
    uniffi::uniffi_bindgen_main()
}
