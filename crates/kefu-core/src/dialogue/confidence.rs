//! The confidence scale candidates are proposed on (the matcher's calibrated one), with the
//! two fixed points handlers use for readings that need no matcher.

/// The confidence of what the customer asked for in so many words: a flow phrase said
/// alone, the order number the bot asked for.
pub const CERTAIN: f32 = 1.0;
/// The confidence of a reading that is fully resolved: an order number with an order
/// question, a product named with its attribute, "详细说说" or "谢谢" said alone.
pub const STRONG: f32 = 0.95;
