//! The kefu chat widget: a thin entry point; everything lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kefu_widget::App);
}
