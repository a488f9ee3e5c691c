//! Texts with `{name}` placeholders, as the shop and the locale packs write them.

/// Fills `{name}` placeholders from `values`; unknown names become "—".
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('{') => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) if !v.is_empty() => out.push_str(v),
                    _ => out.push('—'),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill(
                "订单 {order_no} 状态 {status}",
                &[("order_no", "12"), ("status", "已发货")]
            ),
            "订单 12 状态 已发货"
        );
        assert_eq!(fill("{missing} {", &[]), "— {");
    }
}
