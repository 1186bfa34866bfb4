//! The local AWS account: its model, IDs and ARNs, and its store.
