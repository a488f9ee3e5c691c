//! A CSV export's problems are reported at the row's own line, whether its lines end with LF
//! or with CRLF (as spreadsheets and Python's `csv` module write them).

use std::path::PathBuf;

fn write_csv(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-csv-lines-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("faq.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn rows(lines: &[&str], ending: &str) -> String {
    lines.iter().map(|l| format!("{l}{ending}")).collect()
}

fn located<'a>(diags: impl Iterator<Item = &'a kefu_compiler::Diagnostic>) -> Vec<String> {
    diags
        .map(|d| format!("{}: {}", d.line.unwrap_or(0), d.message))
        .collect()
}

#[test]
fn csv_diagnostics_name_the_rows_line_with_lf_and_crlf() {
    for (name, ending) in [("lf", "\n"), ("crlf", "\r\n")] {
        let duplicate = rows(
            &[
                "id,category,question,similar,answer",
                "a,发票,怎么开发票？,,在订单页申请。",
                "b,发票,能开专票吗？,,可以。",
                "c,优惠券,怎么开发票？,,联系客服。",
            ],
            ending,
        );
        let path = write_csv(&format!("dup-{name}"), &duplicate);
        let compiled = kefu_compiler::compile(&path).expect("a duplicate is a warning");
        let warnings = located(compiled.diagnostics.warnings());
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("4: duplicate question") && w.contains("`c`")),
            "{name}: {warnings:?}"
        );
        let _ = std::fs::remove_dir_all(path.parent().unwrap());

        let bad = rows(
            &[
                "id,category,question,similar,answer,detail,priority",
                "a,发票,怎么开发票？,,在订单页申请。,,1",
                "b,发票,能开专票吗？,,可以。,,高",
            ],
            ending,
        );
        let path = write_csv(&format!("bad-{name}"), &bad);
        let err = kefu_compiler::compile(&path).expect_err("a bad priority is an error");
        let errors = located(err.0.errors());
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("3: ") && e.contains("priority")),
            "{name}: {errors:?}"
        );
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
