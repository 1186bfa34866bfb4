//! What runs inside the emulated namespaces.
